package io.pyromesh.client;

import io.pyromesh.errors.ConnectionClosedError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** What asynchronous calls share about futures: derived futures whose cancellation reaches the call. */
final class Futures {
    private Futures() {}

    /**
     * A future completed with {@code onValue} of {@code source}'s value, or with {@code onFailure} of
     * its failure (or of what {@code onValue} threw). Cancelling it cancels {@code source}, and so
     * the call behind it.
     */
    static <S, T> CompletableFuture<T> map(CompletableFuture<S> source, Function<? super S, ? extends T> onValue,
            Function<Throwable, Throwable> onFailure) {
        CompletableFuture<T> derived = new CompletableFuture<>();
        source.whenComplete((value, failure) -> {
            if (failure != null) {
                derived.completeExceptionally(onFailure.apply(unwrapped(failure)));
                return;
            }
            T mapped;
            try {
                mapped = onValue.apply(value);
            } catch (RuntimeException refused) {
                derived.completeExceptionally(onFailure.apply(refused));
                return;
            }
            derived.complete(mapped);
        });
        derived.whenComplete((value, failure) -> {
            if (derived.isCancelled()) {
                source.cancel(false);
            }
        });
        return derived;
    }

    /** Waits for a binding; its failure is rethrown as it is. */
    static <T> T await(CompletableFuture<T> future, PyroURI uri) {
        try {
            return future.get();
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new PyroError(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedError("interrupted while connecting to " + uri);
        }
    }

    /** The exception itself, not the CompletionException a dependent stage wrapped it in. */
    static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
