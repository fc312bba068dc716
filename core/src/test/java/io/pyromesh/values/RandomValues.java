package io.pyromesh.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Random values in their natural Java form (what {@link ValueCodec#decode(io.pyromesh.proto.v1.Value)}
 * returns), so that decoding their encoding must give them back.
 */
final class RandomValues {
    /** A registered record, the natural form of its class-dict. */
    record Point(long x, long y, String label) {}

    private static final long MAX_EPOCH_SECOND = LocalDateTime.MAX.toEpochSecond(ZoneOffset.UTC);
    private static final long MIN_EPOCH_SECOND = LocalDateTime.MIN.toEpochSecond(ZoneOffset.UTC);
    private static final double[] SPECIAL_DOUBLES = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL
    };
    private static final long[] SPECIAL_LONGS = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1};

    private final Random random;

    RandomValues(long seed) {
        random = new Random(seed);
    }

    /** A value nesting at most {@code depth} levels. */
    Object next(int depth) {
        int kinds = depth > 1 ? 21 : 16;
        return switch (random.nextInt(kinds)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> nextLong();
            case 3 -> nextBigInteger();
            case 4 -> nextDouble();
            case 5 -> nextString();
            case 6 -> nextBytes();
            case 7 -> BigDecimal.valueOf(random.nextLong(), random.nextInt(41) - 20);
            case 8 -> OffsetDateTime.of(nextLocalDateTime(),
                    ZoneOffset.ofTotalSeconds(random.nextInt(2 * 64800 + 1) - 64800));
            case 9 -> nextLocalDateTime();
            case 10 -> nextLocalDateTime().toLocalDate();
            case 11 -> LocalTime.ofNanoOfDay(Math.floorMod(random.nextLong(), LocalTime.MAX.toNanoOfDay() + 1));
            case 12 -> new UUID(random.nextLong(), random.nextLong());
            case 13 -> new Complex(nextDouble(), nextDouble());
            case 14 -> new Point(nextLong(), nextLong(), nextString());
            case 15 -> LocalDate.of(random.nextInt(9999) + 1, 1 + random.nextInt(12), 1 + random.nextInt(28));
            case 16 -> fill(new ArrayList<>(), depth);
            case 17 -> Tuple.copyOf(fill(new ArrayList<>(), depth));
            case 18 -> {
                Set<Object> items = new LinkedHashSet<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(nextKey(depth - 1));
                }
                yield items;
            }
            case 19 -> nextMap(depth);
            default -> Tuple.of(nextString(), fill(new ArrayList<>(), depth));
        };
    }

    /** A value JSON can carry: null, bool, integers, floats, strings, lists, maps with string keys. */
    Object nextJsonNative(int depth) {
        return switch (random.nextInt(depth > 1 ? 8 : 6)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> nextLong();
            case 3 -> nextBigInteger();
            case 4 -> nextDouble();
            case 5 -> nextString();
            case 6 -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(nextJsonNative(depth - 1));
                }
                yield items;
            }
            default -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    fields.put(nextString(), nextJsonNative(depth - 1));
                }
                yield fields;
            }
        };
    }

    private <C extends Collection<Object>> C fill(C items, int depth) {
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            items.add(next(depth - 1));
        }
        return items;
    }

    private Map<Object, Object> nextMap(int depth) {
        Map<Object, Object> map = new LinkedHashMap<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            // keys of any kind, not only strings: a Python dict may be keyed by ints or tuples
            map.put(nextKey(depth - 1), next(depth - 1));
        }
        return map;
    }

    /**
     * A value to be a map key or set item: anything but a byte array, which Java compares by identity,
     * so that two equal arrays are two keys here but may be one after decoding (all empty arrays are
     * the same).
     */
    private Object nextKey(int depth) {
        Object key;
        do {
            key = next(depth);
        } while (key instanceof byte[]);
        return key;
    }

    private long nextLong() {
        return random.nextInt(4) == 0
                ? SPECIAL_LONGS[random.nextInt(SPECIAL_LONGS.length)]
                : random.nextLong() >> random.nextInt(64);
    }

    /** An integer outside the 64-bit range: just past it, or far beyond. */
    private BigInteger nextBigInteger() {
        BigInteger magnitude = random.nextBoolean()
                ? BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(random.nextInt(3) + 1))
                : new BigInteger(64 + random.nextInt(600), random).setBit(64);
        return random.nextBoolean() ? magnitude : magnitude.negate().subtract(BigInteger.ONE);
    }

    private double nextDouble() {
        return switch (random.nextInt(3)) {
            case 0 -> SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
            case 1 -> Double.longBitsToDouble(random.nextLong());
            default -> random.nextGaussian() * 1000;
        };
    }

    private String nextString() {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextBoolean()
                    ? 32 + random.nextInt(95)
                    : random.nextInt(Character.MAX_CODE_POINT + 1);
            // lone surrogates are not Unicode text: protobuf cannot carry them
            if (!(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                s.appendCodePoint(codePoint);
            }
        }
        return s.toString();
    }

    private byte[] nextBytes() {
        byte[] bytes = new byte[random.nextInt(9)];
        random.nextBytes(bytes);
        return bytes;
    }

    private LocalDateTime nextLocalDateTime() {
        long second = random.nextInt(4) == 0
                ? (random.nextBoolean() ? MIN_EPOCH_SECOND : MAX_EPOCH_SECOND)
                : random.nextLong() % 100_000_000_000L;
        return LocalDateTime.ofEpochSecond(second, random.nextInt(1_000_000_000), ZoneOffset.UTC);
    }
}
