package io.pyromesh.values;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Date;
import io.pyromesh.proto.v1.DateTime;
import io.pyromesh.proto.v1.TimeOfDay;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The wire forms of {@code Value}'s scalar kinds whose content can be malformed: checked parsing
 * (throwing {@link SerializeError} that names the field) and the matching encoding.
 */
final class Scalars {
    /**
     * Digits allowed in an integer or decimal: Python's own limit for converting int to and from text
     * ({@code sys.int_info.default_max_str_digits}), which also keeps Java's quadratic text
     * conversion of huge numbers cheap.
     */
    static final int MAX_DIGITS = 4300;

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    /** Python's special decimals: NaN, sNaN (with an optional payload) and Infinity. */
    private static final Pattern SPECIAL_DECIMAL =
            Pattern.compile("[+-]?(s?nan[0-9]*|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private Scalars() {}

    static BigInteger parseBigInt(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || !asciiDigits(text, start)) {
            throw new SerializeError("malformed big_int_value: " + quote(text));
        }
        if (text.length() - start > MAX_DIGITS) {
            throw new SerializeError("malformed big_int_value: more than " + MAX_DIGITS + " digits");
        }
        return new BigInteger(text);
    }

    static String bigIntText(BigInteger n) {
        // a decimal digit carries log2(10) ≈ 3.32 bits: with more than 3.33 bits per allowed digit, a
        // number certainly has too many digits, and is refused without the cost of printing it
        if (n.bitLength() > MAX_DIGITS * 3.33) {
            throw tooManyDigits(n);
        }
        String text = n.toString();
        if (text.length() - (n.signum() < 0 ? 1 : 0) > MAX_DIGITS) {
            throw tooManyDigits(n);
        }
        return text;
    }

    private static SerializeError tooManyDigits(BigInteger n) {
        return new SerializeError("won't serialize an integer of more than " + MAX_DIGITS
                + " digits (it has " + n.bitLength() + " bits)");
    }

    /** A decimal in Java's notation; Python's NaN and Infinity decimals have no BigDecimal to become. */
    static BigDecimal parseDecimal(String text) {
        int digits = 0;
        boolean inExponent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits += inExponent ? 0 : 1;
            } else if (c == 'e' || c == 'E') {
                inExponent = true;
            } else if (c != '-' && c != '+' && c != '.') {
                // BigDecimal would accept other Unicode digits; the wire format is ASCII
                throw new SerializeError(SPECIAL_DECIMAL.matcher(text).matches()
                        ? "decimal_value " + quote(text) + " has no Java equivalent (BigDecimal has no NaN or Infinity)"
                        : "malformed decimal_value: " + quote(text));
            }
        }
        if (digits > MAX_DIGITS) {
            throw new SerializeError("malformed decimal_value: more than " + MAX_DIGITS + " digits");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new SerializeError("malformed decimal_value: " + quote(text), e);
        }
    }

    /** A uuid_value's UUID. */
    static UUID uuidValue(String text) {
        UUID uuid = parseUuid(text);
        if (uuid == null) {
            throw new SerializeError("malformed uuid_value: " + quote(text));
        }
        return uuid;
    }

    /** The UUID in canonical 8-4-4-4-12 hex form (either case), or null for any other text. */
    static UUID parseUuid(String text) {
        if (text.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dashExpected = i == 8 || i == 13 || i == 18 || i == 23;
            if (dashExpected ? c != '-' : !isAsciiHex(c)) {
                return null;
            }
        }
        return UUID.fromString(text);
    }

    static DateTime dateTime(LocalDateTime wallClock, ZoneOffset offsetOrNull) {
        DateTime.Builder dt = DateTime.newBuilder()
                .setSeconds(wallClock.toEpochSecond(ZoneOffset.UTC))
                .setNanos(wallClock.getNano());
        if (offsetOrNull != null) {
            dt.setUtcOffsetSeconds(offsetOrNull.getTotalSeconds());
        }
        return dt.build();
    }

    /** A date-time as its natural type: an OffsetDateTime if aware, a LocalDateTime if naive. */
    static Temporal dateTime(DateTime dt) {
        LocalDateTime wallClock = wallClock(dt);
        ZoneOffset offset = offset(dt);
        return offset == null ? wallClock : OffsetDateTime.of(wallClock, offset);
    }

    /** The wall-clock date-time of {@code dt}, in its own offset if it has one. */
    static LocalDateTime wallClock(DateTime dt) {
        if (dt.getNanos() < 0 || dt.getNanos() > 999_999_999) {
            throw new SerializeError("malformed datetime_value: nanos out of range: " + dt.getNanos());
        }
        try {
            return LocalDateTime.ofEpochSecond(dt.getSeconds(), dt.getNanos(), ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new SerializeError("malformed datetime_value: seconds out of range: " + dt.getSeconds(), e);
        }
    }

    /** The UTC offset of an aware date-time, or null for a naive one. */
    static ZoneOffset offset(DateTime dt) {
        if (!dt.hasUtcOffsetSeconds()) {
            return null;
        }
        int seconds = dt.getUtcOffsetSeconds();
        if (Math.abs(seconds) > MAX_OFFSET_SECONDS) {
            throw new SerializeError("malformed datetime_value: utc_offset_seconds out of range (-64800 to 64800): "
                    + seconds);
        }
        return ZoneOffset.ofTotalSeconds(seconds);
    }

    static Date date(LocalDate date) {
        return Date.newBuilder()
                .setYear(date.getYear())
                .setMonth(date.getMonthValue())
                .setDay(date.getDayOfMonth())
                .build();
    }

    static LocalDate date(Date date) {
        try {
            return LocalDate.of(date.getYear(), date.getMonth(), date.getDay());
        } catch (DateTimeException e) {
            throw new SerializeError("malformed date_value: " + e.getMessage(), e);
        }
    }

    static TimeOfDay time(LocalTime time) {
        return TimeOfDay.newBuilder().setNanosOfDay(time.toNanoOfDay()).build();
    }

    static LocalTime time(TimeOfDay time) {
        try {
            return LocalTime.ofNanoOfDay(time.getNanosOfDay());
        } catch (DateTimeException e) {
            throw new SerializeError("malformed time_value: " + e.getMessage(), e);
        }
    }

    /** Text from the wire for an error message, quoted and {@linkplain #shorten shortened}. */
    static String quote(String text) {
        return "'" + PyroError.excerpt(text) + "'";
    }

    private static boolean asciiDigits(String text, int start) {
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
