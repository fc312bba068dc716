package io.pyromesh.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kinds of value a config item holds. Each kind turns text (an environment variable, a system
 * property, a string given to {@code with}) or a Java value into its stored form, and prints a stored
 * value for {@code dump()}. The text rules are Pyro's, with the leniencies noted on each constant.
 *
 * <p>Failures throw {@link Rejected} with a phrase that starts with the offending value
 * ({@code "'12x' is not an integer"}); {@link Item} prefixes the variable name.
 */
enum ValueType {
    /** Taken as is, spaces included, as Pyro does. */
    STRING {
        @Override
        Object parse(String text) {
            return text;
        }

        @Override
        Object coerce(Object value) {
            if (value instanceof String) {
                return value;
            }
            // names the type, not the value: the value may be a password given the wrong way
            throw new Rejected("a value of type " + value.getClass().getSimpleName() + " is not a string");
        }
    },

    /** A string that {@code dump()} masks, so check-config output can be pasted into a bug report. */
    SECRET {
        @Override
        Object parse(String text) {
            return STRING.parse(text);
        }

        @Override
        Object coerce(Object value) {
            return STRING.coerce(value);
        }

        @Override
        String print(Object value) {
            return value == null || ((String) value).isEmpty() ? super.print(value) : "***";
        }
    },

    /**
     * Decimal digits with an optional sign; surrounding whitespace is ignored, as Python's {@code int()}
     * does. Stored as an {@code Integer}, but checked as a {@code long} first so that a range check can
     * say why a big value is wrong before it is found too big for an int.
     */
    INT {
        private final Pattern integer = Pattern.compile("[+-]?\\d+");

        @Override
        Object parse(String text) {
            String digits = text.strip();
            if (!integer.matcher(digits).matches()) {
                throw new Rejected(quoted(text) + " is not an integer");
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException tooManyDigits) {
                throw new Rejected(quoted(text) + " is out of range");
            }
        }

        @Override
        Object coerce(Object value) {
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            throw new Rejected(value + " is not an integer");
        }

        @Override
        Object narrow(Object value) {
            long number = (Long) value;
            if (number != (int) number) {
                throw new Rejected(number + " is out of range (at most " + Integer.MAX_VALUE + ")");
            }
            return (int) number;
        }
    },

    /**
     * A number of seconds, stored as a {@code Double} like Pyro's floats. Text is a plain decimal number
     * ({@code 2}, {@code 2.5}, {@code 1e3}); Java's extras ({@code 2.5d}, hex) and non-finite values are
     * refused, because every such item becomes a {@link Duration}. Code may also pass a {@code Duration}.
     */
    SECONDS {
        private final Pattern decimal = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

        @Override
        Object parse(String text) {
            String number = text.strip();
            if (!decimal.matcher(number).matches()) {
                throw new Rejected(quoted(text) + " is not a number");
            }
            double seconds = Double.parseDouble(number);
            if (Double.isInfinite(seconds)) {
                throw new Rejected(quoted(text) + " is out of range");
            }
            return seconds;
        }

        @Override
        Object coerce(Object value) {
            if (value instanceof Duration duration) {
                return duration.getSeconds() + duration.getNano() / 1e9;
            }
            if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                return number.doubleValue();
            }
            throw new Rejected(value + " is not a finite number of seconds");
        }
    },

    /** Pyro's words, case-insensitive; surrounding whitespace is ignored (Pyro would refuse it). */
    BOOL {
        @Override
        Object parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "0", "off", "no", "false" -> false;
                case "1", "on", "yes", "true" -> true;
                default -> throw new Rejected("invalid boolean value: " + text);
            };
        }

        @Override
        Object coerce(Object value) {
            if (value instanceof Boolean) {
                return value;
            }
            throw new Rejected("invalid boolean value: " + value);
        }

        @Override
        String print(Object value) {
            return (Boolean) value ? "True" : "False";
        }
    },

    /**
     * Comma-separated, each element stripped. Unlike Pyro, empty elements are dropped ({@code "a,,b"} is
     * two addresses, {@code ""} is none): an empty string is never a usable address.
     */
    LIST {
        @Override
        Object parse(String text) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        @Override
        Object coerce(Object value) {
            if (value instanceof Collection<?> elements && elements.stream().allMatch(e -> e instanceof String)) {
                return List.copyOf(elements);
            }
            throw new Rejected(value + " is not a list of strings");
        }

        @Override
        @SuppressWarnings("unchecked")
        String print(Object value) {
            return String.join(", ", (List<String>) value);
        }
    };

    /** The stored form of a text value. */
    abstract Object parse(String text);

    /** The stored form of a non-null Java value given in code. */
    abstract Object coerce(Object value);

    /** The final stored form, once range checks have passed; only ints need a step here. */
    Object narrow(Object value) {
        return value;
    }

    /** The value as {@code dump()} and error messages show it; {@code null} is Python's {@code None}. */
    String print(Object value) {
        return value == null ? "None" : value.toString();
    }

    static String quoted(String text) {
        return "'" + text + "'";
    }

    /** A value that this type cannot hold; the message is a phrase starting with the value. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String problem) {
            super(problem, null, false, false);
        }
    }
}
