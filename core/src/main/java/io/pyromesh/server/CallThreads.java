package io.pyromesh.server;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Where a daemon's calls run their callbacks, for a server whose own executor is the transport's thread.
 * Invoker's calls, and the unary calls of services that hand their work to a worker themselves, stay on
 * the transport: the call wakes one worker, where running each callback (start, message, readiness,
 * end) on the workers woke three or four. Every other call runs on the workers throughout.
 */
final class CallThreads implements ServerCallExecutorSupplier {
    private final Executor workers;
    private final Set<String> handingOff;

    /** {@code handingOff}: the names of the services whose unary methods start their work on a worker. */
    CallThreads(Executor workers, Set<String> handingOff) {
        this.workers = workers;
        this.handingOff = Set.copyOf(handingOff);
    }

    @Override
    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        boolean onTransport = InvokerGrpc.SERVICE_NAME.equals(method.getServiceName())
                || (method.getType() == MethodDescriptor.MethodType.UNARY && handingOff.contains(method.getServiceName()));
        return onTransport ? null : workers;
    }
}
