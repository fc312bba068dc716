package io.pyromesh.gateway.http;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.values.JsonValues;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * A call's arguments from an HTTP request: query parameters are keyword arguments, a JSON body an
 * array of positional arguments or an object of keyword arguments. Each query value is typed JSON, as
 * {@code pyromesh call} reads its arguments: text that is not JSON is a string.
 */
final class HttpArguments {
    /** The query parameter that may carry the gateway key instead of the header; never an argument. */
    static final String KEY_PARAMETER = "$key";

    private HttpArguments() {}

    /**
     * Adds the arguments to {@code call}.
     *
     * @param body the request body, or null or blank for none
     * @throws SerializeError naming what is wrong (a 400)
     */
    static void addTo(InvokeRequest.Builder call, Fields query, String body) {
        Set<String> keywords = new HashSet<>();
        if (body != null && !body.isBlank()) {
            Value parsed = JsonValues.parse(body);
            switch (parsed.getKindCase()) {
                case LIST_VALUE -> call.addAllArgs(parsed.getListValue().getItemsList());
                case MAP_VALUE -> {
                    for (MapEntry entry : parsed.getMapValue().getEntriesList()) {
                        keyword(call, keywords, entry.getKey().getStrValue(), entry.getValue());
                    }
                }
                default -> throw new SerializeError("the request body must be a JSON array (positional arguments)"
                        + " or object (keyword arguments), not " + describe(parsed));
            }
        }
        for (Fields.Field field : query) {
            if (field.getName().equals(KEY_PARAMETER)) {
                continue;
            }
            List<String> values = field.getValues();
            if (values.size() > 1) {
                throw new SerializeError("parameter '" + SerializeError.excerpt(field.getName()) + "' given more than once");
            }
            String text = values.get(0);
            keyword(call, keywords, field.getName(), JsonValues.isJson(text) ? JsonValues.parse(text) : Value.newBuilder().setStrValue(text).build());
        }
    }

    /** Whether the request carries any argument at all (property reads take none). */
    static boolean any(Fields query, String body) {
        return (body != null && !body.isBlank()) || query.getNames().stream().anyMatch(name -> !name.equals(KEY_PARAMETER));
    }

    private static void keyword(InvokeRequest.Builder call, Set<String> keywords, String name, Value value) {
        if (name.isEmpty()) {
            throw new SerializeError("keyword argument names must not be empty");
        }
        if (!keywords.add(name)) {
            throw new SerializeError("argument '" + SerializeError.excerpt(name) + "' given more than once");
        }
        call.putKwargs(name, value);
    }

    private static String describe(Value value) {
        return value.getKindCase().name().toLowerCase().replace("_value", "");
    }
}
