package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.DateTime;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Value.KindCase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link ValueCodec#encode}: one test per row of its table, Java side. */
class ValueCodecEncodeTest {
    enum Color { RED, GREEN }

    record Item(String name, int quantity) {}

    interface Greeter {}

    static final class Money {
        final String currency;
        final long cents;

        Money(String currency, long cents) {
            this.currency = currency;
            this.cents = cents;
        }
    }

    static final class Opaque {}

    private final ClassRegistry registry = new ClassRegistry();
    private final ValueCodec codec = new ValueCodec(registry, RemoteReferences.NONE);

    @Test
    void nullAndBooleansAreThemselves() {
        assertThat(codec.encode(null)).isEqualTo(Wire.none());
        assertThat(codec.encode(true)).isEqualTo(Wire.bool(true));
        assertThat(codec.encode(false)).isEqualTo(Wire.bool(false));
    }

    @Test
    void everyIntegerBoxIsAnInt() {
        assertThat(codec.encode((byte) -7)).isEqualTo(Wire.integer(-7));
        assertThat(codec.encode((short) 300)).isEqualTo(Wire.integer(300));
        assertThat(codec.encode(70_000)).isEqualTo(Wire.integer(70_000));
        assertThat(codec.encode(Long.MIN_VALUE)).isEqualTo(Wire.integer(Long.MIN_VALUE));
    }

    @Test
    void aBigIntegerIsAnIntWhenItFitsIn64BitsAndDigitsBeyond() {
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);

