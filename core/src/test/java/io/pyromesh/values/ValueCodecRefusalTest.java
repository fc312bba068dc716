package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Date;
import io.pyromesh.proto.v1.DateTime;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.TimeOfDay;
import io.pyromesh.proto.v1.Value;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the codec refuses: malformed values, and values nesting too deeply either way. */
class ValueCodecRefusalTest {
    private final ClassRegistry registry = new ClassRegistry();
    private final ValueCodec codec = new ValueCodec(registry, RemoteReferences.NONE);

    /** {@code levels} lists, one in the other, around an int: {@code levels + 1} levels in all. */
    private static Object nestedLists(int levels) {
        Object value = 1L;
        for (int i = 0; i < levels; i++) {
            value = List.of(value);
        }
        return value;
    }

    private static Value nestedListValues(int levels) {
        Value value = Wire.integer(1);
        for (int i = 0; i < levels; i++) {
            value = Wire.list(value);
        }
        return value;
    }

    @Test
    void thirtyLevelsAreEncodedAndDecodedAndThirtyOneAreNot() {
        assertThat(codec.decode(codec.encode(nestedLists(29)))).isEqualTo(nestedLists(29));
        assertThatThrownBy(() -> codec.encode(nestedLists(30)))
                .isInstanceOf(SerializeError.class)
                .hasMessage("value nests deeper than 30 levels");
        assertThatThrownBy(() -> codec.decode(nestedListValues(30)))
                .isInstanceOf(SerializeError.class)
                .hasMessage("value nests deeper than 30 levels");
        assertThatThrownBy(() -> codec.decode(nestedListValues(30), List.class))
                .isInstanceOf(SerializeError.class)
                .hasMessage("value nests deeper than 30 levels");
    }

    @Test
    void mapKeysValuesAndRecordFieldsCountAsLevels() {
        registry.registerDictToClass("x.Y", fields -> fields);
        Value deepKey = Wire.map(nestedListValues(29), Wire.none());
        Value deepField = Wire.object("x.Y", Map.of("f", nestedListValues(29)));

        assertThatThrownBy(() -> codec.decode(deepKey)).hasMessage("value nests deeper than 30 levels");
        assertThatThrownBy(() -> codec.decode(deepField)).hasMessage("value nests deeper than 30 levels");
    }

    @Test
    void aStructureThatContainsItselfIsRefusedWithoutOverflowingTheStack() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        Map<String, Object> map = new HashMap<>();
        map.put("self", map);

