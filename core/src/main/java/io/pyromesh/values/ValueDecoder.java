package io.pyromesh.values;

import static io.pyromesh.values.ScalarConverter.aware;
import static io.pyromesh.values.ScalarConverter.enumConstant;
import static io.pyromesh.values.ScalarConverter.expect;
import static io.pyromesh.values.ScalarConverter.integer;
import static io.pyromesh.values.ScalarConverter.kindOf;
import static io.pyromesh.values.ScalarConverter.mismatch;
import static io.pyromesh.values.ScalarConverter.naive;
import static io.pyromesh.values.ScalarConverter.naturalInteger;
import static io.pyromesh.values.ScalarConverter.toBigDecimal;
import static io.pyromesh.values.ScalarConverter.toBigInteger;
import static io.pyromesh.values.ScalarConverter.toChar;
import static io.pyromesh.values.ScalarConverter.toComplex;
import static io.pyromesh.values.ScalarConverter.toDouble;
import static io.pyromesh.values.ScalarConverter.toFloat;
import static io.pyromesh.values.ScalarConverter.toUri;
import static io.pyromesh.values.ScalarConverter.toUuid;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.ClassDict;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.Value.KindCase;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import io.pyromesh.uri.PyroURI;
import java.lang.reflect.Array;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Value}s to Java objects, by the table in {@link ValueCodec}: to their natural Java types, or
 * converted to a requested (generic) type. Driven by the value alone: a class name from the wire is
 * only ever looked up among registered and requested classes. Immutable and thread-safe.
 */
final class ValueDecoder {
    /** What a target class asks for, decided once per class. */
    private enum Target {
        BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, CHAR, BIG_INTEGER, BIG_DECIMAL, STRING, BYTES,
        BYTE_BUFFER, LIST, COLLECTION, SET, TUPLE, MAP, ARRAY, ENUM, INSTANT, OFFSET_DATE_TIME, ZONED_DATE_TIME,
        LOCAL_DATE_TIME, LOCAL_DATE, LOCAL_TIME, UUID, COMPLEX, URI, RECORD, OTHER
    }

    private static final Map<Class<?>, Target> EXACT_TARGETS = Map.ofEntries(
            Map.entry(boolean.class, Target.BOOLEAN), Map.entry(Boolean.class, Target.BOOLEAN),
            Map.entry(byte.class, Target.BYTE), Map.entry(Byte.class, Target.BYTE),
            Map.entry(short.class, Target.SHORT), Map.entry(Short.class, Target.SHORT),
            Map.entry(int.class, Target.INT), Map.entry(Integer.class, Target.INT),
            Map.entry(long.class, Target.LONG), Map.entry(Long.class, Target.LONG),
            Map.entry(float.class, Target.FLOAT), Map.entry(Float.class, Target.FLOAT),
            Map.entry(double.class, Target.DOUBLE), Map.entry(Double.class, Target.DOUBLE),
            Map.entry(char.class, Target.CHAR), Map.entry(Character.class, Target.CHAR),
            Map.entry(BigInteger.class, Target.BIG_INTEGER),
            Map.entry(BigDecimal.class, Target.BIG_DECIMAL),
            Map.entry(String.class, Target.STRING),
            Map.entry(byte[].class, Target.BYTES),
            Map.entry(ByteBuffer.class, Target.BYTE_BUFFER),
            Map.entry(List.class, Target.LIST), Map.entry(ArrayList.class, Target.LIST),
            Map.entry(Collection.class, Target.COLLECTION), Map.entry(Iterable.class, Target.COLLECTION),
            Map.entry(Set.class, Target.SET), Map.entry(HashSet.class, Target.SET),
            Map.entry(LinkedHashSet.class, Target.SET),
            Map.entry(Tuple.class, Target.TUPLE),
            Map.entry(Map.class, Target.MAP), Map.entry(HashMap.class, Target.MAP),
            Map.entry(LinkedHashMap.class, Target.MAP),
            Map.entry(Instant.class, Target.INSTANT),
            Map.entry(OffsetDateTime.class, Target.OFFSET_DATE_TIME),
            Map.entry(ZonedDateTime.class, Target.ZONED_DATE_TIME),
            Map.entry(LocalDateTime.class, Target.LOCAL_DATE_TIME),
            Map.entry(LocalDate.class, Target.LOCAL_DATE),
            Map.entry(LocalTime.class, Target.LOCAL_TIME),
            Map.entry(UUID.class, Target.UUID),
            Map.entry(Complex.class, Target.COMPLEX),
            Map.entry(PyroURI.class, Target.URI));

