package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.proto.v1.Value;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random natural values survive encoding, the protobuf wire and decoding. Each run uses a new seed,
 * printed on failure; {@code -Dvalues.seed=N} repeats a run.
 */
class ValueCodecRoundTripTest {
    private static final int VALUES_PER_RUN = 3000;
    private static final int MAX_DEPTH = 6;

    private final ClassRegistry registry = new ClassRegistry();
    private final ValueCodec codec = new ValueCodec(registry, RemoteReferences.NONE);
    private final long seed = Long.getLong("values.seed", System.nanoTime());
    private final RandomValues random = new RandomValues(seed);

    @BeforeEach
    void registerTheRandomRecord() {
        registry.registerRecord(RandomValues.Point.class, "test.Point");
    }

    @Test
    void decodingTheEncodingOfANaturalValueGivesItBack() throws Exception {
        for (int i = 0; i < VALUES_PER_RUN; i++) {
            Object original = random.next(MAX_DEPTH);
            try {
                Value onTheWire = Value.parseFrom(codec.encode(original).toByteArray());

                assertThat(SameValue.difference(original, codec.decode(onTheWire))).isNull();
            } catch (Exception | AssertionError e) {
                throw new AssertionError("value #" + i + " of seed " + seed + " (-Dvalues.seed=" + seed + "): "
                        + original, e);
            }
        }
    }

    @Test
    void decodingToTheNaturalTypeAsTargetGivesTheSameAsDecodingWithout() {
        for (int i = 0; i < VALUES_PER_RUN; i++) {
            Object original = random.next(MAX_DEPTH);
            Value encoded = codec.encode(original);
            Class<?> naturalType = original == null ? Object.class : original.getClass();

            assertThat(SameValue.difference(original, codec.decode(encoded, naturalType)))
                    .as("value #%d of seed %d (-Dvalues.seed=%d): %s", i, seed, seed, original)
                    .isNull();
        }
    }

    @Test
    void jsonCarriesTheValuesItCanExpress() {
        for (int i = 0; i < VALUES_PER_RUN; i++) {
            Value original = codec.encode(random.nextJsonNative(MAX_DEPTH));
            String json = JsonValues.toJson(original);

            assertThat(JsonValues.parse(json))
                    .as("value #%d of seed %d (-Dvalues.seed=%d): %s", i, seed, seed, json)
                    .isEqualTo(original);
        }
    }
}
