package io.pyromesh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real programs tests run against, fetched by the project's own {@code tools/test-dependency}
 * (pinned Debian packages, checked by sha256, cached between runs). A fetch that fails fails the test
 * with the script's message naming what could not be had: a test that needs Pyro5 or Consul is never
 * skipped for want of it.
 */
public final class TestDependencies {
    private static final Map<String, Path> FETCHED = new ConcurrentHashMap<>();

    private TestDependencies() {}

    /** Real Pyro5 5.15: a directory to put on {@code PYTHONPATH} for {@code /usr/bin/python3}. */
    public static Path pyro5() {
        return fetch("pyro5");
    }

    /** A real Consul 1.8.7 agent binary. */
    public static Path consul() {
        return fetch("consul");
    }

    private static Path fetch(String name) {
        return FETCHED.computeIfAbsent(name, TestDependencies::run);
    }

    private static Path run(String name) {
        Path script = script();
        List<String> printed;
        try {
            printed = Processes.run(List.of("bash", script.toString(), name), script.getParent());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + script + " to fetch " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while fetching " + name, e);
        }
        return Path.of(printed.get(printed.size() - 1));
    }

    /** The checkout's tools/test-dependency: tests run in a module directory, so it is found by walking up. */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("tools").resolve("test-dependency");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new AssertionError("tools/test-dependency not found above " + Path.of("").toAbsolutePath());
    }
}
