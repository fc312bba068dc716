package io.pyromesh.values;

import com.google.protobuf.ByteString;
import io.pyromesh.proto.v1.ClassDict;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import java.util.Arrays;
import java.util.Map;

/** {@code Value}s built by hand, as a peer in another language would send them. */
final class Wire {
    private Wire() {}

    static Value none() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }

    static Value bool(boolean b) {
        return Value.newBuilder().setBoolValue(b).build();
    }

    static Value integer(long n) {
        return Value.newBuilder().setIntValue(n).build();
    }

    static Value bigInt(String digits) {
        return Value.newBuilder().setBigIntValue(digits).build();
    }

    static Value floating(double d) {
        return Value.newBuilder().setFloatValue(d).build();
    }

    static Value str(String s) {
        return Value.newBuilder().setStrValue(s).build();
    }

    static Value bytes(int... bytes) {
        byte[] content = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            content[i] = (byte) bytes[i];
        }
        return Value.newBuilder().setBytesValue(ByteString.copyFrom(content)).build();
    }

    static Value decimal(String text) {
        return Value.newBuilder().setDecimalValue(text).build();
    }

    static Value uuid(String text) {
        return Value.newBuilder().setUuidValue(text).build();
    }

    static Value list(Value... items) {
        return Value.newBuilder().setListValue(items(items)).build();
    }

    static Value tuple(Value... items) {
        return Value.newBuilder().setTupleValue(items(items)).build();
    }

    static Value set(Value... items) {
        return Value.newBuilder().setSetValue(items(items)).build();
    }

    /** A map of alternating keys and values. */
    static Value map(Value... keysAndValues) {
        MapValue.Builder map = MapValue.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.addEntries(MapEntry.newBuilder().setKey(keysAndValues[i]).setValue(keysAndValues[i + 1]));
        }
        return Value.newBuilder().setMapValue(map).build();
    }

    static Value object(String className, Map<String, Value> fields) {
        return Value.newBuilder().setObjectValue(ClassDict.newBuilder().setClassName(className).putAllFields(fields))
                .build();
    }

    private static Values items(Value... items) {
        return Values.newBuilder().addAllItems(Arrays.asList(items)).build();
    }
}
