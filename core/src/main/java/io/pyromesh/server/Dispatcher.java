package io.pyromesh.server;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.internal.CallState;
import io.pyromesh.internal.MemberNames;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.values.ValueCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Turns a request into a call of a Java method: finds the object and the member, enforces exposure,
 * binds the arguments, and runs the method in its call context.
 */
final class Dispatcher {
    static final String GETATTR = "__getattr__";
    static final String SETATTR = "__setattr__";

    private final Daemon daemon;
    private final ValueCodec codec;

    Dispatcher(Daemon daemon, ValueCodec codec) {
        this.daemon = daemon;
        this.codec = codec;
    }

    /** A request checked and bound, ready to run. */
    record Prepared(Registration target, String member, RemoteMethod method, Object[] arguments) {
        boolean oneway() {
            return method.oneway;
        }

        boolean streaming() {
            return method.streaming;
        }

        boolean async() {
            return method.async;
        }
    }

    Prepared prepare(String objectId, String member, List<Value> args, Map<String, Value> kwargs) {
        Registration target = daemon.registration(objectId);
        if (member.equals(GETATTR) || member.equals(SETATTR)) {
            return prepareProperty(target, member, args, kwargs);
        }
        if (MemberNames.isPrivate(member)) {
            throw new SecurityError("attempt to access private member '" + PyroError.excerpt(member) + "' of remote object '" + objectId
                    + "': names starting with _ are never reachable remotely");
        }
        List<RemoteMethod> overloads = target.exposed.methods.get(member);
        if (overloads == null) {
            throw noSuchMember(objectId, member);
        }
        ArgumentBinder.Bound bound = ArgumentBinder.bind(overloads, args, kwargs, codec);
        return new Prepared(target, member, bound.method(), bound.arguments());
    }

    private Prepared prepareProperty(Registration target, String accessor, List<Value> args, Map<String, Value> kwargs) {
        boolean write = accessor.equals(SETATTR);
        int expected = write ? 2 : 1;
        if (args.size() != expected || !kwargs.isEmpty() || args.get(0).getKindCase() != Value.KindCase.STR_VALUE) {
            throw new TypeError(accessor + " takes " + (write ? "the property name and its new value" : "the property name")
                    + " as positional arguments");
        }
        String name = args.get(0).getStrValue();
        RemoteProperty property = target.exposed.properties.get(name);
        RemoteMethod accessorMethod = property == null ? null : write ? property.setter() : property.getter();
        if (accessorMethod == null) {
            if (property != null) {
                throw new SecurityError("property '" + name + "' of remote object '" + target.id + "' is "
                        + (write ? "read-only" : "write-only"));
            }
            throw noSuchMember(target.id, name);
        }
        Object[] arguments = write
                ? new Object[] {decodeArgument(accessorMethod, args.get(1))}
                : new Object[0];
        return new Prepared(target, name, accessorMethod, arguments);
    }

    private Object decodeArgument(RemoteMethod setter, Value value) {
        try {
            return codec.decode(value, setter.parameterTypes[0]);
        } catch (TypeError e) {
            throw new TypeError("property '" + setter.name + "': " + e.getMessage(), e);
        }
    }

    static SecurityError noSuchMember(String objectId, String member) {
        return new SecurityError("remote object '" + PyroError.excerpt(objectId) + "' has no exposed attribute or method '"
                + PyroError.excerpt(member) + "'");
    }

    /**
     * Runs the method in the caller's context. Exceptions are the method's own (or its instance
     * creator's), for the caller to receive as a {@code RemoteError}. A PERCALL instance is let go of
     * when the call is over: when the method returns, or when the stage an async method returned
     * completes.
     */
    Object call(Prepared prepared, InboundCall inbound) throws Throwable {
        CallState previous = CallState.enterServerCall(inbound.correlationId, inbound.annotations,
                inbound.clientAddress, inbound.session, prepared.target.id, prepared.member);
        Daemon previousDaemon = Daemon.enter(daemon);
        try {
            Object instance = prepared.target.instanceFor(inbound.session);
            boolean overOnReturn = !prepared.streaming();
            try {
                Object result = prepared.method.invoke(instance, prepared.arguments);
                if (prepared.async() && result instanceof CompletionStage<?> stage) {
                    overOnReturn = false;
                    stage.whenComplete((value, failure) -> prepared.target.afterCall(instance));
                }
                return result;
            } finally {
                if (overOnReturn) {
                    prepared.target.afterCall(instance);
                }
            }
        } finally {
            inbound.setResponseAnnotations(CallState.current().responseAnnotations());
            Daemon.enter(previousDaemon);
            CallState.restore(previous);
        }
    }

    /**
     * Runs a call and wraps its outcome. The response is there when the method returns or, for a method
     * returning a {@link CompletionStage}, when that stage completes; cancelling the response cancels
     * the stage. A result that cannot be encoded fails the response with a SerializeError.
     */
    CompletableFuture<InvokeResponse> respond(Prepared prepared, InboundCall inbound) {
        Object result;
        try {
            result = call(prepared, inbound);
        } catch (Throwable thrown) {
            return CompletableFuture.completedFuture(failure(thrown));
        }
        if (!prepared.async()) {
            return encoded(prepared, result);
        }
        if (result == null) {
            return CompletableFuture.completedFuture(failure(new NullPointerException(
                    prepared.member + "() returned null instead of a CompletionStage")));
        }
        CompletionStage<?> stage = (CompletionStage<?>) result;
        CompletableFuture<InvokeResponse> response = new CompletableFuture<>();
        stage.whenComplete((value, thrown) -> {
            if (thrown != null) {
                response.complete(failure(unwrapped(thrown)));
            } else {
                try {
                    response.complete(success(prepared, value));
                } catch (SerializeError unserializable) {
                    response.completeExceptionally(unserializable);
                }
            }
        });
        response.whenComplete((ignored, thrown) -> {
            if (response.isCancelled()) {
                cancel(stage);
            }
        });
        return response;
    }

    private CompletableFuture<InvokeResponse> encoded(Prepared prepared, Object result) {
        try {
            return CompletableFuture.completedFuture(success(prepared, result));
        } catch (SerializeError unserializable) {
            return CompletableFuture.failedFuture(unserializable);
        }
    }

    private InvokeResponse success(Prepared prepared, Object result) {
        return InvokeResponse.newBuilder().setResult(encodeResult(prepared, result)).build();
    }

    private static InvokeResponse failure(Throwable thrown) {
        return InvokeResponse.newBuilder().setError(RemoteErrors.of(thrown)).build();
    }

    /** The exception a stage failed with, not the wrapper a dependent stage put around it. */
    private static Throwable unwrapped(Throwable thrown) {
        Throwable cause = thrown.getCause();
        return (thrown instanceof CompletionException || thrown instanceof ExecutionException) && cause != null ? cause : thrown;
    }

    /** Cancels a stage that can be cancelled (every CompletableFuture can). */
    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // a stage without a future view cannot be told; its result will be dropped
        }
    }

    Value encodeResult(Prepared prepared, Object result) {
        try {
            return codec.encode(result);
        } catch (PyroError e) {
            throw new SerializeError("cannot serialize the result of " + prepared.member + "(): " + e.getMessage(), e);
        }
    }
}
