package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code pyromesh demo}, the README's main job, as a user runs it. */
class DemoIT {
    @Test
    void theDemoRunsTheWholeMeshAndExitsCleanly() throws Exception {
        Launcher.Result demo = Launcher.run("demo");
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.err()).doesNotContain("Exception").doesNotContain("\tat ");
        String out = demo.out();
        assertThat(out).containsPattern("client -> gateway localhost:\\d+ -> sidecar localhost:\\d+ -> app replica 1 on localhost:\\d+\n")
                .contains("list_contents() = [chair, bike, flashlight, laptop, couch]")
                .contains("java.lang.IllegalArgumentException: Bob wants a piano, but there is none")
                .contains("checked: chair")
                .containsPattern("-> app replica 1 on localhost:\\d+  or  sidecar localhost:\\d+ -> app replica 2 on localhost:\\d+")
                .contains("200 application/json; charset=utf-8  [\"chair\",\"flashlight\",\"laptop\",\"couch\",\"umbrella\"]")
                .endsWith("* Done: everything shut down cleanly.\n");
        Matcher shares = Pattern.compile("10 calls answered by \\{replica 1=(\\d+), replica 2=(\\d+)}").matcher(out);
        assertThat(shares.find()).as("both replicas answered: " + out).isTrue();
    }

    @Test
    void withServeItStaysUpOnTheDefaultPortsAndAnswersAsItSays() throws Exception {
        try (Launcher.Running demo = new Launcher.Running("demo", "--serve")) {
            demo.awaitLine("* Serving until interrupted");
            Launcher.Result viaGateway = Launcher.run("call", "PYRO:PYRONAME:example.warehouse@localhost:9300", "list_contents");
            assertThat(viaGateway.out()).isEqualTo("[\"chair\",\"flashlight\",\"laptop\",\"couch\",\"umbrella\"]\n");
            assertThat(Launcher.run("call", "PYRONAME:example.warehouse", "store", "Carol", "lamp").status()).isZero();
            HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:8080/pyro/example.warehouse/list_contents")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(http.body()).isEqualTo("[\"chair\",\"flashlight\",\"laptop\",\"couch\",\"umbrella\",\"lamp\"]");
            demo.process.destroy();
            assertThat(demo.process.waitFor()).as("exit status after SIGTERM").isIn(0, 143);
        }
    }
}
