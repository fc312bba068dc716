package io.pyromesh.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real launcher, {@code bin/pyromesh}, as a user would. */
final class Launcher {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("bin/pyromesh");

    private Launcher() {}

    /** What a finished run printed and returned. */
    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs to completion (60 s at most) with extra environment variables. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return runWithInput(env, null, args);
    }

    /** Runs with {@code input} (may be null) as its standard input. */
    static Result runWithInput(Map<String, String> env, String input, String... args) throws IOException, InterruptedException {
        return runWrapped(List.of(), env, input, args);
    }

    /** Runs wrapped in another command, e.g. {@code ip netns exec HOST}, to run on a test host. */
    static Result runWrapped(List<String> wrapper, Map<String, String> env, String input, String... args)
            throws IOException, InterruptedException {
        File out = File.createTempFile("out", ".txt");
        File err = File.createTempFile("err", ".txt");
        try {
            ProcessBuilder builder = builder(wrapper, env, args).redirectOutput(out).redirectError(err);
            if (input != null) {
                File in = File.createTempFile("stdin", ".txt");
                in.deleteOnExit();
                Files.writeString(in.toPath(), input);
                builder.redirectInput(in);
            }
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pyromesh " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    /** A long-running launcher process (a server), read line by line. */
    static final class Running implements AutoCloseable {
        final Process process;
        final BufferedReader out;

        Running(String... args) throws IOException {
            this(Map.of(), args);
        }

        Running(Map<String, String> env, String... args) throws IOException {
            this(List.of(), env, args);
        }

        Running(List<String> wrapper, Map<String, String> env, String... args) throws IOException {
            this(ProcessBuilder.Redirect.INHERIT, wrapper, env, args);
        }

        /** A server whose error output (its log) goes to {@code errors}, e.g. a file to read afterwards. */
        Running(ProcessBuilder.Redirect errors, List<String> wrapper, Map<String, String> env, String... args) throws IOException {
            process = builder(wrapper, env, args).redirectError(errors).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Reads lines until one starts with {@code prefix}; returns the rest of that line. */
        String awaitLine(String prefix) throws IOException {
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
                seen.add(line);
            }
            throw new AssertionError("the process ended without printing '" + prefix + "'; it printed " + seen);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static ProcessBuilder builder(List<String> wrapper, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PYRO_"));
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder;
    }
}
