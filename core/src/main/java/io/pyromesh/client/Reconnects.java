package io.pyromesh.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reconnects a channel whose last connection attempt failed before a call goes out on it. gRPC would
 * otherwise wait out its back-off and fail calls meanwhile; reconnecting at once is what lets the first
 * call after a daemon restarts succeed.
 */
final class Reconnects {
    private Reconnects() {}

    /**
     * {@code channel}, at once if its last attempt did not fail, else once a new attempt has succeeded
     * or failed, or {@code limit} has passed (the call then finds out which). Holds no thread meanwhile.
     */
    static CompletableFuture<ManagedChannel> ready(ManagedChannel channel, Duration limit) {
        if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return CompletableFuture.completedFuture(channel);
        }
        channel.resetConnectBackoff();
        CompletableFuture<ManagedChannel> settled = new CompletableFuture<>();
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.READY) {
            settled.complete(channel);
        } else {
            whenSettled(channel, state, settled);
        }
        return settled.completeOnTimeout(channel, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** As {@link #ready}, waiting on this thread. */
    static ManagedChannel readyNow(ManagedChannel channel, Duration limit) {
        return channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE ? ready(channel, limit).join() : channel;
    }

    private static void whenSettled(ManagedChannel channel, ConnectivityState from, CompletableFuture<ManagedChannel> settled) {
        channel.notifyWhenStateChanged(from, () -> {
            ConnectivityState now = channel.getState(false);
            if (now == ConnectivityState.READY || now == ConnectivityState.TRANSIENT_FAILURE) {
                settled.complete(channel);
            } else if (!settled.isDone()) {
                whenSettled(channel, now, settled);
            }
        });
    }
}
