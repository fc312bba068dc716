package io.pyromesh.values;

import static java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME;
import static java.time.format.DateTimeFormatter.ISO_LOCAL_TIME;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.ClassDict;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/** A {@code Value} to JSON text, by the table in {@link JsonValues}. */
final class ValueToJson {
    /** Python's isoformat(): seconds always, an offset only if aware, and a zero offset as +00:00 rather than Z. */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .appendOffset("+HH:MM:ss", "+00:00")
            .toFormatter();

    private ValueToJson() {}

    static String toJson(Value value) {
        Objects.requireNonNull(value, "value");
        return text(value, 1);
    }

    private static String text(Value value, int depth) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JsonValues.JSON.createGenerator(out)) {
            write(json, value, depth);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a String failed", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Value v, int depth) throws IOException {
        if (depth > ValueCodec.MAX_DEPTH) {
            throw ValueCodec.tooDeep();
        }
        switch (v.getKindCase()) {
            case NULL_VALUE -> json.writeNull();
            case BOOL_VALUE -> json.writeBoolean(v.getBoolValue());
            case INT_VALUE -> json.writeNumber(v.getIntValue());
            // parsed first: the digits go into the JSON unquoted, so they must be digits
            case BIG_INT_VALUE -> json.writeNumber(Scalars.parseBigInt(v.getBigIntValue()));
            case FLOAT_VALUE -> json.writeNumber(v.getFloatValue());
            case STR_VALUE -> json.writeString(v.getStrValue());
            case BYTES_VALUE -> {
                json.writeStartObject();
                json.writeStringField("data", Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
                json.writeStringField("encoding", "base64");
                json.writeEndObject();
            }
            case LIST_VALUE -> array(json, v.getListValue(), depth);
            case TUPLE_VALUE -> array(json, v.getTupleValue(), depth);
            case SET_VALUE -> array(json, v.getSetValue(), depth);
            case MAP_VALUE -> {
                json.writeStartObject();
                for (MapEntry entry : v.getMapValue().getEntriesList()) {
                    json.writeFieldName(keyText(entry.getKey(), depth + 1));
                    write(json, entry.getValue(), depth + 1);
                }
                json.writeEndObject();
            }
            case DECIMAL_VALUE -> json.writeString(v.getDecimalValue());
            case DATETIME_VALUE -> json.writeString(DATE_TIME.format(Scalars.dateTime(v.getDatetimeValue())));
            case DATE_VALUE -> json.writeString(Scalars.date(v.getDateValue()).toString());
            case TIME_VALUE -> json.writeString(ISO_LOCAL_TIME.format(Scalars.time(v.getTimeValue())));
            case UUID_VALUE -> json.writeString(Scalars.uuidValue(v.getUuidValue()).toString());
            case COMPLEX_VALUE -> {
                json.writeStartObject();
                json.writeStringField("__class__", "complex");
                json.writeNumberField("real", v.getComplexValue().getReal());
                json.writeNumberField("imag", v.getComplexValue().getImag());
                json.writeEndObject();
            }
            case OBJECT_VALUE -> classDict(json, v.getObjectValue(), depth);
            case PROXY_VALUE -> {
                json.writeStartObject();
                json.writeStringField("__class__", "Pyro5.client.Proxy");
                json.writeStringField("uri", v.getProxyValue().getUri());
                json.writeEndObject();
            }
            case URI_VALUE -> json.writeString(v.getUriValue());
            case KIND_NOT_SET -> throw ValueCodec.noKind();
        }
    }

    private static void array(JsonGenerator json, Values items, int depth) throws IOException {
        json.writeStartArray();
        for (Value item : items.getItemsList()) {
            write(json, item, depth + 1);
        }
        json.writeEndArray();
    }

    /** JSON object keys are strings: a str key is itself, any other key its own JSON text. */
    private static String keyText(Value key, int depth) {
        return key.getKindCase() == Value.KindCase.STR_VALUE ? key.getStrValue() : text(key, depth);
    }

    private static void classDict(JsonGenerator json, ClassDict dict, int depth) throws IOException {
        json.writeStartObject();
        json.writeStringField("__class__", dict.getClassName());
        for (Map.Entry<String, Value> field : dict.getFieldsMap().entrySet()) {
            if (field.getKey().equals("__class__")) {
                throw new SerializeError("malformed object_value: a field is named __class__");
            }
            json.writeFieldName(field.getKey());
            write(json, field.getValue(), depth + 1);
        }
        json.writeEndObject();
    }
}
