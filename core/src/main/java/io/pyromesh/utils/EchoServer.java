package io.pyromesh.utils;

import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.server.Oneway;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Pyro's test echo server ({@code test.echoserver}), with the same methods and results, for trying
 * clients out and for tests: {@code pyromesh echo} serves one.
 */
@Expose
public class EchoServer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private volatile boolean verbose;

    /** Returns its argument. */
    public Object echo(Object message) {
        log("echo: " + repr(message));
        return message;
    }

    /** Raises an error with a fixed message. */
    public void error() {
        log("error: generating exception");
        throw new IllegalArgumentException("this is the generated error from echoserver echo() method");
    }

    /** Raises an error with another fixed message. */
    public void error_with_text() {
        log("error: generating exception");
        throw new IllegalArgumentException("the message of the error");
    }

    /** Oneway: the caller does not wait. */
    @Oneway
    public void oneway_echo(Object message) {
        log("oneway_echo: " + repr(message));
    }

    /** Takes five seconds to answer. */
    public String slow() throws InterruptedException {
        log("slow: waiting a bit...");
        Thread.sleep(5000);
        log("slow: returning result");
        return "Finally, an answer!";
    }

    /** Oneway, and takes five seconds. */
    @Oneway
    public void oneway_slow() throws InterruptedException {
        log("oneway_slow: waiting a bit...");
        Thread.sleep(5000);
        log("oneway_slow: returning result");
    }

    /** Streams three items. */
    public Iterator<String> generator() {
        log("generator: yielding items");
        return List.of("one", "two", "three").iterator();
    }

    public double nan() {
        return Double.NaN;
    }

    public double inf() {
        return Double.POSITIVE_INFINITY;
    }

    /** Shows that Pyro's public dunder names are reachable. */
    public String __dunder__() {
        return "should be allowed (dunder)";
    }

    /** Stops the daemon serving this object, after answering. */
    public void shutdown() {
        log("shutting down");
        Daemon daemon = Daemon.current();
        if (daemon != null) {
            daemon.shutdown();
        }
    }

    /** Whether each call is printed (a remote property). */
    public boolean isVerbose() {
        return verbose;
    }

    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    private void log(String message) {
        if (verbose) {
            System.out.println(LocalDateTime.now().format(TIME) + " - " + message);
        }
    }

    private static String repr(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
