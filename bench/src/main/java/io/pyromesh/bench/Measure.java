package io.pyromesh.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The measurements: each runs for a fixed time after a warm-up and reports rates, not totals. */
final class Measure {
    /** How long one operation runs before the next takes its turn, in {@link #concurrentInterleaved}. */
    private static final double SLICE_SECONDS = 0.25;
    /** The start of a turn that is not counted: the previous operation's calls in flight finish meanwhile. */
    private static final long SETTLE_MILLIS = 20;

    private Measure() {}

    /** Calls per second and latency percentiles of one caller making calls back to back. */
    record Sequential(double callsPerSecond, double p50Micros, double p99Micros) {
        /** The best of two rounds, figure by figure: the highest rate, the lowest percentiles. */
        static Sequential best(Sequential one, Sequential other) {
            return new Sequential(Math.max(one.callsPerSecond, other.callsPerSecond),
                    Math.min(one.p50Micros, other.p50Micros), Math.min(one.p99Micros, other.p99Micros));
        }
    }

    /** One operation's rate and latency percentiles, called back to back (see {@link #interleaved}). */
    static Sequential sequential(Runnable operation, double seconds) {
        return interleaved(List.of(operation), seconds).get(0);
    }

    /**
     * Each operation's rate and latency percentiles, one caller calling them in turn (one of each, again
     * and again) for {@code seconds}, after a warm-up of a third of that: whatever else the machine does
     * meanwhile falls on all of them alike, which makes their ratios far steadier on a busy host than
     * measuring them one after the other. A rate is calls per second of time spent in that operation.
     */
    static List<Sequential> interleaved(List<Runnable> operations, double seconds) {
        timedRun(() -> operations.forEach(Runnable::run), seconds / 3);
        int kinds = operations.size();
        long[][] latencies = new long[kinds][1_000_000];
        long[] spent = new long[kinds];
        int count = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && count < latencies[0].length) {
            for (int i = 0; i < kinds; i++) {
                long before = System.nanoTime();
                operations.get(i).run();
                long took = System.nanoTime() - before;
                latencies[i][count] = took;
                spent[i] += took;
            }
            count++;
        }
        List<Sequential> results = new ArrayList<>();
        for (int i = 0; i < kinds; i++) {
            long[] sorted = Arrays.copyOf(latencies[i], count);
            Arrays.sort(sorted);
            results.add(new Sequential(count / (spent[i] / 1e9), sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3));
        }
        return results;
    }

    /** Operations per second, one after another, after a warm-up of a third of the time. */
    static double rate(Runnable operation, double seconds) {
        timedRun(operation, seconds / 3);
        return timedRun(operation, seconds);
    }

    private static double timedRun(Runnable operation, double seconds) {
        long count = 0;
        long started = System.nanoTime();
        long end = started + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            operation.run();
            count++;
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * Operations per second with {@code callers} threads at once, after a warm-up of a third of the time,
     * every call counted to its end: right for one operation whose calls are slow (a Consul registration
     * takes about a second with 64 at once), where {@link #concurrentInterleaved}'s short slices would
     * catch whole bursts of completions or none. To compare operations, use that one.
     */
    static double concurrentRate(Runnable operation, int callers, double seconds) throws InterruptedException {
        concurrentRun(operation, callers, seconds / 3);
        return concurrentRun(operation, callers, seconds);
    }

    private static double concurrentRun(Runnable operation, int callers, double seconds) throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                long mine = 0;
                while (System.nanoTime() < end) {
                    operation.run();
                    mine++;
                }
                calls.addAndGet(mine);
            });
            thread.start();
            threads.add(thread);
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return calls.get() / ((System.nanoTime() - window[0]) / 1e9);
    }

    /**
     * Each operation's calls per second with {@code callers} threads calling at once, the operations
     * taking turns in short slices (all callers switch together) for {@code seconds} each in all, after a
     * warm-up of a third of that: as {@link #interleaved} does for one caller, so that whatever the machine
     * and the JIT do meanwhile falls on all of them alike. A slice's first calls, made while the previous
     * operation's last ones finish, are not counted.
     */
    static List<Double> concurrentInterleaved(List<Runnable> operations, int callers, double seconds) throws InterruptedException {
        int kinds = operations.size();
        AtomicInteger turn = new AtomicInteger();
        AtomicLong[] calls = new AtomicLong[kinds];
        Arrays.setAll(calls, i -> new AtomicLong());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            Thread thread = new Thread(() -> {
                int kind;
                while ((kind = turn.get()) >= 0) {
                    try {
                        operations.get(kind).run();
                    } catch (RuntimeException | Error failed) {
                        failure.compareAndSet(null, failed);
                        return;
                    }
                    calls[kind].incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        long[] counted = new long[kinds];
        long[] spent = new long[kinds];
        try {
            int slices = Math.max(4, (int) Math.round(seconds / SLICE_SECONDS));
            for (int slice = -slices / 3; slice < slices && failure.get() == null; slice++) {
                for (int kind = 0; kind < kinds; kind++) {
                    turn.set(kind);
                    TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
                    long before = calls[kind].get();
                    long started = System.nanoTime();
                    TimeUnit.NANOSECONDS.sleep((long) (seconds / slices * 1e9));
                    if (slice >= 0) {
                        counted[kind] += calls[kind].get() - before;
                        spent[kind] += System.nanoTime() - started;
                    }
                }
            }
        } finally {
            turn.set(-1);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a call with " + callers + " at once failed: " + failure.get(), failure.get());
        }
        List<Double> rates = new ArrayList<>();
        for (int kind = 0; kind < kinds; kind++) {
            rates.add(counted[kind] / (spent[kind] / 1e9));
        }
        return rates;
    }

    /**
     * Calls per second with {@code window} calls kept in flight by one thread: it starts a call whenever
     * fewer are outstanding, and the replies, arriving on the client's transport threads, only make room.
     */
    static double inFlightFromOneThread(EchoTarget target, int window, double seconds) throws InterruptedException {
        inFlightRun(target, window, seconds / 3);
        return inFlightRun(target, window, seconds);
    }

    private static double inFlightRun(EchoTarget target, int window, double seconds) throws InterruptedException {
        Semaphore room = new Semaphore(window);
        AtomicLong replies = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long end = started + (long) (seconds * 1e9);
        while (System.nanoTime() < end && failure.get() == null) {
            room.acquire();
            target.echoAsync("hello").whenComplete((reply, error) -> {
                if (error != null || !"hello".equals(reply)) {
                    failure.compareAndSet(null, error != null ? error : new AssertionError("echo returned " + reply));
                }
                replies.incrementAndGet();
                room.release();
            });
        }
        room.acquire(window); // the last calls' replies
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("an echo with " + window + " in flight failed: " + failure.get(), failure.get());
        }
        return replies.get() / elapsed;
    }

    static void check(String reply) {
        if (!"hello".equals(reply)) {
            throw new AssertionError("echo returned " + reply);
        }
    }

    static void checkBytes(byte[] reply, byte[] sent) {
        if (reply.length != sent.length) {
            throw new AssertionError("echo returned " + reply.length + " bytes of " + sent.length);
        }
    }

    static void pause() throws InterruptedException {
        System.gc();
        TimeUnit.MILLISECONDS.sleep(300);
    }
}
