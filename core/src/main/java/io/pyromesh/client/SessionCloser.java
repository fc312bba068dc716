package io.pyromesh.client;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.stub.ClientCalls;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.TimeUnit;

/**
 * Tells a daemon that a proxy's session is over, so that it drops the SESSION-mode instances it made
 * for it, without making {@link Proxy#close()} wait for the answer. If the message is lost the
 * daemon's {@code SESSION_TIMEOUT} ends the session instead.
 */
final class SessionCloser {
    private static final long DEADLINE_SECONDS = 5;

    private SessionCloser() {}

    static void closeSession(Proxy.Connection bound, String session) {
        InvokeRequest request = InvokeRequest.newBuilder()
                .setObject(PyroURI.DAEMON_NAME).setMethod("close_session").build();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        ClientCalls.futureUnaryCall(
                        ClientInterceptors.intercept(bound.lease().channel(), new CallHeaders(session))
                                .newCall(InvokerGrpc.getInvokeMethod(), options),
                        request)
                .addListener(() -> bound.lease().release(), Runnable::run);
    }
}
