package io.pyromesh.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what is logged (java.util.logging, which gRPC and Netty use here) while it is open. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new ArrayList<>();
    private final Level threshold;

    private LogCapture(Level threshold) {
        this.threshold = threshold;
    }

    /** Starts collecting records at {@code threshold} and above, from every logger. */
    public static LogCapture atLeast(Level threshold) {
        LogCapture capture = new LogCapture(threshold);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record.getLevel().intValue() >= threshold.intValue()) {
            records.add(record);
        }
    }

    /** What was logged so far. */
    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
