package io.pyromesh.server;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The daemon's {@code Invoker} service: the gRPC face of the {@link Dispatcher} (bound by {@link InvokerDefinition}). */
final class InvokerService {
    private static final InvokeResponse ONEWAY_ACCEPTED = InvokeResponse.newBuilder()
            .setResult(Value.newBuilder().setNullValue(NullValue.NULL_VALUE)).build();

    private final Daemon daemon;
    private final Dispatcher dispatcher;
    private final Workers workers;
    private final boolean streaming;
    private final Duration streamLifetime;

    InvokerService(Daemon daemon, Dispatcher dispatcher, Workers workers, PyroConfig config) {
        this.daemon = daemon;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.streaming = config.iterStreaming();
        this.streamLifetime = config.iterStreamLifetime();
    }

    void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
        InboundCall inbound = InboundCall.KEY.get();
        Dispatcher.Prepared prepared;
        Workers.Permit permit;
        try {
            prepared = dispatcher.prepare(request.getObject(), request.getMethod(), request.getArgsList(), request.getKwargsMap());
            if (prepared.streaming()) {
                throw new ProtocolError("method '" + request.getMethod() + "' returns a stream: call it with InvokeStream");
            }
            permit = workers.acquire();
        } catch (PyroError refused) {
            out.onError(status(refused));
            return;
        }
        if (request.getOneway() || prepared.oneway()) {
            workers.runInBackground(permit, () -> dispatcher.respond(prepared, inbound));
            reply(out, ONEWAY_ACCEPTED);
            return;
        }
        try (permit) {
            reply(out, dispatcher.respond(prepared, inbound));
        } catch (PyroError unserializableResult) {
            out.onError(GrpcErrors.toStatus(unserializableResult, Status.Code.INTERNAL));
        }
    }

    void invokeStream(InvokeRequest request, StreamObserver<InvokeResponse> out) {
        InboundCall inbound = InboundCall.KEY.get();
        try {
            Dispatcher.Prepared prepared = dispatcher.prepare(request.getObject(), request.getMethod(), request.getArgsList(), request.getKwargsMap());
            if (!prepared.streaming()) {
                throw new ProtocolError("method '" + request.getMethod() + "' does not return a stream: call it with Invoke");
            }
            if (!streaming) {
                throw new ProtocolError("this daemon does not stream results (ITER_STREAMING is off)");
            }
            Workers.Permit permit = workers.acquire();
            StreamPump pump = new StreamPump((ServerCallStreamObserver<InvokeResponse>) out, dispatcher, prepared, inbound, streamLifetime);
            workers.runInBackground(permit, pump);
        } catch (PyroError refused) {
            out.onError(status(refused));
        }
    }

    void invokeBatch(BatchRequest request, StreamObserver<BatchResponse> out) {
        InboundCall inbound = InboundCall.KEY.get();
        List<Dispatcher.Prepared> calls = new ArrayList<>();
        Workers.Permit permit;
        try {
            // every call is checked before any runs: a malformed batch runs nothing
            for (InvokeRequest call : request.getCallsList()) {
                Dispatcher.Prepared prepared = dispatcher.prepare(request.getObject(), call.getMethod(), call.getArgsList(), call.getKwargsMap());
                if (prepared.streaming()) {
                    throw new ProtocolError("method '" + call.getMethod() + "' returns a stream, which a batch cannot carry");
                }
                calls.add(prepared);
            }
            permit = workers.acquire();
        } catch (PyroError refused) {
            out.onError(status(refused));
            return;
        }
        if (request.getOneway()) {
            workers.runInBackground(permit, () -> runBatch(calls, inbound, null));
            reply(out, BatchResponse.getDefaultInstance());
            return;
        }
        try (permit) {
            reply(out, runBatch(calls, inbound, Context.current()));
        } catch (PyroError unserializableResult) {
            out.onError(GrpcErrors.toStatus(unserializableResult, Status.Code.INTERNAL));
        }
    }

    /** Runs the calls in order until one raises, or (for a batch someone waits for) its caller gives up. */
    private BatchResponse runBatch(List<Dispatcher.Prepared> calls, InboundCall inbound, Context caller) {
        BatchResponse.Builder results = BatchResponse.newBuilder();
        for (Dispatcher.Prepared call : calls) {
            if (caller != null && caller.isCancelled()) {
                break;
            }
            InvokeResponse result = dispatcher.respond(call, inbound);
            results.addResults(result);
            if (result.hasError()) {
                break;
            }
        }
        return results.build();
    }

    void getMetadata(MetadataRequest request, StreamObserver<ObjectMetadata> out) {
        try {
            reply(out, daemon.registration(request.getObject()).exposed.metadata);
        } catch (PyroError refused) {
            out.onError(status(refused));
        }
    }

    private static StatusRuntimeException status(PyroError refused) {
        return refused instanceof Workers.NoFreeWorkers
                ? GrpcErrors.toStatus(refused, Status.Code.RESOURCE_EXHAUSTED)
                : GrpcErrors.toStatus(refused);
    }

    private static <T> void reply(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }
}