        assertThatThrownBy(() -> codec.encode(list))
                .isInstanceOf(SerializeError.class)
                .hasMessage("value nests deeper than 30 levels");
        assertThatThrownBy(() -> codec.encode(map)).isInstanceOf(SerializeError.class);
    }

    @Test
    void aValueWithNoKindIsMalformedWherever() {
        Value empty = Value.getDefaultInstance();
        Value keyless = Value.newBuilder()
                .setMapValue(MapValue.newBuilder().addEntries(MapEntry.newBuilder().setValue(Wire.none())))
                .build();

        assertThatThrownBy(() -> codec.decode(empty)).isInstanceOf(SerializeError.class)
                .hasMessage("malformed value: no kind set");
        assertThatThrownBy(() -> codec.decode(empty, int.class)).hasMessage("malformed value: no kind set");
        assertThatThrownBy(() -> codec.decode(Wire.list(empty))).hasMessage("malformed value: no kind set");
        assertThatThrownBy(() -> codec.decode(keyless)).hasMessage("malformed value: no kind set");
    }

    @Test
    void bigIntegersMustBeAsciiDigitsWithAnOptionalMinus() {
        for (String bad : List.of("", "-", "+5", "12a", "1 000", "١٢", "0x10", "--1")) {
            assertThatThrownBy(() -> codec.decode(Wire.bigInt(bad)))
                    .isInstanceOf(SerializeError.class)
                    .hasMessage("malformed big_int_value: '" + bad + "'");
        }
        assertThatThrownBy(() -> codec.decode(Wire.bigInt("9".repeat(4301)), java.math.BigInteger.class))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed big_int_value: more than 4300 digits");
    }

    @Test
    void decimalsMustBeDecimalText() {
        for (String bad : List.of("", "1.2.3", "abc", "1e", "١.٥", "1e١", "1,5")) {
            assertThatThrownBy(() -> codec.decode(Wire.decimal(bad)))
                    .isInstanceOf(SerializeError.class)
                    .hasMessage("malformed decimal_value: '" + bad + "'");
        }
        assertThatThrownBy(() -> codec.decode(Wire.decimal("1".repeat(4301))))
                .hasMessage("malformed decimal_value: more than 4300 digits");
    }

    @Test
    void uuidsMustBeInCanonicalForm() {
        for (String bad : List.of("", "1-1-1-1-1", "123e4567e89b12d3a456426614174000",
                "123e4567-e89b-12d3-a456-42661417400g",
                "+23e4567-e89b-12d3-a456-426614174000", "١٢3e4567-e89b-12d3-a456-4266141740")) {
            assertThatThrownBy(() -> codec.decode(Wire.uuid(bad)))
                    .isInstanceOf(SerializeError.class)
                    .hasMessage("malformed uuid_value: '" + bad + "'");
        }
    }

    @Test
    void dateFieldsMustMakeADate() {
        for (Date bad : List.of(date(2024, 13, 1), date(2023, 2, 29), date(2024, 1, 0), date(1_000_000_000, 1, 1))) {
            assertThatThrownBy(() -> codec.decode(Value.newBuilder().setDateValue(bad).build()))
                    .isInstanceOf(SerializeError.class)
                    .hasMessageStartingWith("malformed date_value: ");
        }
        assertThatThrownBy(() -> codec.decode(Value.newBuilder().setDateValue(date(2024, 13, 1)).build()))
                .hasMessageContaining("MonthOfYear");
    }

    @Test
    void aTimeOfDayMustBeWithinTheDay() {
        for (long bad : List.of(-1L, 86_400_000_000_000L)) {
            Value time = Value.newBuilder().setTimeValue(TimeOfDay.newBuilder().setNanosOfDay(bad)).build();

            assertThatThrownBy(() -> codec.decode(time))
                    .isInstanceOf(SerializeError.class)
                    .hasMessageStartingWith("malformed time_value: ")
                    .hasMessageContaining("NanoOfDay");
        }
    }

    @Test
    void dateTimeFieldsMustBeInRange() {
        assertThatThrownBy(() -> codec.decode(dateTime(DateTime.newBuilder().setNanos(1_000_000_000))))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed datetime_value: nanos out of range: 1000000000");
        assertThatThrownBy(() -> codec.decode(dateTime(DateTime.newBuilder().setNanos(-1))))
                .hasMessage("malformed datetime_value: nanos out of range: -1");
        assertThatThrownBy(() -> codec.decode(dateTime(DateTime.newBuilder().setUtcOffsetSeconds(64_801))))
                .hasMessage("malformed datetime_value: utc_offset_seconds out of range (-64800 to 64800): 64801");
        assertThatThrownBy(() -> codec.decode(dateTime(DateTime.newBuilder().setSeconds(Long.MAX_VALUE))))
                .hasMessage("malformed datetime_value: seconds out of range: " + Long.MAX_VALUE);
        assertThat(codec.decode(dateTime(DateTime.newBuilder().setUtcOffsetSeconds(-64_800)))).isNotNull();
        assertThat(codec.decode(codec.encode(LocalDateTime.MAX))).isEqualTo(LocalDateTime.MAX);
    }

    private static Date date(int year, int month, int day) {
        return Date.newBuilder().setYear(year).setMonth(month).setDay(day).build();
    }

    private static Value dateTime(DateTime.Builder dt) {
        return Value.newBuilder().setDatetimeValue(dt).build();
    }
}
