package io.pyromesh.mesh;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing fields of an Invoker request, read from its wire form without decoding the rest:
 * {@code object} (field 1 of every request type), {@code method} (field 2 of InvokeRequest) and the
 * methods of a batch's calls (field 2 of BatchRequest, each an InvokeRequest). Arguments are skipped
 * as opaque bytes, so forwarding costs no {@code Value} decoding, and a request can be sent on with
 * another {@code object} by rewriting that one field.
 */
final class RequestFields {
    private static final int OBJECT = 1;
    private static final int METHOD = 2;
    private static final int BATCH_CALLS = 2;

    final String object;
    final String method;
    final List<String> batchMethods;
    private final byte[] request;
    /** Start and end offsets of every encoding of field 1 (protobuf keeps the last one). */
    private final List<int[]> objectSpans;

    private RequestFields(String object, String method, List<String> batchMethods, byte[] request, List<int[]> objectSpans) {
        this.object = object;
        this.method = method;
        this.batchMethods = batchMethods;
        this.request = request;
        this.objectSpans = objectSpans;
    }

    /** Reads the routing fields; InvalidProtocolBufferException for bytes that are not a well-formed message. */
    static RequestFields read(ForwardedCall.Kind kind, byte[] request) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        String object = "";
        String method = "";
        List<String> batchMethods = new ArrayList<>();
        List<int[]> objectSpans = new ArrayList<>(1);
        try {
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (field == OBJECT && delimited) {
                    object = in.readStringRequireUtf8();
                    objectSpans.add(new int[] {start, in.getTotalBytesRead()});
                } else if (field == METHOD && delimited && kind == ForwardedCall.Kind.INVOKE_BATCH) {
                    batchMethods.add(methodOf(in.readByteArray()));
                } else if (field == METHOD && delimited && kind != ForwardedCall.Kind.GET_METADATA) {
                    method = in.readStringRequireUtf8();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException malformed) {
            throw malformed;
        } catch (IOException unexpected) {
            // a byte array source throws nothing but malformed-input errors
            throw new UncheckedIOException(unexpected);
        }
        return new RequestFields(object, method, batchMethods, request, objectSpans);
    }

    private static String methodOf(byte[] call) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(call);
        String method = "";
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return method;
            }
            if (WireFormat.getTagFieldNumber(tag) == METHOD && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                method = in.readStringRequireUtf8();
            } else if (!in.skipField(tag)) {
                return method;
            }
        }
    }

    /** The request with {@code object} set to {@code newObject}, every other byte as it came. */
    byte[] withObject(String newObject) {
        if (newObject.equals(object) && objectSpans.size() == 1) {
            return request;
        }
        try {
            int fieldSize = CodedOutputStream.computeStringSize(OBJECT, newObject);
            int removed = objectSpans.stream().mapToInt(span -> span[1] - span[0]).sum();
            byte[] out = new byte[fieldSize + request.length - removed];
            CodedOutputStream head = CodedOutputStream.newInstance(out, 0, fieldSize);
            head.writeString(OBJECT, newObject);
            head.flush();
            int at = fieldSize;
            int from = 0;
            for (int[] span : objectSpans) {
                System.arraycopy(request, from, out, at, span[0] - from);
                at += span[0] - from;
                from = span[1];
            }
            System.arraycopy(request, from, out, at, request.length - from);
            return out;
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }
}
