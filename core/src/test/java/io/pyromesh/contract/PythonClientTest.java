package io.pyromesh.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.server.Daemon;
import io.pyromesh.testing.Processes;
import io.pyromesh.testing.PythonStubs;
import io.pyromesh.utils.EchoServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract needs no Java: a Python client, with Debian's grpcio and code that protoc generates from
 * the published .proto files, calls a Daemon directly.
 */
class PythonClientTest {
    @Test
    void aPythonClientCallsADaemonThroughTheGeneratedStubs(@TempDir Path work) throws Exception {
        Path generated = PythonStubs.generate(work, List.of("value.proto", "invoker.proto"), List.of("invoker.proto"));
        Path client = PythonStubs.copyResource("python/invoke_client.py", work);

        try (Daemon daemon = new Daemon("127.0.0.1", 0)) {
            daemon.register(new EchoServer(), "test.echoserver");
            List<String> lines = Processes.run(List.of(PythonStubs.PYTHON, client.toString(), generated.toString(),
                    "127.0.0.1:" + daemon.port()), work);
            assertThat(lines).containsExactly(
                    "{\"check\": \"metadata\", \"methods\": [\"__dunder__\", \"echo\", \"error\", \"error_with_text\", "
                            + "\"generator\", \"inf\", \"nan\", \"oneway_echo\", \"oneway_slow\", \"shutdown\", \"slow\"], "
                            + "\"streaming\": [\"generator\"]}",
                    "{\"check\": \"echo\", \"result\": \"hello from python\", "
                            + "\"correlation\": \"2f6a4b43-4d9b-4f6e-9c39-d7d1c3a1b2c3\"}",
                    "{\"check\": \"stream\", \"items\": [\"one\", \"two\", \"three\"]}",
                    "{\"check\": \"remote error\", \"type\": \"java.lang.IllegalArgumentException\", "
                            + "\"message\": \"this is the generated error from echoserver echo() method\", "
                            + "\"traceback_mentions_method\": true}",
                    "{\"check\": \"unknown object\", \"code\": \"NOT_FOUND\", \"type\": \"DaemonError\", "
                            + "\"message\": \"unknown object: no.such.object\"}");
        }
    }
}
