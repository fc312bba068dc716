package io.pyromesh.values;

import io.pyromesh.errors.SerializeError;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record class's components and canonical constructor, looked up once per class: the codec reads
 * and builds records on every call, so reflection happens here and never per value.
 */
final class RecordInfo {
    private static final ClassValue<RecordInfo> CACHE = new ClassValue<>() {
        @Override
        protected RecordInfo computeValue(Class<?> type) {
            return new RecordInfo(type);
        }
    };

    private final Class<?> type;
    private final List<String> names;
    private final Type[] types;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;
    private final Map<String, Integer> indexes;

    private RecordInfo(Class<?> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        String[] componentNames = new String[components.length];
        Class<?>[] rawTypes = new Class<?>[components.length];
        types = new Type[components.length];
        accessors = new MethodHandle[components.length];
        Map<String, Integer> indexByName = new HashMap<>();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < components.length; i++) {
                componentNames[i] = components[i].getName();
                rawTypes[i] = components[i].getType();
                types[i] = components[i].getGenericType();
                indexByName.put(componentNames[i], i);
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                accessors[i] = lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
            }
            Constructor<?> canonical = type.getDeclaredConstructor(rawTypes);
            canonical.setAccessible(true);
            constructor = lookup.unreflectConstructor(canonical)
                    .asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // e.g. InaccessibleObjectException: a named module that does not open the record's package
            throw new SerializeError("cannot access record " + type.getName()
                    + ": open its package to Pyromesh, or register a converter for it (" + e + ")", e);
        }
        names = List.of(componentNames);
        indexes = Map.copyOf(indexByName);
    }

    /** The info of a record class. */
    static RecordInfo of(Class<?> recordType) {
        return CACHE.get(recordType);
    }

    /** The component names, in declaration order. */
    List<String> names() {
        return names;
    }

    /** The position of the component called {@code name}, or -1. */
    int indexOf(String name) {
        return indexes.getOrDefault(name, -1);
    }

    /** The declared (generic) type of component {@code index}. */
    Type typeOf(int index) {
        return types[index];
    }

    /** The record's components by name, in declaration order. */
    Map<String, Object> fields(Object record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < accessors.length; i++) {
            try {
                fields.put(names.get(i), (Object) accessors[i].invokeExact(record));
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw new SerializeError("cannot read component " + names.get(i) + " of record "
                        + type.getName() + ": " + e, e);
            }
        }
        return fields;
    }

    /** A new record from its component values in declaration order, already of the component types. */
    Object construct(Object[] components) {
        try {
            return (Object) constructor.invokeExact(components);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SerializeError("cannot create " + type.getName() + " from its fields: " + e, e);
        }
    }
}
