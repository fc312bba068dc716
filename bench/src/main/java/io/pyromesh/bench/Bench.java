package io.pyromesh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pyromesh's benchmark: the cost of Pyromesh over raw grpc-java, measured in one run on one machine so
 * that the ratios mean something on a noisy host. Usage: {@code bin/bench [--mesh] [--seconds N]
 * [--rounds N]}; {@code --mesh} measures only what the mesh's hops add, each part its own process ({@link HopsBench}).
 *
 * <p>Both sides run client and server in this JVM over loopback TCP. Each scenario alternates raw and
 * Pyromesh for several rounds and keeps each side's best figures (the least disturbed by the machine):
 * the highest rate and, of the latency percentiles, the lowest any round had. Sequential calls alternate
 * call by call ({@link Measure#interleaved}), and 64 callers slice by slice ({@link Measure#concurrentInterleaved}),
 * so that both sides meet the same machine.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        double seconds = 3;
        int rounds = 3;
        boolean mesh = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--mesh" -> mesh = true;
                default -> {
                    System.err.println("usage: bin/bench [--mesh] [--seconds N] [--rounds N]");
                    System.exit(2);
                }
            }
        }
        if (mesh) {
            HopsBench.run(seconds, rounds);
            return;
        }
        System.out.printf(Locale.ROOT, "Pyromesh core benchmark: %d rounds of %.1f s per scenario, %d cores, Java %s%n",
                rounds, seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("Baseline: raw grpc-java unary echo (hand-written service). Pyromesh: typed proxy -> Daemon echo(\"hello\").");
        System.out.println("In flight from 1 thread: one thread keeps N calls outstanding (raw: the async stub; Pyromesh: a typed"
                + " proxy's CompletableFuture); the daemon's echo is the same blocking method.");
        System.out.println();

        List<Row> rows = new ArrayList<>();
        double s = seconds;
        List<Measure.Sequential> sequential = sequential(rounds, s, target -> () -> Measure.check(target.echo("hello")));
        rows.add(Row.atLeast("sequential calls/s", sequential.get(0).callsPerSecond(), sequential.get(1).callsPerSecond(), 0.85));
        rows.add(Row.figures("  p50 latency us", sequential.get(0).p50Micros(), sequential.get(1).p50Micros()));
        rows.add(Row.atMost("  p99 latency us", sequential.get(0).p99Micros(), sequential.get(1).p99Micros(), 1.1));
        List<Double> inFlight = concurrent(rounds, s);
        rows.add(Row.atLeast("64 in flight calls/s", inFlight.get(0), inFlight.get(1), 0.80));
        for (int window : new int[] {64, 1000}) {
            List<Double> oneThread = best(rounds, s, (target, t) -> Measure.inFlightFromOneThread(target, window, t), Math::max);
            rows.add(Row.ratio(String.format(Locale.ROOT, "%,d in flight, 1 thread", window), oneThread.get(0), oneThread.get(1)));
        }
        byte[] mebibytePayload = new byte[1024 * 1024];
        new java.util.Random(42).nextBytes(mebibytePayload);
        List<Measure.Sequential> mebibyte = sequential(rounds, s, target -> () -> Measure.checkBytes(target.echoBytes(mebibytePayload), mebibytePayload));
        // one MiB each call, counted once
        rows.add(Row.atLeast("1 MiB echo MiB/s", mebibyte.get(0).callsPerSecond(), mebibyte.get(1).callsPerSecond(), 0.95));

        System.out.printf(Locale.ROOT, "%-24s %14s %14s %8s %8s%n", "", "raw grpc-java", "pyromesh", "ratio", "target");
        for (Row row : rows) {
            System.out.println(row);
        }
        RegistryBench.run(seconds, rounds);
        ConsulBench.run(seconds);
    }

    /** Raw and Pyromesh called in turn (see {@link Measure#interleaved}), {@code call} making one call of a target. */
    private static List<Measure.Sequential> sequential(int rounds, double seconds, Function<EchoTarget, Runnable> call) throws Exception {
        return inTurn(rounds, (raw, pyromesh) -> Measure.interleaved(List.of(call.apply(raw), call.apply(pyromesh)), seconds),
                Measure.Sequential::best);
    }

    /** Raw and Pyromesh with 64 callers each, in turn (see {@link Measure#concurrentInterleaved}). */
    private static List<Double> concurrent(int rounds, double seconds) throws Exception {
        return inTurn(rounds, (raw, pyromesh) -> Measure.concurrentInterleaved(
                List.of(() -> Measure.check(raw.echo("hello")), () -> Measure.check(pyromesh.echo("hello"))), 64, seconds), Math::max);
    }

    interface Turns<R> {
        List<R> measure(EchoTarget raw, EchoTarget pyromesh) throws Exception;
    }

    /** Both targets at once, fresh each round, measured together; each one's best result, [raw, pyromesh]. */
    private static <R> List<R> inTurn(int rounds, Turns<R> turns, BinaryOperator<R> better) throws Exception {
        List<R> best = null;
        for (int round = 0; round < rounds; round++) {
            Measure.pause();
            try (EchoTarget raw = new RawGrpcTarget(); EchoTarget pyromesh = new PyromeshTarget()) {
                List<R> measured = turns.measure(raw, pyromesh);
                best = best == null ? measured : List.of(better.apply(best.get(0), measured.get(0)), better.apply(best.get(1), measured.get(1)));
            }
        }
        return best;
    }

    interface Scenario<R> {
        R run(EchoTarget target, double seconds) throws Exception;
    }

    /**
     * Alternates the two targets for {@code rounds} rounds; returns each one's best result, [raw, pyromesh],
     * {@code better} making the best of two.
     */
    private static <R> List<R> best(int rounds, double seconds, Scenario<R> scenario, BinaryOperator<R> better) throws Exception {
        List<Supplier<EchoTarget>> targets = List.of(RawGrpcTarget::new, PyromeshTarget::new);
        List<R> best = new ArrayList<>(java.util.Arrays.asList(null, null));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < targets.size(); i++) {
                Measure.pause();
                try (EchoTarget target = targets.get(i).get()) {
                    R result = scenario.run(target, seconds);
                    best.set(i, best.get(i) == null ? result : better.apply(best.get(i), result));
                }
            }
        }
        return best;
    }

    /** A figure of both sides; with a bound, the ratio pyromesh/raw must be at least (or at most) it. */
    private record Row(String name, double raw, double pyromesh, double bound, boolean ceiling) {
        static Row atLeast(String name, double raw, double pyromesh, double floor) {
            return new Row(name, raw, pyromesh, floor, false);
        }

        static Row atMost(String name, double raw, double pyromesh, double ceiling) {
            return new Row(name, raw, pyromesh, ceiling, true);
        }

        static Row figures(String name, double raw, double pyromesh) {
            return new Row(name, raw, pyromesh, 0, false);
        }

        /** Both figures and their ratio, with no target. */
        static Row ratio(String name, double raw, double pyromesh) {
            return new Row(name, raw, pyromesh, Double.NaN, false);
        }

        @Override
        public String toString() {
            if (bound == 0) {
                return String.format(Locale.ROOT, "%-24s %14.0f %14.0f", name, raw, pyromesh);
            }
            double ratio = pyromesh / raw;
            if (Double.isNaN(bound)) {
                return String.format(Locale.ROOT, "%-24s %14.0f %14.0f %8.2f", name, raw, pyromesh, ratio);
            }
            boolean met = ceiling ? ratio <= bound : ratio >= bound;
            return String.format(Locale.ROOT, "%-24s %14.0f %14.0f %8.2f %8s %s", name, raw, pyromesh, ratio,
                    (ceiling ? "<= " : ">= ") + bound, met ? "ok" : "BELOW TARGET");
        }
    }
}
