package io.pyromesh.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workplace's shared scripts ({@code get-pyro5.sh}, {@code get-consul.sh} ...), which live in
 * {@code ../shared/scripts} beside the checkout here and in CI ({@code PYROMESH_SHARED} overrides).
 */
public final class SharedScripts {
    private SharedScripts() {}

    /** The script's path; an AssertionError saying where it was looked for if it is missing. */
    public static Path script(String name) {
        String override = System.getenv("PYROMESH_SHARED");
        // tests run in a module directory, one level below the checkout
        Path shared = override != null ? Path.of(override) : Path.of("..", "..", "shared").toAbsolutePath().normalize();
        Path script = shared.resolve("scripts").resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new AssertionError("the shared script " + script + " is missing; set PYROMESH_SHARED to the shared directory");
        }
        return script;
    }
}
