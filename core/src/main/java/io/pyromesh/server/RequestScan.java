package io.pyromesh.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Value;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the {@code Value}s in a serialized request without parsing it, so that {@code MAX_VALUES} is
 * enforced before the request is turned into objects: parsed and decoded, a value takes many times the
 * bytes it took on the wire. Bytes and strings are skipped, not read.
 */
final class RequestScan {
    /** Protobuf's own recursion limit: deeper input is refused by the parser anyway. */
    private static final int MAX_NESTING = 100;
    /** Per message type: its message-typed fields by number. */
    private static final Map<Descriptor, Map<Integer, Descriptor>> MESSAGE_FIELDS = new ConcurrentHashMap<>();

    private final int maxValues;
    private int values;

    private RequestScan(int maxValues) {
        this.maxValues = maxValues;
    }

    /**
     * Reads {@code request} (a serialized message of type {@code type}) to its end.
     *
     * @throws SerializeError if it holds more than {@code maxValues} values, naming the setting
     * @throws IOException if it is not well-formed protobuf (the parser will say why)
     */
    static void check(byte[] request, Descriptor type, int maxValues) throws IOException {
        new RequestScan(maxValues).walk(CodedInputStream.newInstance(request), type, 0);
    }

    private void walk(CodedInputStream input, Descriptor type, int depth) throws IOException {
        if (depth > MAX_NESTING) {
            input.skipRawBytes(input.getBytesUntilLimit()); // the parser refuses it, with protobuf's message
            return;
        }
        if (type == Value.getDescriptor() && ++values > maxValues) {
            throw new SerializeError("request has more than " + maxValues + " values (MAX_VALUES)");
        }
        Map<Integer, Descriptor> children = MESSAGE_FIELDS.computeIfAbsent(type, RequestScan::messageFields);
        while (!input.isAtEnd()) {
            int tag = input.readTag();
            Descriptor child = children.get(WireFormat.getTagFieldNumber(tag));
            if (child != null && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = input.pushLimit(input.readRawVarint32());
                walk(input, child, depth + 1);
                input.popLimit(limit);
            } else if (!input.skipField(tag)) {
                return; // an end-group tag: the parser decides what it means
            }
        }
    }

    private static Map<Integer, Descriptor> messageFields(Descriptor type) {
        Map<Integer, Descriptor> fields = new HashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                fields.put(field.getNumber(), field.getMessageType());
            }
        }
        return fields;
    }
}