        assertThat(codec.encode(max)).isEqualTo(Wire.integer(Long.MAX_VALUE));
        assertThat(codec.encode(min)).isEqualTo(Wire.integer(Long.MIN_VALUE));
        assertThat(codec.encode(max.add(BigInteger.ONE))).isEqualTo(Wire.bigInt("9223372036854775808"));
        assertThat(codec.encode(min.subtract(BigInteger.ONE))).isEqualTo(Wire.bigInt("-9223372036854775809"));
    }

    @Test
    void anIntegerOfMoreThanPythonsDigitLimitIsRefused() {
        BigInteger digits4300 = BigInteger.TEN.pow(4300).subtract(BigInteger.ONE);

        assertThat(codec.encode(digits4300.negate()).getBigIntValue()).hasSize(4301);
        assertThatThrownBy(() -> codec.encode(BigInteger.TEN.pow(4300)))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("more than 4300 digits");
    }

    @Test
    void floatsAndDoublesAreFloatsWithNanInfinityAndNegativeZeroKept() {
        assertThat(codec.encode(1.5f)).isEqualTo(Wire.floating(1.5));
        assertThat(codec.encode(Double.NaN).getFloatValue()).isNaN();
        assertThat(codec.encode(Double.POSITIVE_INFINITY)).isEqualTo(Wire.floating(Double.POSITIVE_INFINITY));
        assertThat(codec.encode(Float.NEGATIVE_INFINITY)).isEqualTo(Wire.floating(Double.NEGATIVE_INFINITY));
        assertThat(Double.doubleToRawLongBits(codec.encode(-0.0).getFloatValue()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aBigDecimalIsItsExactText() {
        assertThat(codec.encode(new BigDecimal("3.14"))).isEqualTo(Wire.decimal("3.14"));
        assertThat(codec.encode(new BigDecimal("-1E+3"))).isEqualTo(Wire.decimal("-1E+3"));
        assertThat(codec.encode(new BigDecimal("0.000"))).isEqualTo(Wire.decimal("0.000"));
    }

    @Test
    void stringsCharactersAndEnumConstantsAreStr() {
        assertThat(codec.encode("héllo")).isEqualTo(Wire.str("héllo"));
        assertThat(codec.encode("")).isEqualTo(Wire.str(""));
        assertThat(codec.encode('x')).isEqualTo(Wire.str("x"));
        assertThat(codec.encode(Color.GREEN)).isEqualTo(Wire.str("GREEN"));
    }

    @Test
    void byteArraysAndTheRemainingBytesOfAByteBufferAreBytes() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        buffer.position(1);

        assertThat(codec.encode(new byte[] {1, 2})).isEqualTo(Wire.bytes(1, 2));
        assertThat(codec.encode(new byte[0])).isEqualTo(Wire.bytes());
        assertThat(codec.encode(buffer)).isEqualTo(Wire.bytes(2, 3, 4));
        assertThat(buffer.position()).isEqualTo(1);
    }

    @Test
    void aTupleIsATupleASetASetAndAnyOtherCollectionAList() {
        assertThat(codec.encode(Tuple.of(1, "a"))).isEqualTo(Wire.tuple(Wire.integer(1), Wire.str("a")));
        assertThat(codec.encode(new TreeSet<>(Set.of(2, 1)))).isEqualTo(Wire.set(Wire.integer(1), Wire.integer(2)));
        assertThat(codec.encode(List.of(1, 2))).isEqualTo(Wire.list(Wire.integer(1), Wire.integer(2)));
        assertThat(codec.encode(new ArrayDeque<>(List.of("a")))).isEqualTo(Wire.list(Wire.str("a")));
        assertThat(codec.encode(List.of())).isEqualTo(Wire.list());
        assertThat(codec.encode(Tuple.of())).isEqualTo(Wire.tuple());
        assertThat(codec.encode(Set.of())).isEqualTo(Wire.set());
    }

    @Test
    void arraysOtherThanByteArraysAreLists() {
        assertThat(codec.encode(new Object[] {1, null})).isEqualTo(Wire.list(Wire.integer(1), Wire.none()));
        assertThat(codec.encode(new int[] {1, 2})).isEqualTo(Wire.list(Wire.integer(1), Wire.integer(2)));
        assertThat(codec.encode(new double[] {0.5})).isEqualTo(Wire.list(Wire.floating(0.5)));
        assertThat(codec.encode(new char[] {'h', 'i'})).isEqualTo(Wire.list(Wire.str("h"), Wire.str("i")));
        assertThat(codec.encode(new boolean[0])).isEqualTo(Wire.list());
    }

    @Test
    void aMapKeepsItsOrderAndKeysOfAnyType() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put(7L, "seven");
        map.put(Tuple.of(1, 2), null);

        assertThat(codec.encode(map)).isEqualTo(Wire.map(
                Wire.str("b"), Wire.integer(1),
                Wire.integer(7), Wire.str("seven"),
                Wire.tuple(Wire.integer(1), Wire.integer(2)), Wire.none()));
        assertThat(codec.encode(Map.of())).isEqualTo(Wire.map());
    }

    @Test
    void anOffsetDateTimeKeepsItsWallClockAndOffset() {
        Value v = codec.encode(OffsetDateTime.parse("2024-05-01T12:00:00.25+02:00"));

        assertThat(v.getDatetimeValue()).isEqualTo(DateTime.newBuilder()
                .setSeconds(1714564800).setNanos(250_000_000).setUtcOffsetSeconds(7200).build());
    }

    @Test
    void aZonedDateTimeKeepsOnlyTheOffsetInForce() {
        ZonedDateTime paris = ZonedDateTime.of(LocalDateTime.parse("2024-05-01T12:00:00"), ZoneId.of("Europe/Paris"));

        assertThat(codec.encode(paris)).isEqualTo(codec.encode(paris.toOffsetDateTime()));
    }

    @Test
    void anInstantIsAnAwareDateTimeInUtc() {
        assertThat(codec.encode(Instant.parse("2024-05-01T10:00:00Z")).getDatetimeValue())
                .isEqualTo(DateTime.newBuilder().setSeconds(1714557600).setUtcOffsetSeconds(0).build());
        assertThatThrownBy(() -> codec.encode(Instant.MAX)).isInstanceOf(SerializeError.class);
    }

    @Test
    void aLocalDateTimeIsANaiveDateTime() {
        DateTime dt = codec.encode(LocalDateTime.parse("2024-05-01T12:00:00")).getDatetimeValue();

        assertThat(dt.getSeconds()).isEqualTo(1714564800);
        assertThat(dt.hasUtcOffsetSeconds()).isFalse();
    }

    @Test
    void datesTimesUuidsAndComplexNumbersHaveKindsOfTheirOwn() {
        Value date = codec.encode(LocalDate.of(2024, 2, 29));
        Value time = codec.encode(LocalTime.of(23, 59, 59, 999_999_999));
        Value uuid = codec.encode(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        Value complex = codec.encode(new Complex(1, -2));

        assertThat(List.of(date.getDateValue().getYear(), date.getDateValue().getMonth(), date.getDateValue().getDay()))
                .containsExactly(2024, 2, 29);
        assertThat(time.getTimeValue().getNanosOfDay()).isEqualTo(86_399_999_999_999L);
        assertThat(uuid).isEqualTo(Wire.uuid("123e4567-e89b-12d3-a456-426614174000"));
        assertThat(complex.getComplexValue().getReal()).isEqualTo(1);
        assertThat(complex.getComplexValue().getImag()).isEqualTo(-2);
    }

    @Test
    void anUnregisteredRecordIsAClassDictOfItsComponentsUnderItsBinaryName() {
        Value v = codec.encode(new Item("pen", 2));

        assertThat(v).isEqualTo(Wire.object("io.pyromesh.values.ValueCodecEncodeTest$Item",
                Map.of("name", Wire.str("pen"), "quantity", Wire.integer(2))));
        assertThat(v.getObjectValue().getFieldsMap().keySet()).containsExactly("name", "quantity");
    }

    @Test
    void aRegisteredRecordTravelsUnderItsRegisteredName() {
        registry.registerRecord(Item.class, "shop.Item");

        assertThat(codec.encode(new Item("pen", 2)).getObjectValue().getClassName()).isEqualTo("shop.Item");
    }

    @Test
    void aClassWithAClassToDictHookIsAClassDictOfWhatTheHookReturns() {
        registry.registerClassToDict(Money.class, "shop.Money",
                m -> Map.of("currency", m.currency, "cents", m.cents));

        assertThat(codec.encode(List.of(new Money("EUR", 150)))).isEqualTo(Wire.list(Wire.object("shop.Money",
                Map.of("currency", Wire.str("EUR"), "cents", Wire.integer(150)))));
    }

    @Test
    void aFailingOrNullReturningHookIsASerializeErrorNamingTheClass() {
        registry.registerClassToDict(Money.class, "shop.Money", m -> {
            throw new IllegalStateException("no rate");
        });
        registry.registerClassToDict(Opaque.class, "x.Opaque", o -> null);

        assertThatThrownBy(() -> codec.encode(new Money("EUR", 1)))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("shop.Money")
                .hasMessageContaining("no rate")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> codec.encode(new Opaque()))
                .isInstanceOf(SerializeError.class)
                .hasMessage("class-to-dict converter for x.Opaque returned null");
    }

    @Test
    void anObjectTheReferencesKnowIsAProxyEvenIfItIsARecord() {
        Greeter greeter = new Greeter() {};
        Item shared = new Item("shared", 1);
        ValueCodec withProxies = codec.withReferences(new FakeReferences()
                .register(greeter, "PYRO:greeter@localhost:9100")
                .register(shared, "PYRO:item@localhost:9100"));

        assertThat(withProxies.encode(greeter).getProxyValue().getUri()).isEqualTo("PYRO:greeter@localhost:9100");
        assertThat(withProxies.encode(shared).getKindCase()).isEqualTo(KindCase.PROXY_VALUE);
        assertThat(withProxies.encode(new Item("copy", 1)).getKindCase()).isEqualTo(KindCase.OBJECT_VALUE);
    }

    @Test
    void builtInTypesAreNeverOfferedAsReferences() {
        RemoteReferences refusingAll = new RemoteReferences() {
            @Override
            public ProxyRef toRef(Object o) {
                throw new AssertionError("asked about " + o);
            }

            @Override
            public Object fromRef(ProxyRef ref, Class<?> type) {
                throw new AssertionError();
            }
        };

        Value v = codec.withReferences(refusingAll).encode(List.of("a", 1, Map.of(2.5, Tuple.of(Color.RED))));

        assertThat(v.getKindCase()).isEqualTo(KindCase.LIST_VALUE);
    }

    @Test
    void iteratorsStreamsAndOtherIterablesAreRefusedWithAHint() {
        Iterable<String> iterable = () -> List.of("a").iterator();

        for (Object o : List.of(List.of(1).iterator(), Stream.of(1), iterable)) {
            assertThatThrownBy(() -> codec.encode(o))
                    .isInstanceOf(SerializeError.class)
                    .hasMessage("won't serialize an iterator or stream; return it from an exposed method to stream "
                            + "it, or convert it to a list");
        }
    }

    @Test
    void anyOtherClassIsRefusedNamingItAndTheRemedy() {
        assertThatThrownBy(() -> codec.encode(Map.of("k", new Opaque())))
                .isInstanceOf(SerializeError.class)
                .hasMessage("don't know how to serialize io.pyromesh.values.ValueCodecEncodeTest$Opaque: register a "
                        + "class-to-dict converter for it (ClassRegistry.registerClassToDict), or use a record");
    }
}
