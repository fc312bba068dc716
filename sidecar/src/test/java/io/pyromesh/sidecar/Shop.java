package io.pyromesh.sidecar;

import io.pyromesh.context.CallContext;
import io.pyromesh.server.Expose;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** The object the tests' apps serve through a sidecar. */
@Expose
public class Shop {
    private final String owner;
    private final AtomicInteger calls = new AtomicInteger();

    public Shop(String owner) {
        this.owner = owner;
    }

    /** Which app answered, and what it was sent. */
    public String echo(String message) {
        calls.incrementAndGet();
        return owner + ": " + message;
    }

    /** {@code n} items, streamed. */
    public Iterator<Integer> count(int n) {
        calls.incrementAndGet();
        return IntStream.range(0, n).iterator();
    }

    /** Answers after {@code seconds}. */
    public String slow(double seconds) throws InterruptedException {
        calls.incrementAndGet();
        Thread.sleep((long) (seconds * 1000));
        return owner + " waited " + seconds + " s";
    }

    public void fail() {
        calls.incrementAndGet();
        throw new IllegalStateException("out of stock at " + owner);
    }

    /** The caller's correlation id and annotation "test", and sets the annotation "back". */
    public String context() {
        CallContext context = CallContext.current();
        byte[] test = context.annotations().get("test");
        context.responseAnnotations().put("back", ("from " + owner).getBytes(StandardCharsets.UTF_8));
        return context.correlationId() + " " + (test == null ? "-" : new String(test, StandardCharsets.UTF_8));
    }

    /** How many calls this object received. */
    public int calls() {
        return calls.get();
    }
}
