package io.pyromesh.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.Value;
import java.util.concurrent.TimeUnit;

/**
 * An app's outbound call through its sidecar, as a program to run on a test host: sends
 * {@code Invoke(object=URI, method=METHOD, args=[ARG])} to the sidecar's local listener and prints the
 * string result (or the status it failed with).
 *
 * <pre>
 * OutboundCallProgram SIDECAR_LOCAL_ADDRESS URI METHOD ARG
 * </pre>
 */
final class OutboundCallProgram {
    private OutboundCallProgram() {}

    public static void main(String[] args) {
        ManagedChannel channel = NettyChannelBuilder.forTarget(args[0]).usePlaintext().build();
        try {
            InvokeRequest call = InvokeRequest.newBuilder().setObject(args[1]).setMethod(args[2])
                    .addArgs(Value.newBuilder().setStrValue(args[3])).build();
            System.out.println(InvokerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).invoke(call)
                    .getResult().getStrValue());
        } catch (io.grpc.StatusRuntimeException failed) {
            System.out.println("failed: " + failed.getStatus());
        } finally {
            channel.shutdownNow();
        }
    }
}
