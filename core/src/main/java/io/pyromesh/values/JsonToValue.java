package io.pyromesh.values;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** JSON text to a {@code Value}, by the table in {@link JsonValues}. */
final class JsonToValue {
    private static final Pattern JACKSON_DETAILS =
            Pattern.compile(" \\(start marker at \\[Source: [^]]*]\\)|: enable `[^`]*` to allow|, from `[^`]*`");

    private JsonToValue() {}

    static Value parse(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser parser = JsonValues.JSON.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new SerializeError("malformed JSON: empty input");
            }
            Value value = read(parser, 1);
            if (parser.nextToken() != null) {
                throw malformed("unexpected content after the value", parser.currentTokenLocation());
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new SerializeError(message(withoutJacksonDetails(e.getOriginalMessage()), e.getLocation()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String failed", e);
        }
    }

    /** The value that starts at the parser's current token, found at nesting level {@code depth}. */
    private static Value read(JsonParser parser, int depth) throws IOException {
        if (depth > ValueCodec.MAX_DEPTH) {
            throw malformed("nests deeper than " + ValueCodec.MAX_DEPTH + " levels", parser.currentTokenLocation());
        }
        Value.Builder value = Value.newBuilder();
        switch (parser.currentToken()) {
            case VALUE_NULL -> value.setNullValue(NullValue.NULL_VALUE);
            case VALUE_TRUE -> value.setBoolValue(true);
            case VALUE_FALSE -> value.setBoolValue(false);
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    value.setBigIntValue(parser.getBigIntegerValue().toString());
                } else {
                    value.setIntValue(parser.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> value.setFloatValue(parser.getDoubleValue());
            case VALUE_STRING -> value.setStrValue(parser.getText());
            case START_ARRAY -> value.setListValue(array(parser, depth));
            case START_OBJECT -> value.setMapValue(object(parser, depth));
            default -> throw malformed("unexpected " + parser.currentToken(), parser.currentTokenLocation());
        }
        return value.build();
    }

    private static Values array(JsonParser parser, int depth) throws IOException {
        Values.Builder items = Values.newBuilder();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.addItems(read(parser, depth + 1));
        }
        return items.build();
    }

    private static MapValue object(JsonParser parser, int depth) throws IOException {
        // a repeated key keeps its first place and its last value, as Python's json does
        Map<String, Value> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            fields.put(name, read(parser, depth + 1));
        }
        MapValue.Builder map = MapValue.newBuilder();
        fields.forEach((name, value) -> map.addEntries(MapEntry.newBuilder()
                .setKey(Value.newBuilder().setStrValue(name))
                .setValue(value)));
        return map.build();
    }

    private static SerializeError malformed(String problem, JsonLocation where) {
        return new SerializeError(message(problem, where));
    }

    private static String message(String problem, JsonLocation where) {
        return where == null
                ? "malformed JSON: " + problem
                : "malformed JSON at line " + where.getLineNr() + ", column " + where.getColumnNr() + ": " + problem;
    }

    /** Jackson's message without what only a Jackson user can act on: its source redaction and settings. */
    private static String withoutJacksonDetails(String problem) {
        return JACKSON_DETAILS.matcher(problem).replaceAll("");
    }
}
