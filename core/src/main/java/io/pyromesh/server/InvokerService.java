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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

    /**
     * A call answered with one response. The method runs holding a worker, as THREADPOOL_SIZE bounds,
     * except a method returning a {@code CompletionStage}: see {@link #invokeAsync}.
     */
    void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
        InboundCall inbound = InboundCall.KEY.get();
        Dispatcher.Prepared prepared;
        Workers.Permit permit;
        try {
            prepared = dispatcher.prepare(request.getObject(), request.getMethod(), request.getArgsList(), request.getKwargsMap());
            if (prepared.streaming()) {
                throw new ProtocolError("method '" + request.getMethod() + "' returns a stream: call it with InvokeStream");
            }
            permit = prepared.async() ? workers.acquirePending() : workers.acquire();
        } catch (PyroError refused) {
            out.onError(status(refused));
            return;
        }
        boolean oneway = request.getOneway() || prepared.oneway();
        if (prepared.async()) {
            invokeAsync(prepared, inbound, out, permit, oneway);
        } else if (oneway) {
            workers.runInBackground(permit, () -> dispatcher.respond(prepared, inbound));
            reply(out, ONEWAY_ACCEPTED);
        } else {
            CompletableFuture<InvokeResponse> response;
            try (permit) {
                response = dispatcher.respond(prepared, inbound);
            }
            response.whenComplete((answer, failure) -> answer(out, answer, failure));
        }
    }

    /**
     * Calls a method that returns a {@code CompletionStage}, and answers when the stage completes. It
     * takes no worker: it runs on the thread gRPC delivered the call on and is expected only to start
     * its work and return the stage; then the call holds no thread, only its room among
     * {@code MAX_PENDING_CALLS}. The end of the call (the caller cancelled, or its deadline passed)
     * cancels a stage not yet complete.
     */
    private void invokeAsync(Dispatcher.Prepared prepared, InboundCall inbound, StreamObserver<InvokeResponse> out,
            Workers.Permit pending, boolean oneway) {
        if (oneway) {
            reply(out, ONEWAY_ACCEPTED);
        }
        CompletableFuture<InvokeResponse> response = dispatcher.respond(prepared, inbound);
        response.whenComplete((answer, failure) -> pending.close());
        if (oneway) {
            return;
        }
        if (!response.isDone()) {
            Context.current().addListener(ended -> response.cancel(false), workers.reactions());
        }
        response.whenComplete((answer, failure) -> answer(out, answer, failure));
    }

    /** Sends a response, or the error that stopped it; nothing if the call has ended already. */
    private static void answer(StreamObserver<InvokeResponse> out, InvokeResponse response, Throwable failure) {
        if (failure instanceof CancellationException) {
            return; // cancelled because the call ended: nobody is listening
        }
        try {
            if (failure != null) {
                out.onError(GrpcErrors.toStatus(asPyroError(failure), Status.Code.INTERNAL));
            } else {
                reply(out, response);
            }
        } catch (StatusRuntimeException callEnded) {
            // the caller went away while the answer was on its way
        }
    }

    private static PyroError asPyroError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof PyroError pyro ? pyro : new PyroError(String.valueOf(cause), cause);
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

    /**
     * Runs the calls in order until one raises, or (for a batch someone waits for) its caller gives up.
     * A method returning a stage is waited for on the batch's worker; the caller giving up cancels it.
     */
    private BatchResponse runBatch(List<Dispatcher.Prepared> calls, InboundCall inbound, Context caller) {
        BatchResponse.Builder results = BatchResponse.newBuilder();
        for (Dispatcher.Prepared call : calls) {
            if (caller != null && caller.isCancelled()) {
                break;
            }
            InvokeResponse result = awaited(dispatcher.respond(call, inbound), caller);
            if (result == null) {
                break;
            }
            results.addResults(result);
            if (result.hasError()) {
                break;
            }
        }
        return results.build();
    }

    /** The response once its stage has completed; null if the caller (if any) gave up first, which cancels the stage. */
    private static InvokeResponse awaited(CompletableFuture<InvokeResponse> response, Context caller) {
        Context.CancellationListener cancel = ended -> response.cancel(false);
        if (caller != null && !response.isDone()) {
            caller.addListener(cancel, Runnable::run);
        }
        try {
            return response.get();
        } catch (ExecutionException unserializable) {
            throw asPyroError(unserializable.getCause());
        } catch (CancellationException gaveUp) {
            return null;
        } catch (InterruptedException shuttingDown) {
            response.cancel(false);
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (caller != null) {
                caller.removeListener(cancel);
            }
        }
    }

    void getMetadata(MetadataRequest request, StreamObserver<ObjectMetadata> out) {
        try {
            reply(out, daemon.registration(request.getObject()).exposed.metadata);
        } catch (PyroError refused) {
            out.onError(status(refused));
        }
    }

    private static StatusRuntimeException status(PyroError refused) {
        return refused instanceof Workers.Overloaded
                ? GrpcErrors.toStatus(refused, Status.Code.RESOURCE_EXHAUSTED)
                : GrpcErrors.toStatus(refused);
    }

    private static <T> void reply(StreamObserver<T> out, T response) {
        out.onNext(response);
        out.onCompleted();
    }
}
