package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Date;
import io.pyromesh.proto.v1.DateTime;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.TimeOfDay;
import io.pyromesh.proto.v1.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link ValueCodec#decode(Value)}: each kind to its natural Java type. */
class ValueCodecDecodeTest {
    private final ValueCodec codec = new ValueCodec(new ClassRegistry(), RemoteReferences.NONE);

    @Test
    void scalarsBecomeTheirBoxes() {
        assertThat(codec.decode(Wire.none())).isNull();
        assertThat(codec.decode(Wire.bool(true))).isEqualTo(true);
        assertThat(codec.decode(Wire.integer(42))).isEqualTo(42L);
        assertThat(codec.decode(Wire.floating(-0.0))).isEqualTo(-0.0);
        assertThat(codec.decode(Wire.floating(Double.NaN))).isEqualTo(Double.NaN);
        assertThat(codec.decode(Wire.str("héllo"))).isEqualTo("héllo");
        assertThat(codec.decode(Wire.bytes(1, 2))).isEqualTo(new byte[] {1, 2});
    }

    @Test
    void bigIntegersBecomeBigIntegersUnlessTheyFitInALong() {
        assertThat(codec.decode(Wire.bigInt("-123456789012345678901234567890")))
                .isEqualTo(new BigInteger("-123456789012345678901234567890"));
        assertThat(codec.decode(Wire.bigInt("9223372036854775808"))).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(codec.decode(Wire.bigInt("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
        assertThat(codec.decode(Wire.bigInt("0042"))).isEqualTo(42L);
    }

    @Test
    void sequencesBecomeArrayListTupleAndLinkedHashSet() {
        Value items = Wire.list(Wire.integer(1), Wire.str("a"), Wire.none());

        assertThat(codec.decode(items)).isInstanceOf(ArrayList.class).isEqualTo(Arrays.asList(1L, "a", null));
        assertThat(codec.decode(Wire.tuple(Wire.integer(1), Wire.str("a")))).isInstanceOf(Tuple.class)
                .isEqualTo(Tuple.of(1L, "a"));
        assertThat(codec.decode(Wire.set(Wire.integer(2), Wire.integer(1), Wire.integer(2))))
                .isInstanceOf(LinkedHashSet.class)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.ITERABLE)
                .containsExactly(2L, 1L);
        assertThat(codec.decode(Wire.list())).isEqualTo(List.of());
    }

    @Test
    void aMapBecomesALinkedHashMapInTheSendersOrderWithKeysOfAnyKind() {
        Value map = Wire.map(
                Wire.str("z"), Wire.integer(1),
                Wire.integer(7), Wire.str("seven"),
                Wire.tuple(Wire.integer(1), Wire.integer(2)), Wire.none());

        Map<?, ?> decoded = (Map<?, ?>) codec.decode(map);

        assertThat(decoded).isInstanceOf(LinkedHashMap.class);
        assertThat(new ArrayList<Object>(decoded.keySet())).containsExactly("z", 7L, Tuple.of(1L, 2L));
        assertThat(decoded.get(Tuple.of(1L, 2L))).isNull();
    }

    @Test
    void aRepeatedMapKeyKeepsTheLastValueAsPythonsDictDoes() {
        Object decoded = codec.decode(Wire.map(Wire.str("a"), Wire.integer(1), Wire.str("a"), Wire.integer(2)));

        assertThat(decoded).isEqualTo(Map.of("a", 2L));
    }

    @Test
    void decimalsBecomeBigDecimalsWithTheirScale() {
        assertThat(codec.decode(Wire.decimal("3.140"))).isEqualTo(new BigDecimal("3.140"));
        assertThat(codec.decode(Wire.decimal("-1E+3"))).isEqualTo(new BigDecimal("-1E+3"));
    }

    @Test
    void aDecimalThatJavaCannotHoldIsASerializeError() {
        for (String special : List.of("NaN", "-Infinity", "sNaN", "inf")) {
            assertThatThrownBy(() -> codec.decode(Wire.decimal(special)))
                    .isInstanceOf(SerializeError.class)
                    .hasMessage("decimal_value '" + special
                            + "' has no Java equivalent (BigDecimal has no NaN or Infinity)");
        }
    }

    @Test
    void anAwareDateTimeBecomesAnOffsetDateTimeAndANaiveOneALocalDateTime() {
        DateTime wallClock = DateTime.newBuilder().setSeconds(1714564800).setNanos(5).build();
        Value aware = Value.newBuilder().setDatetimeValue(wallClock.toBuilder().setUtcOffsetSeconds(7200)).build();

        assertThat(codec.decode(aware))
                .isEqualTo(OffsetDateTime.parse("2024-05-01T12:00:00.000000005+02:00"));
        assertThat(codec.decode(Value.newBuilder().setDatetimeValue(wallClock).build()))
                .isEqualTo(LocalDateTime.parse("2024-05-01T12:00:00.000000005"));
    }

    @Test
    void datesTimesUuidsAndComplexNumbersBecomeTheirJavaTypes() {
        Value date = Value.newBuilder().setDateValue(Date.newBuilder().setYear(2024).setMonth(2).setDay(29)).build();
        Value time = Value.newBuilder().setTimeValue(TimeOfDay.newBuilder().setNanosOfDay(3_600_000_000_001L)).build();
        Value complex = Value.newBuilder()
                .setComplexValue(io.pyromesh.proto.v1.Complex.newBuilder().setReal(1).setImag(Double.NaN)).build();

        assertThat(codec.decode(date)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(codec.decode(time)).isEqualTo(LocalTime.of(1, 0, 0, 1));
        assertThat(codec.decode(Wire.uuid("123E4567-E89B-12D3-A456-426614174000")))
                .isEqualTo(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThat(codec.decode(complex)).isEqualTo(new Complex(1, Double.NaN));
    }

    @Test
    void aProxyReferenceIsRefusedWithoutProxySupport() {
        Value ref = Value.newBuilder().setProxyValue(ProxyRef.newBuilder().setUri("PYRO:obj@localhost:9100")).build();

        assertThatThrownBy(() -> codec.decode(ref))
                .isInstanceOf(SerializeError.class)
                .hasMessage("cannot decode a proxy reference here: no proxy support configured");
    }

    @Test
    void aProxyReferenceBecomesWhatTheReferencesMakeOfIt() {
        Value ref = Value.newBuilder().setProxyValue(ProxyRef.newBuilder().setUri("PYRO:obj@localhost:9100")).build();

        Object decoded = codec.withReferences(new FakeReferences()).decode(Wire.list(ref));

        assertThat(decoded).isEqualTo(List.of(new FakeReferences.Stub("PYRO:obj@localhost:9100")));
    }
}
