package io.pyromesh.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;

/**
 * Parsing a message received whole into an array of its own, so that its {@code bytes} fields are views
 * of that array instead of copies: a large payload is copied once less on its way from the wire to the
 * Java method or caller that takes it (as a {@code byte[]}, in one more copy).
 */
public final class Aliasing {
    private Aliasing() {}

    /** {@code message} must not change afterwards: the parsed message's bytes fields point into it. */
    public static <T> T parse(Parser<T> parser, byte[] message) throws InvalidProtocolBufferException {
        // protobuf aliases only input it knows to be immutable, which an array wrapped this way is
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(message).newCodedInput();
        input.enableAliasing(true);
        return parser.parseFrom(input);
    }
}
