package io.pyromesh.mesh;

import io.grpc.Status;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A line per forwarded call, carrying its correlation id and trace id so that one call can be followed
 * across hops: at DEBUG for every call, at WARNING (at most one a second, the rest at DEBUG) when this
 * hop could not get a routed call through. Refusals of bad input stay at DEBUG, so that hostile callers
 * cannot fill the log.
 */
final class CallLog {
    private static final Logger LOG = Logger.getLogger("io.pyromesh.mesh.calls");
    private static final long WARNING_INTERVAL_NANOS = 1_000_000_000L;
    private static final int ECHO_LIMIT = 120;

    private final Supplier<String> hop;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS);

    CallLog(Supplier<String> hop) {
        this.hop = hop;
    }

    void finished(ForwardedCall call, ForwardedCall.Kind kind, String target, Status status, boolean byHop, long nanos) {
        boolean failedToForward = byHop && !target.isEmpty() && !status.isOk() && status.getCode() != Status.Code.CANCELLED;
        Level level = failedToForward && mayWarn() ? Level.WARNING : Level.FINE;
        if (!LOG.isLoggable(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(hop.get()).append(": ").append(kind.rpcName());
        if (call != null) {
            line.append(' ').append(abbreviate(call.object()));
            if (!call.method().isEmpty()) {
                line.append('.').append(abbreviate(call.method()));
            }
        }
        if (!target.isEmpty()) {
            line.append(" -> ").append(target);
        }
        line.append(": ").append(status.getCode()).append(byHop ? " (this hop)" : "")
                .append(String.format(Locale.ROOT, " %.3f ms", nanos / 1e6));
        if (call != null) {
            line.append(" correlation=").append(abbreviate(String.valueOf(call.correlationId())));
            String trace = call.traceId();
            line.append(" trace=").append(trace.isEmpty() ? "-" : trace);
        }
        if (status.getDescription() != null && !status.isOk()) {
            line.append(": ").append(abbreviate(status.getDescription()));
        }
        LOG.log(level, line.toString());
    }

    void failedOver(ForwardedCall call, String from, String to, Status status) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info(hop.get() + ": " + call + " failed over from " + from + " to " + to + " (" + status.getCode()
                    + " before the request was sent) correlation=" + abbreviate(String.valueOf(call.correlationId())));
        }
    }

    private boolean mayWarn() {
        long now = System.nanoTime();
        long last = lastWarning.get();
        return now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now);
    }

    private static String abbreviate(String text) {
        return text.length() <= ECHO_LIMIT ? text : text.substring(0, ECHO_LIMIT) + "...";
    }
}
