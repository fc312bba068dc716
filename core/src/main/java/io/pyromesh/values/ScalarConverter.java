package io.pyromesh.values;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.Value.KindCase;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.UUID;

/**
 * Scalar {@code Value}s to the Java types a receiver asks for, with the checks that keep the number
 * or time it meant: a {@link TypeError} names the target and the value's kind when they do not fit.
 */
final class ScalarConverter {
    private ScalarConverter() {}

    /** An integer as its natural type: Long if it fits, else BigInteger. */
    static Object naturalInteger(BigInteger n) {
        return n.bitLength() < Long.SIZE ? (Object) n.longValue() : n;
    }

    /** {@code v} if it is of {@code kind}, else a TypeError. */
    static Value expect(Value v, KindCase kind, Type target) {
        if (v.getKindCase() != kind) {
            throw mismatch(target, v);
        }
        return v;
    }

    /** An int or big int value that lies within {@code min..max}. */
    static long integer(Value v, Type target, long min, long max) {
        long n;
        if (v.getKindCase() == KindCase.INT_VALUE) {
            n = v.getIntValue();
        } else if (v.getKindCase() == KindCase.BIG_INT_VALUE) {
            BigInteger big = Scalars.parseBigInt(v.getBigIntValue());
            if (big.bitLength() >= Long.SIZE) {
                throw outOfRange("int " + v.getBigIntValue(), target);
            }
            n = big.longValue();
        } else {
            throw mismatch(target, v);
        }
        if (n < min || n > max) {
            throw outOfRange("int " + n, target);
        }
        return n;
    }

    static double toDouble(Value v, Type target) {
        return switch (v.getKindCase()) {
            case FLOAT_VALUE -> v.getFloatValue();
            case INT_VALUE -> v.getIntValue();
            default -> throw mismatch(target, v);
        };
    }

    static float toFloat(Value v, Type target) {
        double d = toDouble(v, target);
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) {
            throw outOfRange("float " + d, target);
        }
        return f;
    }

    static char toChar(Value v, Type target) {
        String s = expect(v, KindCase.STR_VALUE, target).getStrValue();
        if (s.length() != 1) {
            throw new TypeError("expected " + JavaTypes.describe(target) + ", got str of length " + s.length());
        }
        return s.charAt(0);
    }

    static BigInteger toBigInteger(Value v, Type target) {
        return switch (v.getKindCase()) {
            case INT_VALUE -> BigInteger.valueOf(v.getIntValue());
            case BIG_INT_VALUE -> Scalars.parseBigInt(v.getBigIntValue());
            default -> throw mismatch(target, v);
        };
    }

    static BigDecimal toBigDecimal(Value v, Type target) {
        return switch (v.getKindCase()) {
            case DECIMAL_VALUE -> Scalars.parseDecimal(v.getDecimalValue());
            case INT_VALUE -> BigDecimal.valueOf(v.getIntValue());
            case BIG_INT_VALUE -> new BigDecimal(Scalars.parseBigInt(v.getBigIntValue()));
            case FLOAT_VALUE -> {
                if (!Double.isFinite(v.getFloatValue())) {
                    throw new TypeError("expected " + JavaTypes.describe(target) + ", got float " + v.getFloatValue());
                }
                // the shortest decimal that reads back as this double: 0.1, not 0.1000000000000000055...
                yield BigDecimal.valueOf(v.getFloatValue());
            }
            default -> throw mismatch(target, v);
        };
    }

    static UUID toUuid(Value v, Type target) {
        if (v.getKindCase() == KindCase.UUID_VALUE) {
            return Scalars.uuidValue(v.getUuidValue());
        }
        UUID uuid = Scalars.parseUuid(expect(v, KindCase.STR_VALUE, target).getStrValue());
        if (uuid == null) {
            throw new TypeError("expected " + JavaTypes.describe(target) + ", got str "
                    + Scalars.quote(v.getStrValue()) + ", which is not a UUID");
        }
        return uuid;
    }

    /** A URI from a uri_value, or from a str (as Pyro's name server accepts either). */
    static PyroURI toUri(Value v, Type target) {
        String text = v.getKindCase() == KindCase.URI_VALUE ? v.getUriValue() : expect(v, KindCase.STR_VALUE, target).getStrValue();
        try {
            return PyroURI.parse(text);
        } catch (PyroError malformed) {
            throw new SerializeError("malformed uri_value " + Scalars.quote(text) + ": " + malformed.getMessage());
        }
    }

    static Complex toComplex(Value v) {
        return new Complex(v.getComplexValue().getReal(), v.getComplexValue().getImag());
    }

    static OffsetDateTime aware(Value v, Type target) {
        Temporal dateTime = Scalars.dateTime(expect(v, KindCase.DATETIME_VALUE, target).getDatetimeValue());
        if (dateTime instanceof OffsetDateTime aware) {
            return aware;
        }
        throw mismatch(target, v);
    }

    /** Naive only: dropping an offset would silently move the time for whoever reads it elsewhere. */
    static LocalDateTime naive(Value v, Type target) {
        Temporal dateTime = Scalars.dateTime(expect(v, KindCase.DATETIME_VALUE, target).getDatetimeValue());
        if (dateTime instanceof LocalDateTime naive) {
            return naive;
        }
        throw mismatch(target, v);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(Class<?> enumType, String name) {
        try {
            return Enum.valueOf((Class) enumType, name);
        } catch (IllegalArgumentException e) {
            throw new TypeError("no constant " + PyroError.excerpt(name) + " in enum " + JavaTypes.describe(enumType));
        }
    }

    /** "expected int, got str". */
    static TypeError mismatch(Type target, Value v) {
        return new TypeError("expected " + JavaTypes.describe(target) + ", got " + kindOf(v));
    }

    /** "int 300 is out of range for byte". */
    private static TypeError outOfRange(String value, Type target) {
        return new TypeError(PyroError.excerpt(value) + " is out of range for " + JavaTypes.describe(target));
    }

    /** The value's kind in Python's words, which remote callers know: "str", "dict", "None". */
    static String kindOf(Value v) {
        return switch (v.getKindCase()) {
            case NULL_VALUE -> "None";
            case BOOL_VALUE -> "bool";
            case INT_VALUE, BIG_INT_VALUE -> "int";
            case FLOAT_VALUE -> "float";
            case STR_VALUE -> "str";
            case BYTES_VALUE -> "bytes";
            case LIST_VALUE -> "list";
            case TUPLE_VALUE -> "tuple";
            case SET_VALUE -> "set";
            case MAP_VALUE -> "dict";
            case DECIMAL_VALUE -> "Decimal";
            case DATETIME_VALUE -> v.getDatetimeValue().hasUtcOffsetSeconds() ? "aware datetime" : "naive datetime";
            case DATE_VALUE -> "date";
            case TIME_VALUE -> "time";
            case UUID_VALUE -> "UUID";
            case COMPLEX_VALUE -> "complex";
            case OBJECT_VALUE -> "object of class " + PyroError.excerpt(v.getObjectValue().getClassName());
            case PROXY_VALUE -> "proxy";
            case URI_VALUE -> "URI";
            case KIND_NOT_SET -> "malformed value";
        };
    }
}
