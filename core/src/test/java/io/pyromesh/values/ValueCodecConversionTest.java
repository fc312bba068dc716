package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.DateTime;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link ValueCodec#decode(Value, java.lang.reflect.Type)}: what a receiver that declared a type gets. */
class ValueCodecConversionTest {
    enum Color { RED, GREEN }

    interface Greeter {}

    private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";
    private static final Value AWARE = Value.newBuilder()
            .setDatetimeValue(DateTime.newBuilder().setSeconds(1714564800).setUtcOffsetSeconds(7200)).build();
    private static final Value NAIVE = Value.newBuilder()
            .setDatetimeValue(DateTime.newBuilder().setSeconds(1714564800)).build();

    private final ValueCodec codec = new ValueCodec(new ClassRegistry(), RemoteReferences.NONE);

    @Test
    void integersBecomeAnyIntegerTypeTheyFit() {
        assertThat(codec.decode(Wire.integer(-128), byte.class)).isEqualTo((byte) -128);
        assertThat(codec.decode(Wire.integer(300), Short.class)).isEqualTo((short) 300);
        assertThat(codec.decode(Wire.integer(70_000), int.class)).isEqualTo(70_000);
        assertThat(codec.decode(Wire.integer(Long.MAX_VALUE), long.class)).isEqualTo(Long.MAX_VALUE);
        assertThat(codec.decode(Wire.bigInt("-9223372036854775808"), long.class)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anIntegerOutOfRangeIsATypeErrorNamingValueAndType() {
        assertThatThrownBy(() -> codec.decode(Wire.integer(300), byte.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("int 300 is out of range for byte");
        assertThatThrownBy(() -> codec.decode(Wire.integer(1L << 31), Integer.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("int 2147483648 is out of range for Integer");
        assertThatThrownBy(() -> codec.decode(Wire.bigInt("9223372036854775808"), long.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("int 9223372036854775808 is out of range for long");
    }

    @Test
    void noneIsNullForBoxesAndATypeErrorForPrimitives() {
        assertThat(codec.decode(Wire.none(), Integer.class)).isNull();
        assertThat(codec.decode(Wire.none(), String.class)).isNull();
        assertThatThrownBy(() -> codec.decode(Wire.none(), int.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected int, got None");
    }

    @Test
    void aValueOfAnotherKindIsATypeErrorNamingBoth() {
        assertThatThrownBy(() -> codec.decode(Wire.str("1"), int.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected int, got str");
        assertThatThrownBy(() -> codec.decode(Wire.integer(1), String.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected String, got int");
        assertThatThrownBy(() -> codec.decode(Wire.floating(1), long.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected long, got float");
        assertThatThrownBy(() -> codec.decode(Wire.integer(1), boolean.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected boolean, got int");
        assertThatThrownBy(() -> codec.decode(Wire.list(), new TypeRef<Map<String, Integer>>() {}.type()))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Map<String, Integer>, got list");
    }

    @Test
    void floatingPointTargetsTakeFloatsAndInts() {
        assertThat(codec.decode(Wire.floating(0.5), double.class)).isEqualTo(0.5);
        assertThat(codec.decode(Wire.integer(3), Double.class)).isEqualTo(3.0);
        assertThat(codec.decode(Wire.floating(Double.NEGATIVE_INFINITY), float.class))
                .isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(codec.decode(Wire.floating(0.1), float.class)).isEqualTo(0.1f);
        assertThatThrownBy(() -> codec.decode(Wire.floating(1e300), float.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("float 1.0E300 is out of range for float");
    }

    @Test
    void bigNumbersTakeEveryExactNumber() {
        assertThat(codec.decode(Wire.integer(5), BigInteger.class)).isEqualTo(BigInteger.valueOf(5));
        assertThat(codec.decode(Wire.bigInt("99999999999999999999"), BigInteger.class))
                .isEqualTo(new BigInteger("99999999999999999999"));
        assertThat(codec.decode(Wire.decimal("1.50"), BigDecimal.class)).isEqualTo(new BigDecimal("1.50"));
        assertThat(codec.decode(Wire.integer(5), BigDecimal.class)).isEqualTo(BigDecimal.valueOf(5));
        assertThat(codec.decode(Wire.bigInt("99999999999999999999"), BigDecimal.class))
                .isEqualTo(new BigDecimal("99999999999999999999"));
        assertThat(codec.decode(Wire.floating(0.1), BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
        assertThatThrownBy(() -> codec.decode(Wire.floating(Double.NaN), BigDecimal.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected BigDecimal, got float NaN");
        assertThatThrownBy(() -> codec.decode(Wire.floating(1.5), BigInteger.class)).isInstanceOf(TypeError.class);
    }

    @Test
    void aCharIsAOneCharacterStr() {
        assertThat(codec.decode(Wire.str("x"), char.class)).isEqualTo('x');
        assertThatThrownBy(() -> codec.decode(Wire.str("xy"), Character.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Character, got str of length 2");
    }

    @Test
    void bytesBecomeAByteArrayOrAByteBuffer() {
        assertThat(codec.decode(Wire.bytes(1, 2), byte[].class)).isEqualTo(new byte[] {1, 2});
        assertThat(codec.decode(Wire.bytes(1, 2), ByteBuffer.class)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
        assertThatThrownBy(() -> codec.decode(Wire.str("ab"), byte[].class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected byte[], got str");
    }

    @Test
    void aListTargetTakesAnySequenceAndConvertsItsItems() {
        var listOfInteger = new TypeRef<List<Integer>>() {}.type();

        assertThat(codec.decode(Wire.list(Wire.integer(1), Wire.integer(2)), listOfInteger))
                .isInstanceOf(ArrayList.class).isEqualTo(List.of(1, 2));
        assertThat(codec.decode(Wire.tuple(Wire.integer(1)), listOfInteger)).isInstanceOf(ArrayList.class);
        assertThat(codec.decode(Wire.set(Wire.integer(1)), listOfInteger)).isEqualTo(List.of(1));
        assertThat(codec.decode(Wire.list(), listOfInteger)).isEqualTo(List.of());
        assertThatThrownBy(() -> codec.decode(Wire.list(Wire.str("1")), listOfInteger))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Integer, got str");
    }

    @Test
    void aCollectionOrIterableTargetKeepsTheKindOfSequence() {
        var collectionOfLong = new TypeRef<Collection<Long>>() {}.type();

        assertThat(codec.decode(Wire.tuple(Wire.integer(1)), collectionOfLong)).isInstanceOf(Tuple.class);
        assertThat(codec.decode(Wire.set(Wire.integer(1)), collectionOfLong)).isInstanceOf(LinkedHashSet.class);
        assertThat(codec.decode(Wire.list(Wire.integer(1)), Iterable.class)).isInstanceOf(ArrayList.class);
    }

    @Test
    void aSetTargetTakesAnySequenceAndConvertsItsItems() {
        var setOfUuid = new TypeRef<Set<UUID>>() {}.type();

        assertThat(codec.decode(Wire.list(Wire.str(UUID_TEXT), Wire.uuid(UUID_TEXT)), setOfUuid))
                .isInstanceOf(LinkedHashSet.class)
                .isEqualTo(Set.of(UUID.fromString(UUID_TEXT)));
    }

    @Test
    void aTupleTargetTakesTuplesAndListsButNotSets() {
        assertThat(codec.decode(Wire.list(Wire.integer(1), Wire.str("a")), Tuple.class)).isEqualTo(Tuple.of(1L, "a"));
        assertThatThrownBy(() -> codec.decode(Wire.set(), Tuple.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Tuple, got set");
    }

    @Test
    void arraysOfAnyComponentTypeTakeAnySequence() {
        assertThat(codec.decode(Wire.list(Wire.integer(1), Wire.integer(2)), int[].class)).isEqualTo(new int[] {1, 2});
        assertThat(codec.decode(Wire.tuple(Wire.str("a")), String[].class)).isEqualTo(new String[] {"a"});
        assertThat(codec.decode(Wire.list(Wire.list(Wire.integer(1))), new TypeRef<List<Short>[]>() {}.type()))
                .isEqualTo(new List<?>[] {List.of((short) 1)});
        assertThatThrownBy(() -> codec.decode(Wire.list(Wire.none()), double[].class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected double, got None");
    }

    @Test
    void mapsConvertTheirKeysAndValues() {
        var byNumber = new TypeRef<Map<Integer, List<String>>>() {}.type();

        Object decoded = codec.decode(Wire.map(Wire.integer(1), Wire.tuple(Wire.str("a"))), byNumber);

        assertThat(decoded).isEqualTo(Map.of(1, List.of("a")));
        assertThat(codec.decode(Wire.map(), HashMap.class)).isEqualTo(Map.of());
    }

    @Test
    void wildcardsTypeVariablesAndRawTypesGetTheNaturalValuesOfTheirBound() {
        assertThat(codec.decode(Wire.list(Wire.integer(1)), new TypeRef<List<? extends Number>>() {}.type()))
                .isEqualTo(List.of(1L));
        assertThat(codec.decode(Wire.list(Wire.integer(1)), List.class)).isEqualTo(List.of(1L));
        assertThat(codec.decode(Wire.list(Wire.integer(1)), new TypeRef<List<?>>() {}.type())).isEqualTo(List.of(1L));
    }

    @Test
    void anEnumIsTakenFromItsConstantName() {
        assertThat(codec.decode(Wire.str("GREEN"), Color.class)).isEqualTo(Color.GREEN);
        assertThatThrownBy(() -> codec.decode(Wire.str("PURPLE"), Color.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("no constant PURPLE in enum Color");
    }

    @Test
    void awareTargetsTakeOnlyAwareDateTimes() {
        assertThat(codec.decode(AWARE, Instant.class)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(codec.decode(AWARE, OffsetDateTime.class))
                .isEqualTo(OffsetDateTime.parse("2024-05-01T12:00:00+02:00"));
        assertThat(codec.decode(AWARE, ZonedDateTime.class))
                .isEqualTo(ZonedDateTime.of(LocalDateTime.parse("2024-05-01T12:00:00"), ZoneOffset.ofHours(2)));
        assertThatThrownBy(() -> codec.decode(NAIVE, Instant.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Instant, got naive datetime");
    }

    @Test
    void aLocalDateTimeTakesOnlyANaiveDateTimeRatherThanDropAnOffset() {
        assertThat(codec.decode(NAIVE, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2024-05-01T12:00:00"));
        assertThatThrownBy(() -> codec.decode(AWARE, LocalDateTime.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected LocalDateTime, got aware datetime");
    }

    @Test
    void datesAndTimesTakeOnlyTheirOwnKinds() {
        assertThat(codec.decode(codec.encode(LocalDate.of(2024, 1, 31)), LocalDate.class))
                .isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(codec.decode(codec.encode(LocalTime.NOON), LocalTime.class)).isEqualTo(LocalTime.NOON);
        assertThatThrownBy(() -> codec.decode(AWARE, LocalDate.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected LocalDate, got aware datetime");
    }

    @Test
    void aUuidIsTakenFromAUuidOrItsCanonicalText() {
        assertThat(codec.decode(Wire.uuid(UUID_TEXT), UUID.class)).isEqualTo(UUID.fromString(UUID_TEXT));
        assertThat(codec.decode(Wire.str(UUID_TEXT.toUpperCase()), UUID.class)).isEqualTo(UUID.fromString(UUID_TEXT));
        assertThatThrownBy(() -> codec.decode(Wire.str("1-2-3-4-5"), UUID.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected UUID, got str '1-2-3-4-5', which is not a UUID");
    }

    @Test
    void aComplexIsTakenFromAComplex() {
        assertThat(codec.decode(codec.encode(new Complex(1, 2)), Complex.class)).isEqualTo(new Complex(1, 2));
        assertThatThrownBy(() -> codec.decode(Wire.floating(1), Complex.class)).isInstanceOf(TypeError.class);
    }

    @Test
    void anyOtherTargetTakesTheNaturalValueIfItIsAnInstance() {
        assertThat(codec.decode(Wire.integer(1), Number.class)).isEqualTo(1L);
        assertThat(codec.decode(Wire.bigInt("99999999999999999999"), Number.class)).isInstanceOf(BigInteger.class);
        assertThat(codec.decode(Wire.str("a"), CharSequence.class)).isEqualTo("a");
        assertThat(codec.decode(Wire.tuple(), Object.class)).isEqualTo(Tuple.of());
        assertThatThrownBy(() -> codec.decode(Wire.str("a"), Number.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Number, got str");
    }

    @Test
    void anInterfaceTargetTakesAProxyMadeForThatInterface() {
        Value ref = Value.newBuilder()
                .setProxyValue(ProxyRef.newBuilder().setUri("PYRO:greeter@localhost:9100"))
                .build();
        ValueCodec withProxies = codec.withReferences(new FakeReferences());

        Object greeter = withProxies.decode(ref, Greeter.class);

        assertThat(greeter).isInstanceOf(Greeter.class).hasToString("PYRO:greeter@localhost:9100");
        assertThatThrownBy(() -> withProxies.decode(ref, String.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected String, got proxy");
        assertThatThrownBy(() -> codec.decode(ref, Greeter.class))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("no proxy support configured");
    }
}
