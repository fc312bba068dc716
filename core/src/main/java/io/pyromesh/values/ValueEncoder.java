package io.pyromesh.values;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.ClassDict;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.proto.v1.Values;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.BaseStream;

/** Java objects to {@code Value}s, by the table in {@link ValueCodec}. Immutable and thread-safe. */
final class ValueEncoder {
    private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    private static final Value TRUE = Value.newBuilder().setBoolValue(true).build();
    private static final Value FALSE = Value.newBuilder().setBoolValue(false).build();

    /** The built-in type a class is encoded as, decided once per class. */
    private enum Kind {
        BOOL, INT, BIG_INT, FLOAT, DECIMAL, STR, CHAR, BYTES, BYTE_BUFFER, TUPLE, SET, COLLECTION,
        OBJECT_ARRAY, PRIMITIVE_ARRAY, MAP, OFFSET_DATE_TIME, ZONED_DATE_TIME, INSTANT, LOCAL_DATE_TIME,
        LOCAL_DATE, LOCAL_TIME, UUID, COMPLEX, URI, ENUM, OTHER
    }

    private static final Map<Class<?>, Kind> FINAL_CLASSES = Map.ofEntries(
            Map.entry(Boolean.class, Kind.BOOL),
            Map.entry(Byte.class, Kind.INT),
            Map.entry(Short.class, Kind.INT),
            Map.entry(Integer.class, Kind.INT),
            Map.entry(Long.class, Kind.INT),
            Map.entry(Float.class, Kind.FLOAT),
            Map.entry(Double.class, Kind.FLOAT),
            Map.entry(String.class, Kind.STR),
            Map.entry(Character.class, Kind.CHAR),
            Map.entry(byte[].class, Kind.BYTES),
            Map.entry(Tuple.class, Kind.TUPLE),
            Map.entry(OffsetDateTime.class, Kind.OFFSET_DATE_TIME),
            Map.entry(ZonedDateTime.class, Kind.ZONED_DATE_TIME),
            Map.entry(Instant.class, Kind.INSTANT),
            Map.entry(LocalDateTime.class, Kind.LOCAL_DATE_TIME),
            Map.entry(LocalDate.class, Kind.LOCAL_DATE),
            Map.entry(LocalTime.class, Kind.LOCAL_TIME),
            Map.entry(UUID.class, Kind.UUID),
            Map.entry(Complex.class, Kind.COMPLEX),
            Map.entry(PyroURI.class, Kind.URI));

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            Kind exact = FINAL_CLASSES.get(type);
            if (exact != null) {
                return exact;
            }
            if (type.isArray()) {
                return type.getComponentType().isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY;
            }
            // the order matters: a Set is also a Collection
            if (BigInteger.class.isAssignableFrom(type)) {
                return Kind.BIG_INT;
            } else if (BigDecimal.class.isAssignableFrom(type)) {
                return Kind.DECIMAL;
            } else if (ByteBuffer.class.isAssignableFrom(type)) {
                return Kind.BYTE_BUFFER;
            } else if (Set.class.isAssignableFrom(type)) {
                return Kind.SET;
            } else if (Collection.class.isAssignableFrom(type)) {
                return Kind.COLLECTION;
            } else if (Map.class.isAssignableFrom(type)) {
                return Kind.MAP;
            } else if (Enum.class.isAssignableFrom(type)) {
                return Kind.ENUM;
            }
            return Kind.OTHER;
        }
    };

    private final ClassRegistry registry;
    private final RemoteReferences references;

    ValueEncoder(ClassRegistry registry, RemoteReferences references) {
        this.registry = registry;
        this.references = references;
    }

    Value encode(Object o) {
        return encode(o, 1);
    }

    private Value encode(Object o, int depth) {
        if (depth > ValueCodec.MAX_DEPTH) {
            throw ValueCodec.tooDeep();
        }
        if (o == null) {
            return NULL;
        }
        return switch (KINDS.get(o.getClass())) {
            case BOOL -> (Boolean) o ? TRUE : FALSE;
            case INT -> Value.newBuilder().setIntValue(((Number) o).longValue()).build();
            case BIG_INT -> bigInteger((BigInteger) o);
            case FLOAT -> Value.newBuilder().setFloatValue(((Number) o).doubleValue()).build();
            case DECIMAL -> Value.newBuilder().setDecimalValue(o.toString()).build();
            case STR -> str((String) o);
            case CHAR -> str(o.toString());
            case ENUM -> str(((Enum<?>) o).name());
            // wrapped, not copied: a megabyte payload would otherwise be copied once more on each side
            case BYTES -> Value.newBuilder().setBytesValue(UnsafeByteOperations.unsafeWrap((byte[]) o)).build();
            // a duplicate, so that the caller's buffer keeps its position
            case BYTE_BUFFER -> Value.newBuilder()
                    .setBytesValue(ByteString.copyFrom(((ByteBuffer) o).duplicate()))
                    .build();
            case TUPLE -> Value.newBuilder().setTupleValue(items((Tuple) o, depth)).build();
            case SET -> Value.newBuilder().setSetValue(items((Set<?>) o, depth)).build();
            case COLLECTION -> Value.newBuilder().setListValue(items((Collection<?>) o, depth)).build();
            case OBJECT_ARRAY -> Value.newBuilder().setListValue(items(Arrays.asList((Object[]) o), depth)).build();
            case PRIMITIVE_ARRAY -> Value.newBuilder().setListValue(primitiveItems(o, depth)).build();
            case MAP -> Value.newBuilder().setMapValue(map((Map<?, ?>) o, depth)).build();
            case OFFSET_DATE_TIME -> dateTime(((OffsetDateTime) o).toLocalDateTime(), ((OffsetDateTime) o).getOffset());
            // only the offset in force at that instant travels: the wire has no room for the zone's rules
            case ZONED_DATE_TIME -> dateTime(((ZonedDateTime) o).toLocalDateTime(), ((ZonedDateTime) o).getOffset());
            case INSTANT -> instant((Instant) o);
            case LOCAL_DATE_TIME -> dateTime((LocalDateTime) o, null);
            case LOCAL_DATE -> Value.newBuilder().setDateValue(Scalars.date((LocalDate) o)).build();
            case LOCAL_TIME -> Value.newBuilder().setTimeValue(Scalars.time((LocalTime) o)).build();
            case UUID -> Value.newBuilder().setUuidValue(o.toString()).build();
            case COMPLEX -> complex((Complex) o);
            case URI -> Value.newBuilder().setUriValue(o.toString()).build();
            case OTHER -> other(o, depth);
        };
    }

    private static Value bigInteger(BigInteger n) {
        if (n.bitLength() < Long.SIZE) {
            return Value.newBuilder().setIntValue(n.longValue()).build();
        }
        return Value.newBuilder().setBigIntValue(Scalars.bigIntText(n)).build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStrValue(s).build();
    }

    private static Value instant(Instant instant) {
        try {
            return dateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new SerializeError("won't serialize " + instant + ": beyond the years a datetime can hold", e);
        }
    }

    private static Value dateTime(LocalDateTime wallClock, ZoneOffset offsetOrNull) {
        return Value.newBuilder().setDatetimeValue(Scalars.dateTime(wallClock, offsetOrNull)).build();
    }

    private static Value complex(Complex c) {
        return Value.newBuilder()
                .setComplexValue(io.pyromesh.proto.v1.Complex.newBuilder().setReal(c.real()).setImag(c.imag()))
                .build();
    }

    private Values items(Iterable<?> items, int depth) {
        Values.Builder values = Values.newBuilder();
        for (Object item : items) {
            values.addItems(encode(item, depth + 1));
        }
        return values.build();
    }

    private Values primitiveItems(Object array, int depth) {
        Values.Builder values = Values.newBuilder();
        int length = Array.getLength(array);
        for (int i = 0; i < length; i++) {
            values.addItems(encode(Array.get(array, i), depth + 1));
        }
        return values.build();
    }

    private MapValue map(Map<?, ?> map, int depth) {
        MapValue.Builder entries = MapValue.newBuilder();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            entries.addEntries(MapEntry.newBuilder()
                    .setKey(encode(entry.getKey(), depth + 1))
                    .setValue(encode(entry.getValue(), depth + 1)));
        }
        return entries.build();
    }

    /** Objects of no built-in type: references, registered classes, records; nothing else. */
    private Value other(Object o, int depth) {
        ProxyRef ref = references.toRef(o);
        if (ref != null) {
            return Value.newBuilder().setProxyValue(ref).build();
        }
        Class<?> type = o.getClass();
        ClassRegistry.ClassToDict hook = registry.classToDict(type);
        if (hook != null) {
            return classDict(hook.className(), fieldsByHook(hook, o), depth);
        }
        if (o instanceof Record) {
            return classDict(type.getName(), RecordInfo.of(type).fields(o), depth);
        }
        if (o instanceof Iterator || o instanceof BaseStream || o instanceof Iterable) {
            throw new SerializeError("won't serialize an iterator or stream; return it from an exposed method to "
                    + "stream it, or convert it to a list");
        }
        throw new SerializeError("don't know how to serialize " + type.getName() + ": register a class-to-dict "
                + "converter for it (ClassRegistry.registerClassToDict), or use a record");
    }

    private static Map<String, ?> fieldsByHook(ClassRegistry.ClassToDict hook, Object o) {
        Map<String, ?> fields;
        try {
            fields = hook.fields().apply(o);
        } catch (PyroError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializeError("class-to-dict converter for " + hook.className() + " failed: " + e, e);
        }
        if (fields == null) {
            throw new SerializeError("class-to-dict converter for " + hook.className() + " returned null");
        }
        return fields;
    }

    private Value classDict(String className, Map<String, ?> fields, int depth) {
        ClassDict.Builder dict = ClassDict.newBuilder().setClassName(className);
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            if (field.getKey() == null) {
                throw new SerializeError("class-dict of " + className + " has a null field name");
            }
            dict.putFields(field.getKey(), encode(field.getValue(), depth + 1));
        }
        return Value.newBuilder().setObjectValue(dict).build();
    }
}
