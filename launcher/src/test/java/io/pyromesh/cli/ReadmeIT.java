package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java quick start runs as written. */
class ReadmeIT {
    @Test
    void theQuickStartRunsAsWritten(@TempDir Path directory) throws Exception {
        String readme = Files.readString(Launcher.ROOT.resolve("README.md"));
        Matcher quickstart = Pattern.compile("```java\n(import io\\.pyromesh\\.Pyro;.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(quickstart.find()).as("the README has the quick start").isTrue();
        Path source = directory.resolve("Quickstart.java");
        Files.writeString(source, quickstart.group(1));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> output = Processes.run(List.of(java, "-cp", Launcher.ROOT.resolve("launcher/target/pyromesh.jar").toString(),
                source.toString()), directory);
        assertThat(output).hasSize(2);
        assertThat(output.get(0)).matches("serving PYRO:example\\.warehouse@localhost:\\d+");
        assertThat(output.get(1)).isEqualTo("[chair, bike, umbrella]");
    }
}
