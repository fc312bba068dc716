package io.pyromesh.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.mesh.Target;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The gateway's own {@code Pyro.Daemon} object, which every Pyromesh hop answers as a daemon does: a
 * proxy calling through the gateway sends {@code close_session} to it when closed, and {@code pyromesh
 * resolve} asks it for {@code info}. It serves {@code ping}, {@code info} and {@code close_session} (a
 * no-op: the daemons behind the gateway end idle sessions after {@code SESSION_TIMEOUT}); other members
 * are refused. It runs in process, reached through the same forwarding as every other call.
 */
final class OwnDaemonObject implements AutoCloseable {
    private static final Set<String> METHODS = Set.of("ping", "info", "close_session");

    private final Server server;
    private final ManagedChannel channel;

    OwnDaemonObject(Supplier<String> info) {
        String name = "pyromesh-gateway-" + UUID.randomUUID();
        InvokerGrpc.InvokerImplBase service = new InvokerGrpc.InvokerImplBase() {
            @Override
            public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
                if (!METHODS.contains(request.getMethod())) {
                    out.onError(GrpcErrors.toStatus(new SecurityError("the gateway's " + PyroURI.DAEMON_NAME
                            + " has no exposed member '" + abbreviate(request.getMethod()) + "'")));
                    return;
                }
                Value result = request.getMethod().equals("info")
                        ? Value.newBuilder().setStrValue(info.get()).build()
                        : Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
                out.onNext(InvokeResponse.newBuilder().setResult(result).build());
                out.onCompleted();
            }

            @Override
            public void invokeBatch(BatchRequest request, StreamObserver<BatchResponse> out) {
                out.onError(GrpcErrors.toStatus(new SecurityError("the gateway's " + PyroURI.DAEMON_NAME + " takes no batches")));
            }

            @Override
            public void getMetadata(MetadataRequest request, StreamObserver<ObjectMetadata> out) {
                out.onNext(ObjectMetadata.newBuilder().addAllMethods(METHODS.stream().sorted().toList()).build());
                out.onCompleted();
            }
        };
        try {
            server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    Target target() {
        return Target.of(channel, PyroURI.DAEMON_NAME, "the gateway's own " + PyroURI.DAEMON_NAME);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
