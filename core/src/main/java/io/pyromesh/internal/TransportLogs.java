package io.pyromesh.internal;

import io.grpc.Status;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps what a peer can make gRPC log small. gRPC's server logs a warning with a 14-frame stack trace for
 * every message over its size limit, so anybody able to connect could fill the log; here each becomes
 * one line without a trace.
 */
public final class TransportLogs {
    /** Held so that the filter, set on this logger, is not lost when java.util.logging lets it go. */
    private static final Logger SERVER_STREAMS = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");
    private static final Filter ONE_LINE_PER_REFUSED_MESSAGE = record -> {
        Status status = record.getThrown() == null ? null : Status.fromThrowable(record.getThrown());
        if (status != null && status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            record.setMessage("refused a message from a client: " + status.getDescription());
            record.setThrown(null);
        }
        return true;
    };

    private TransportLogs() {}

    /** Installs the filter; servers call this once they are built, any number of times. */
    public static void quiet() {
        SERVER_STREAMS.setFilter(ONE_LINE_PER_REFUSED_MESSAGE);
    }
}
