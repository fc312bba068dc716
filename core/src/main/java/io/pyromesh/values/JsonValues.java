package io.pyromesh.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Value;
import java.io.IOException;

/**
 * JSON text and {@code Value}s, for the command line and the HTTP gateway: people type JSON, and
 * JSON is what a browser reads back.
 *
 * <table>
 * <caption>JSON and {@code Value} kinds</caption>
 * <tr><th>JSON</th><th>{@link #parse} gives</th></tr>
 * <tr><td>null, true, false</td><td>null_value, bool_value</td></tr>
 * <tr><td>an integer</td><td>int_value if it fits in 64 bits, else big_int_value (at most 4300 digits)</td></tr>
 * <tr><td>any other number; the tokens NaN, Infinity, -Infinity</td><td>float_value</td></tr>
 * <tr><td>a string</td><td>str_value</td></tr>
 * <tr><td>an array</td><td>list_value</td></tr>
 * <tr><td>an object</td><td>map_value with str keys (a repeated key: the last value wins)</td></tr>
 * </table>
 *
 * <table>
 * <caption>{@code Value} kinds and JSON</caption>
 * <tr><th>{@code Value} kind</th><th>{@link #toJson} writes</th></tr>
 * <tr><td>null_value, bool_value, int_value, big_int_value, str_value</td><td>the JSON literal</td></tr>
 * <tr><td>float_value</td><td>a number; NaN and ±Infinity as the bare tokens {@code NaN},
 *     {@code Infinity}, {@code -Infinity}, as Python's {@code json} does</td></tr>
 * <tr><td>bytes_value</td><td>{@code {"data":"<base64>","encoding":"base64"}}, as Pyro's serpent does</td></tr>
 * <tr><td>list_value, tuple_value, set_value</td><td>an array</td></tr>
 * <tr><td>map_value</td><td>an object; a key that is not a str becomes its own JSON text, e.g.
 *     {@code {"[1,2]":"a"}}</td></tr>
 * <tr><td>decimal_value, uuid_value, uri_value</td><td>a string</td></tr>
 * <tr><td>datetime_value, date_value, time_value</td><td>an ISO-8601 string, e.g.
 *     {@code "2024-05-01T12:00:00+02:00"}, {@code "2024-05-01"}, {@code "12:00:00.5"}</td></tr>
 * <tr><td>complex_value</td><td>{@code {"__class__":"complex","real":1.0,"imag":2.0}}</td></tr>
 * <tr><td>object_value</td><td>{@code {"__class__":"<class name>", <fields>...}}</td></tr>
 * <tr><td>proxy_value</td><td>{@code {"__class__":"Pyro5.client.Proxy","uri":"PYRO:..."}}</td></tr>
 * </table>
 *
 * <p>Both directions refuse values nesting deeper than {@value ValueCodec#MAX_DEPTH} levels, and
 * malformed input, with a {@link SerializeError}.
 */
public final class JsonValues {
    /**
     * Strict JSON plus Python's NaN and Infinity tokens, and Python's digit limit for numbers. Strings may
     * be as long as the text: its size is the caller's bound (the gateway's is {@code MAX_MESSAGE_SIZE},
     * before it reads a body), and Jackson's own 20-million-character bound would be a smaller, hidden one.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Scalars.MAX_DIGITS)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /** The same syntax with no limits: for telling JSON that is too big apart from text that is not JSON. */
    private static final JsonFactory UNLIMITED_SYNTAX = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonValues() {}

    /**
     * Whether {@code text} is one JSON value (Python's NaN and Infinity allowed), whatever its size: a
     * command line takes an argument that is not JSON as a string, but must refuse JSON that
     * {@link #parse} cannot take rather than send it as a string.
     */
    public static boolean isJson(String text) {
        try (JsonParser parser = UNLIMITED_SYNTAX.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    /**
     * The value of one JSON text, of whatever length the caller allows.
     *
     * @throws SerializeError for empty, malformed or too deeply nested input, or a number of more
     *     digits than Python's limit, naming the problem and its line and column
     */
    public static Value parse(String json) {
        return JsonToValue.parse(json);
    }

    /**
     * {@code value} as compact JSON text.
     *
     * @throws SerializeError for a malformed value or one nesting too deeply
     */
    public static String toJson(Value value) {
        return ValueToJson.toJson(value);
    }
}