    private static final ClassValue<Target> TARGETS = new ClassValue<>() {
        @Override
        protected Target computeValue(Class<?> type) {
            Target exact = EXACT_TARGETS.get(type);
            if (exact != null) {
                return exact;
            } else if (type.isArray()) {
                return Target.ARRAY;
            } else if (type.isEnum()) {
                return Target.ENUM;
            } else if (type.isRecord()) {
                return Target.RECORD;
            }
            return Target.OTHER;
        }
    };

    private final ClassRegistry registry;
    private final RemoteReferences references;

    ValueDecoder(ClassRegistry registry, RemoteReferences references) {
        this.registry = registry;
        this.references = references;
    }

    /** {@code v}, found at nesting level {@code depth}, as an instance of {@code type}. */
    Object decode(Value v, Type type, int depth) {
        if (depth > ValueCodec.MAX_DEPTH) {
            throw ValueCodec.tooDeep();
        }
        Type target = JavaTypes.upperBound(type);
        if (target == Object.class) {
            return natural(v, depth);
        }
        Class<?> raw = JavaTypes.rawClass(target);
        if (v.getKindCase() == KindCase.KIND_NOT_SET) {
            throw ValueCodec.noKind();
        }
        if (v.getKindCase() == KindCase.NULL_VALUE) {
            if (raw.isPrimitive()) {
                throw mismatch(target, v);
            }
            return null;
        }
        return switch (TARGETS.get(raw)) {
            case BOOLEAN -> expect(v, KindCase.BOOL_VALUE, target).getBoolValue();
            case BYTE -> (byte) integer(v, target, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SHORT -> (short) integer(v, target, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> (int) integer(v, target, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integer(v, target, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> toFloat(v, target);
            case DOUBLE -> toDouble(v, target);
            case CHAR -> toChar(v, target);
            case BIG_INTEGER -> toBigInteger(v, target);
            case BIG_DECIMAL -> toBigDecimal(v, target);
            case STRING -> expect(v, KindCase.STR_VALUE, target).getStrValue();
            case BYTES -> expect(v, KindCase.BYTES_VALUE, target).getBytesValue().toByteArray();
            case BYTE_BUFFER -> ByteBuffer.wrap(expect(v, KindCase.BYTES_VALUE, target).getBytesValue().toByteArray());
            case LIST -> collect(items(v, target, true), JavaTypes.typeArgument(target, 0),
                    new ArrayList<>(), depth);
            case COLLECTION -> sameKindCollection(v, target, JavaTypes.typeArgument(target, 0), depth);
            case SET -> collect(items(v, target, true), JavaTypes.typeArgument(target, 0),
                    new LinkedHashSet<>(), depth);
            case TUPLE -> Tuple.copyOf(collect(items(v, target, false), Object.class, new ArrayList<>(), depth));
            case MAP -> map(expect(v, KindCase.MAP_VALUE, target).getMapValue(), JavaTypes.typeArgument(target, 0),
                    JavaTypes.typeArgument(target, 1), depth);
            case ARRAY -> array(v, target, raw, depth);
            case ENUM -> enumConstant(raw, expect(v, KindCase.STR_VALUE, target).getStrValue());
            case INSTANT -> aware(v, target).toInstant();
            case OFFSET_DATE_TIME -> aware(v, target);
            case ZONED_DATE_TIME -> aware(v, target).toZonedDateTime();
            case LOCAL_DATE_TIME -> naive(v, target);
            case LOCAL_DATE -> Scalars.date(expect(v, KindCase.DATE_VALUE, target).getDateValue());
            case LOCAL_TIME -> Scalars.time(expect(v, KindCase.TIME_VALUE, target).getTimeValue());
            case UUID -> toUuid(v, target);
            case URI -> toUri(v, target);
            case COMPLEX -> toComplex(expect(v, KindCase.COMPLEX_VALUE, target));
            case RECORD -> toRecord(v, raw, depth);
            case OTHER -> other(v, target, raw, depth);
        };
    }

    /** {@code v} as its natural Java type; the depth was checked by the caller. */
    private Object natural(Value v, int depth) {
        return switch (v.getKindCase()) {
            case NULL_VALUE -> null;
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            // a sender may spell a small integer as digits; it is still the same number, so a Long
            case BIG_INT_VALUE -> naturalInteger(Scalars.parseBigInt(v.getBigIntValue()));
            case FLOAT_VALUE -> v.getFloatValue();
            case STR_VALUE -> v.getStrValue();
            case BYTES_VALUE -> v.getBytesValue().toByteArray();
            case LIST_VALUE -> collect(v.getListValue(), Object.class, new ArrayList<>(), depth);
            case TUPLE_VALUE -> Tuple.copyOf(collect(v.getTupleValue(), Object.class, new ArrayList<>(), depth));
            case SET_VALUE -> collect(v.getSetValue(), Object.class, new LinkedHashSet<>(), depth);
            case MAP_VALUE -> map(v.getMapValue(), Object.class, Object.class, depth);
            case DECIMAL_VALUE -> Scalars.parseDecimal(v.getDecimalValue());
            case DATETIME_VALUE -> Scalars.dateTime(v.getDatetimeValue());
            case DATE_VALUE -> Scalars.date(v.getDateValue());
            case TIME_VALUE -> Scalars.time(v.getTimeValue());
            case UUID_VALUE -> toUuid(v, UUID.class);
            case COMPLEX_VALUE -> toComplex(v);
            case OBJECT_VALUE -> registeredObject(v.getObjectValue(), depth);
            case PROXY_VALUE -> references.fromRef(v.getProxyValue(), Object.class);
            case URI_VALUE -> toUri(v, PyroURI.class);
            case KIND_NOT_SET -> throw ValueCodec.noKind();
        };
    }

    /** The items of a list, tuple or (if {@code setsToo}) set value. */
    private static Values items(Value v, Type target, boolean setsToo) {
        return switch (v.getKindCase()) {
            case LIST_VALUE -> v.getListValue();
            case TUPLE_VALUE -> v.getTupleValue();
            case SET_VALUE -> {
                if (!setsToo) {
                    throw mismatch(target, v);
                }
                yield v.getSetValue();
            }
            default -> throw mismatch(target, v);
        };
    }

    private <C extends Collection<Object>> C collect(Values items, Type itemType, C into, int depth) {
        for (Value item : items.getItemsList()) {
            into.add(decode(item, itemType, depth + 1));
        }
        return into;
    }

    /** For a target that names no particular collection: the natural collection of the value's kind. */
    private Collection<Object> sameKindCollection(Value v, Type target, Type itemType, int depth) {
        return switch (v.getKindCase()) {
            case LIST_VALUE -> collect(v.getListValue(), itemType, new ArrayList<>(), depth);
            case TUPLE_VALUE -> Tuple.copyOf(collect(v.getTupleValue(), itemType, new ArrayList<>(), depth));
            case SET_VALUE -> collect(v.getSetValue(), itemType, new LinkedHashSet<>(), depth);
            default -> throw mismatch(target, v);
        };
    }

    private Map<Object, Object> map(MapValue entries, Type keyType, Type valueType, int depth) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (MapEntry entry : entries.getEntriesList()) {
            // keys are distinct on the wire; should a sender repeat one, the last wins, as in Python's dict()
            map.put(decode(entry.getKey(), keyType, depth + 1), decode(entry.getValue(), valueType, depth + 1));
        }
        return map;
    }

    private Object array(Value v, Type target, Class<?> raw, int depth) {
        Values items = items(v, target, true);
        Type componentType = JavaTypes.componentType(target);
        Object array = Array.newInstance(raw.getComponentType(), items.getItemsCount());
        for (int i = 0; i < items.getItemsCount(); i++) {
            Array.set(array, i, decode(items.getItems(i), componentType, depth + 1));
        }
        return array;
    }

    /**
     * A record the receiver asked for by its type, so it is decoded even if not registered: from a
     * class-dict under the record's name, or from a dict with str keys (what JSON clients send).
     */
    private Object toRecord(Value v, Class<?> type, int depth) {
        if (v.getKindCase() == KindCase.MAP_VALUE) {
            return construct(type, stringKeyed(v, type), depth);
        }
        ClassDict dict = expect(v, KindCase.OBJECT_VALUE, type).getObjectValue();
        String name = checkedClassName(dict);
        String expected = registry.nameOf(type);
        if (!name.equals(expected)) {
            throw new TypeError("expected " + JavaTypes.describe(type) + " (class " + expected
                    + "), got object of class " + PyroError.excerpt(name));
        }
        ClassRegistry.DictToClass hook = registry.dictToClass(name);
        if (hook != null && hook.converter() != null) {
            return instanceOf(type, v, byConverter(hook, dict, depth));
        }
        return construct(type, dict.getFieldsMap(), depth);
    }

    private static Map<String, Value> stringKeyed(Value v, Class<?> type) {
        Map<String, Value> fields = new LinkedHashMap<>();
        for (MapEntry entry : v.getMapValue().getEntriesList()) {
            if (entry.getKey().getKindCase() != KindCase.STR_VALUE) {
                throw new TypeError("expected " + JavaTypes.describe(type) + ", got dict with a "
                        + kindOf(entry.getKey()) + " key");
            }
            fields.put(entry.getKey().getStrValue(), entry.getValue());
        }
        return fields;
    }

    /** The record {@code type} from its fields, each converted to its component's declared type. */
    private Object construct(Class<?> type, Map<String, Value> fields, int depth) {
        RecordInfo info = RecordInfo.of(type);
        Object[] components = new Object[info.names().size()];
        for (Map.Entry<String, Value> field : fields.entrySet()) {
            int index = info.indexOf(field.getKey());
            if (index < 0) {
                throw new TypeError("record " + JavaTypes.describe(type) + " has no component "
                        + Scalars.quote(field.getKey()));
            }
            components[index] = decode(field.getValue(), info.typeOf(index), depth + 1);
        }
        if (fields.size() < components.length) {
            String missing = info.names().stream().filter(name -> !fields.containsKey(name)).findFirst().orElseThrow();
            throw new TypeError("record " + JavaTypes.describe(type) + " is missing component '" + missing + "'");
        }
        return info.construct(components);
    }

    private Object registeredObject(ClassDict dict, int depth) {
        String name = checkedClassName(dict);
        ClassRegistry.DictToClass hook = registry.dictToClass(name);
        if (hook == null) {
            throw new SerializeError("unsupported serialized class: " + PyroError.excerpt(name));
        }
        return hook.converter() != null
                ? byConverter(hook, dict, depth)
                : construct(hook.recordType(), dict.getFieldsMap(), depth);
    }

    private Object byConverter(ClassRegistry.DictToClass hook, ClassDict dict, int depth) {
        Map<String, Object> fields = new LinkedHashMap<>();
        dict.getFieldsMap().forEach((name, value) -> fields.put(name, decode(value, Object.class, depth + 1)));
        try {
            return hook.converter().apply(fields);
        } catch (PyroError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializeError("dict-to-class converter for " + dict.getClassName() + " failed: " + e, e);
        }
    }

    private static String checkedClassName(ClassDict dict) {
        String name = dict.getClassName();
        if (name.contains("__")) {
            throw new SecurityError("refused to deserialize types with double underscores in their name: "
                    + PyroError.excerpt(name));
        }
        return name;
    }

    /** Any other target: a proxy for an interface, or the natural value if it is an instance. */
    private Object other(Value v, Type target, Class<?> raw, int depth) {
        if (v.getKindCase() == KindCase.PROXY_VALUE) {
            if (!raw.isInterface()) {
                throw mismatch(target, v);
            }
            return instanceOf(raw, v, references.fromRef(v.getProxyValue(), raw));
        }
        return instanceOf(raw, v, natural(v, depth));
    }

    private static Object instanceOf(Class<?> type, Value v, Object result) {
        if (result != null && !type.isInstance(result)) {
            throw mismatch(type, v);
        }
        return result;
    }
}
