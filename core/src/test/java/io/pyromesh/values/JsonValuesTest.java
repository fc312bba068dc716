package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    record Item(String name, int quantity) {}

    private final ValueCodec codec = new ValueCodec(new ClassRegistry(), RemoteReferences.NONE);

    @Test
    void parsesEveryKindOfJsonValue() {
        assertThat(JsonValues.parse("null")).isEqualTo(Wire.none());
        assertThat(JsonValues.parse(" true ")).isEqualTo(Wire.bool(true));
        assertThat(JsonValues.parse("false")).isEqualTo(Wire.bool(false));
        assertThat(JsonValues.parse("-42")).isEqualTo(Wire.integer(-42));
        assertThat(JsonValues.parse("2.5e3")).isEqualTo(Wire.floating(2500));
        assertThat(JsonValues.parse("\"h\\u00e9llo\\n\"")).isEqualTo(Wire.str("héllo\n"));
        assertThat(JsonValues.parse("[1, \"a\", []]"))
                .isEqualTo(Wire.list(Wire.integer(1), Wire.str("a"), Wire.list()));
        assertThat(JsonValues.parse("{\"b\": 1, \"a\": {}}"))
                .isEqualTo(Wire.map(Wire.str("b"), Wire.integer(1), Wire.str("a"), Wire.map()));
    }

    @Test
    void integersBeyond64BitsBecomeBigIntegers() {
        assertThat(JsonValues.parse("9223372036854775807")).isEqualTo(Wire.integer(Long.MAX_VALUE));
        assertThat(JsonValues.parse("-9223372036854775808")).isEqualTo(Wire.integer(Long.MIN_VALUE));
        assertThat(JsonValues.parse("9223372036854775808")).isEqualTo(Wire.bigInt("9223372036854775808"));
        assertThat(JsonValues.parse("-123456789012345678901234567890"))
                .isEqualTo(Wire.bigInt("-123456789012345678901234567890"));
    }

    @Test
    void tellsJsonBeyondTheLimitsFromTextThatIsNotJson() {
        assertThat(JsonValues.isJson("1" + "0".repeat(5000))).isTrue();
        assertThat(JsonValues.isJson("[".repeat(31) + "]".repeat(31))).isTrue();
        assertThat(JsonValues.isJson("[NaN, {\"k\": null}]")).isTrue();
        assertThat(JsonValues.isJson("hello")).isFalse();
        assertThat(JsonValues.isJson("[1, 2")).isFalse();
        assertThat(JsonValues.isJson("1 2")).isFalse();
        assertThat(JsonValues.isJson("")).isFalse();
    }

    @Test
    void acceptsPythonsNanAndInfinityTokens() {
        assertThat(JsonValues.parse("[NaN, Infinity, -Infinity, -0.0]")).isEqualTo(Wire.list(
                Wire.floating(Double.NaN), Wire.floating(Double.POSITIVE_INFINITY),
                Wire.floating(Double.NEGATIVE_INFINITY), Wire.floating(-0.0)));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValue() {
        assertThat(JsonValues.parse("{\"a\": 1, \"b\": 2, \"a\": 3}"))
                .isEqualTo(Wire.map(Wire.str("a"), Wire.integer(3), Wire.str("b"), Wire.integer(2)));
    }

    @Test
    void malformedJsonIsASerializeErrorNamingTheProblemAndWhere() {
        assertThatThrownBy(() -> JsonValues.parse(""))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed JSON: empty input");
        assertThatThrownBy(() -> JsonValues.parse("  \n "))
                .hasMessage("malformed JSON: empty input");
        assertThatThrownBy(() -> JsonValues.parse("[1, 2"))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed JSON at line 1, column 6: "
                        + "Unexpected end-of-input: expected close marker for Array");
        assertThatThrownBy(() -> JsonValues.parse("{\"a\": \"b"))
                .hasMessageStartingWith("malformed JSON at line 1, column 9: Unexpected end-of-input");
        assertThatThrownBy(() -> JsonValues.parse("[1] 2"))
                .hasMessage("malformed JSON at line 1, column 5: unexpected content after the value");
        assertThatThrownBy(() -> JsonValues.parse("{\"a\": 1}\n}"))
                .hasMessageStartingWith("malformed JSON at line 2, column 1: ");
        assertThatThrownBy(() -> JsonValues.parse("{a: 1}"))
                .hasMessageStartingWith("malformed JSON at line 1, column 2: Unexpected character ('a'");
        assertThatThrownBy(() -> JsonValues.parse("[1,]"))
                .hasMessageStartingWith("malformed JSON at line 1, column 4: Unexpected character (']'");
        assertThatThrownBy(() -> JsonValues.parse("'single'")).isInstanceOf(SerializeError.class);
        assertThatThrownBy(() -> JsonValues.parse("tru")).isInstanceOf(SerializeError.class);
        assertThatThrownBy(() -> JsonValues.parse("+1")).isInstanceOf(SerializeError.class);
    }

    @Test
    void refusesJsonNestingDeeperThanAValueMay() {
        String thirty = "[".repeat(30) + "]".repeat(30);
        String thirtyOne = "[".repeat(31) + "]".repeat(31);

        assertThat(JsonValues.parse(thirty).getKindCase()).isEqualTo(Value.KindCase.LIST_VALUE);
        assertThatThrownBy(() -> JsonValues.parse(thirtyOne))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed JSON at line 1, column 31: nests deeper than 30 levels");
        assertThatThrownBy(() -> JsonValues.parse("[".repeat(100_000)))
                .hasMessage("malformed JSON at line 1, column 31: nests deeper than 30 levels");
        assertThatThrownBy(() -> JsonValues.parse("{\"a\":".repeat(30) + "1" + "}".repeat(30)))
                .hasMessageContaining("nests deeper than 30 levels");
    }

    @Test
    void refusesNumbersBeyondPythonsDigitLimitButTakesStringsOfAnyLength() {
        assertThat(JsonValues.parse("9".repeat(4300)).getBigIntValue()).hasSize(4300);
        assertThatThrownBy(() -> JsonValues.parse("9".repeat(4301)))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("Number value length (4301) exceeds the maximum allowed (4300)");
        // longer than Jackson's default bound: the text's length is bounded by its caller (MAX_MESSAGE_SIZE)
        int beyondJacksonsDefault = 20_000_001;
        assertThat(JsonValues.parse("\"" + "x".repeat(beyondJacksonsDefault) + "\"").getStrValue()).hasSize(beyondJacksonsDefault);
    }

    @Test
    void writesJsonKindsAsCompactJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1, -2.5, "x\"y"));
        map.put("b", null);
        map.put("c", true);

        assertThat(JsonValues.toJson(codec.encode(map))).isEqualTo("{\"a\":[1,-2.5,\"x\\\"y\"],\"b\":null,\"c\":true}");
        assertThat(JsonValues.toJson(codec.encode(new BigInteger("-99999999999999999999"))))
                .isEqualTo("-99999999999999999999");
    }

    @Test
    void writesNanAndInfinityAsBareTokensLikePython() {
        Value specials = codec.encode(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));

        assertThat(JsonValues.toJson(specials))
                .isEqualTo("[NaN,Infinity,-Infinity]");
    }

    @Test
    void writesTuplesAndSetsAsArrays() {
        assertThat(JsonValues.toJson(codec.encode(Tuple.of(1, Tuple.of())))).isEqualTo("[1,[]]");
        assertThat(JsonValues.toJson(Wire.set(Wire.str("a")))).isEqualTo("[\"a\"]");
    }

    @Test
    void writesAKeyThatIsNotAStrAsItsJsonText() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1L, "int");
        map.put(Tuple.of(1, "a"), "tuple");
        map.put(null, "none");

        assertThat(JsonValues.toJson(codec.encode(map)))
                .isEqualTo("{\"1\":\"int\",\"[1,\\\"a\\\"]\":\"tuple\",\"null\":\"none\"}");
    }

    @Test
    void writesBytesAsSerpentDoes() {
        assertThat(JsonValues.toJson(codec.encode(new byte[] {104, 105, -1})))
                .isEqualTo("{\"data\":\"aGn/\",\"encoding\":\"base64\"}");
    }

    @Test
    void writesDecimalsUuidsAndUrisAsStrings() {
        assertThat(JsonValues.toJson(codec.encode(new BigDecimal("1.50")))).isEqualTo("\"1.50\"");
        assertThat(JsonValues.toJson(Wire.decimal("NaN"))).isEqualTo("\"NaN\"");
        assertThat(JsonValues.toJson(Wire.uuid("123E4567-E89B-12D3-A456-426614174000")))
                .isEqualTo("\"123e4567-e89b-12d3-a456-426614174000\"");
        assertThat(JsonValues.toJson(codec.encode(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))))
                .isEqualTo("\"123e4567-e89b-12d3-a456-426614174000\"");
        assertThat(JsonValues.toJson(Value.newBuilder().setUriValue("PYRONAME:shop").build()))
                .isEqualTo("\"PYRONAME:shop\"");
    }

    @Test
    void writesDatesAndTimesAsIsoStringsLikePythonsIsoformat() {
        assertThat(JsonValues.toJson(codec.encode(OffsetDateTime.parse("2024-05-01T12:00+02:00"))))
                .isEqualTo("\"2024-05-01T12:00:00+02:00\"");
        assertThat(JsonValues.toJson(codec.encode(OffsetDateTime.parse("2024-05-01T12:00:00.5Z"))))
                .isEqualTo("\"2024-05-01T12:00:00.5+00:00\"");
        assertThat(JsonValues.toJson(codec.encode(LocalDateTime.parse("2024-05-01T12:00"))))
                .isEqualTo("\"2024-05-01T12:00:00\"");
        assertThat(JsonValues.toJson(codec.encode(LocalDate.of(2024, 5, 1)))).isEqualTo("\"2024-05-01\"");
        assertThat(JsonValues.toJson(codec.encode(LocalTime.of(9, 30)))).isEqualTo("\"09:30:00\"");
    }

    @Test
    void writesComplexNumbersObjectsAndProxiesAsClassDicts() {
        Value proxy = Value.newBuilder().setProxyValue(ProxyRef.newBuilder().setUri("PYRO:obj@localhost:9100")).build();

        assertThat(JsonValues.toJson(codec.encode(new Complex(1, -2))))
                .isEqualTo("{\"__class__\":\"complex\",\"real\":1.0,\"imag\":-2.0}");
        assertThat(JsonValues.toJson(codec.encode(new Item("pen", 2))))
                .isEqualTo("{\"__class__\":\"io.pyromesh.values.JsonValuesTest$Item\","
                        + "\"name\":\"pen\",\"quantity\":2}");
        assertThat(JsonValues.toJson(proxy))
                .isEqualTo("{\"__class__\":\"Pyro5.client.Proxy\",\"uri\":\"PYRO:obj@localhost:9100\"}");
    }

    @Test
    void refusesMalformedAndTooDeepValues() {
        Value tooDeep = Wire.integer(1);
        for (int i = 0; i < 30; i++) {
            tooDeep = Wire.list(tooDeep);
        }
        Value finalTooDeep = tooDeep;

        assertThatThrownBy(() -> JsonValues.toJson(Value.getDefaultInstance()))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed value: no kind set");
        assertThatThrownBy(() -> JsonValues.toJson(finalTooDeep))
                .isInstanceOf(SerializeError.class)
                .hasMessage("value nests deeper than 30 levels");
        assertThatThrownBy(() -> JsonValues.toJson(Wire.bigInt("1e5")))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed big_int_value: '1e5'");
        assertThatThrownBy(() -> JsonValues.toJson(Wire.uuid("nope")))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed uuid_value: 'nope'");
        assertThatThrownBy(() -> JsonValues.toJson(Wire.object("x.Y", Map.of("__class__", Wire.str("os.system")))))
                .isInstanceOf(SerializeError.class)
                .hasMessage("malformed object_value: a field is named __class__");
    }
}
