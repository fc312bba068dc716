package io.pyromesh.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs helper programs (protoc, python, openssl) for tests, failing with their output when they fail. */
public final class Processes {
    private Processes() {}

    /** Runs a command to completion (60 s at most) and returns its standard output lines. */
    public static List<String> run(List<String> command, Path directory) throws IOException, InterruptedException {
        File errors = File.createTempFile("stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectError(errors).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("failed with status " + process.exitValue() + ": " + command + "\n" + out
                        + Files.readString(errors.toPath()));
            }
            return out.lines().toList();
        } finally {
            Files.deleteIfExists(errors.toPath());
        }
    }
}
