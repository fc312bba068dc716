package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.values.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {
    private final InvokeRequest request = InvokeRequest.newBuilder().setObject("PYRONAME:shop").setMethod("buy")
            .addArgs(ValueCodec.standard().encode(List.of(1L, "two", Map.of("k", 3.5))))
            .putKwargs("qty", ValueCodec.standard().encode(7L))
            .setOneway(true)
            .build();

    @Test
    void readsObjectAndMethodAndRewritesOnlyTheObject() throws Exception {
        RequestFields fields = RequestFields.read(ForwardedCall.Kind.INVOKE, request.toByteArray());
        assertThat(fields.object).isEqualTo("PYRONAME:shop");
        assertThat(fields.method).isEqualTo("buy");

        InvokeRequest rewritten = InvokeRequest.parseFrom(fields.withObject("shop"));
        assertThat(rewritten).isEqualTo(request.toBuilder().setObject("shop").build());
    }

    @Test
    void anUnchangedObjectSendsTheRequestBytesThemselves() throws Exception {
        byte[] bytes = request.toByteArray();
        assertThat(RequestFields.read(ForwardedCall.Kind.INVOKE, bytes).withObject("PYRONAME:shop")).isSameAs(bytes);
    }

    @Test
    void theLastOfRepeatedObjectFieldsCountsAndAllAreReplaced() throws Exception {
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        InvokeRequest.newBuilder().setObject("first").build().writeTo(twice);
        request.writeTo(twice); // protobuf: a later singular field wins
        RequestFields fields = RequestFields.read(ForwardedCall.Kind.INVOKE, twice.toByteArray());
        assertThat(fields.object).isEqualTo("PYRONAME:shop");

        byte[] rewritten = fields.withObject("x");
        assertThat(InvokeRequest.parseFrom(rewritten).getObject()).isEqualTo("x");
        assertThat(RequestFields.read(ForwardedCall.Kind.INVOKE, rewritten).withObject("x")).isSameAs(rewritten);
    }

    @Test
    void unknownFieldsTravelOn() throws Exception {
        InvokeRequest withUnknown = request.toBuilder()
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("future")).build()).build())
                .build();
        byte[] rewritten = RequestFields.read(ForwardedCall.Kind.INVOKE, withUnknown.toByteArray()).withObject("shop");
        assertThat(InvokeRequest.parseFrom(rewritten).getUnknownFields()).isEqualTo(withUnknown.getUnknownFields());
    }

    @Test
    void aBatchShowsItsCallsMethods() throws Exception {
        BatchRequest batch = BatchRequest.newBuilder().setObject("PYRONAME:ns")
                .addCalls(InvokeRequest.newBuilder().setMethod("lookup"))
                .addCalls(InvokeRequest.newBuilder().setMethod("register").addArgs(ValueCodec.standard().encode("x")))
                .build();
        RequestFields fields = RequestFields.read(ForwardedCall.Kind.INVOKE_BATCH, batch.toByteArray());
        assertThat(fields.object).isEqualTo("PYRONAME:ns");
        assertThat(fields.method).isEmpty();
        assertThat(fields.batchMethods).containsExactly("lookup", "register");
        assertThat(BatchRequest.parseFrom(fields.withObject("Pyro.NameServer")))
                .isEqualTo(batch.toBuilder().setObject("Pyro.NameServer").build());
    }

    @Test
    void aMetadataRequestHasAnObjectOnly() throws Exception {
        RequestFields fields = RequestFields.read(ForwardedCall.Kind.GET_METADATA,
                MetadataRequest.newBuilder().setObject("PYRO:a@h:1").build().toByteArray());
        assertThat(fields.object).isEqualTo("PYRO:a@h:1");
        assertThat(fields.method).isEmpty();
    }

    @Test
    void malformedBytesAndInvalidUtf8AreRefused() {
        assertThatThrownBy(() -> RequestFields.read(ForwardedCall.Kind.INVOKE, new byte[] {0x0a, 0x05, 'a'}))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> RequestFields.read(ForwardedCall.Kind.INVOKE, new byte[] {0x0a, 0x02, (byte) 0xc3, 0x28}))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> RequestFields.read(ForwardedCall.Kind.INVOKE, new byte[] {0x0f}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
