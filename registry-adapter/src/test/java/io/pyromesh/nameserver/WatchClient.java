package io.pyromesh.nameserver;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.WatchRequest;
import io.pyromesh.proto.v1.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Watch} seen from the client, which reads a message only when the test asks for one (manual
 * flow control), so that a test can play a slow reader as well as a quick one.
 */
final class WatchClient implements AutoCloseable {
    private final ClientCall<WatchRequest, WatchResponse> call;
    /** WatchResponses, then the Status the watch ended with. */
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

    WatchClient(Channel channel, WatchRequest request) {
        call = channel.newCall(NameServerGrpc.getWatchMethod(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(WatchResponse message) {
                received.add(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                received.add(status);
            }
        }, new Metadata());
        call.sendMessage(request);
        call.halfClose();
    }

    static WatchClient from(Channel channel, long since, String historyId) {
        return new WatchClient(channel, WatchRequest.newBuilder().setSinceRevision(since).setHistoryId(historyId).build());
    }

    /** Reads one more message; fails if the watch ended instead. */
    WatchResponse next() {
        Object next = read();
        if (next instanceof Status ended) {
            throw new AssertionError("the watch ended: " + ended);
        }
        return (WatchResponse) next;
    }

    /** Reads messages up to and including the first of {@code kind}. */
    List<WatchResponse> until(WatchResponse.Kind kind) {
        List<WatchResponse> read = new ArrayList<>();
        WatchResponse message;
        do {
            message = next();
            read.add(message);
        } while (message.getKind() != kind);
        return read;
    }

    /** Reads on to the end of the watch; returns how it ended. */
    Status end() {
        while (true) {
            if (read() instanceof Status ended) {
                return ended;
            }
        }
    }

    private Object read() {
        call.request(1);
        try {
            Object next = received.poll(30, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError("nothing arrived in 30 s");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        call.cancel("the test is done with this watch", null);
    }
}
