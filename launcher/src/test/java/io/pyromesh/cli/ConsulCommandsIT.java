package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.DevConsul;
import io.pyromesh.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pyromesh ns -s consul:URL} and nsc as a user runs them, over a real Consul dev agent. */
class ConsulCommandsIT {
    @RegisterExtension
    static final DevConsul consul = new DevConsul();

    @Test
    void twoNameServersOnOneConsulServeTheSameNamesAndNscFindsThemThroughConsul() throws Exception {
        String storage = "consul:" + consul.httpAddress();
        try (Launcher.Running first = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0", "-s", storage)) {
            assertThat(first.awaitLine("Consul store at ")).isEqualTo(consul.httpAddress() + " contains 0 existing registrations.");
            String firstPort = port(first);
            try (Launcher.Running second = new Launcher.Running(Map.of("PYRO_NS_STORAGE", storage), "ns", "-n", "127.0.0.1", "-p", "0")) {
                assertThat(second.awaitLine("Consul store at ")).as("the first one's own entry")
                        .isEqualTo(consul.httpAddress() + " contains 1 existing registrations.");
                String secondPort = port(second);

                assertThat(nsc(firstPort, "register", "demo.consul", "PYRO:a@h:1").out()).isEqualTo("Registered demo.consul\n");
                Eventually.within(Duration.ofSeconds(9), "the second name server has it",
                        () -> lookup(secondPort).equals("PYRO:a@h:1\n"));

                Launcher.Result located = Launcher.run(Map.of("PYRO_CONSUL_ADDR", consul.httpAddress()), "nsc", "lookup", "demo.consul");
                assertThat(located.out()).as(located.err()).isEqualTo("PYRO:a@h:1\n");
            }
        }
    }

    @Test
    void aNameServerOverAConsulThatIsNotThereStopsWithALineNamingIt() throws Exception {
        String nowhere = DevConsul.nowhere();

        Launcher.Result result = Launcher.run("ns", "-n", "127.0.0.1", "-p", "0", "-s", "consul:" + nowhere);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: CommunicationError - consul at " + nowhere + " is unavailable")
                .doesNotContain("\tat ");
    }

    private static String port(Launcher.Running ns) throws Exception {
        String running = ns.awaitLine("NS running on 127.0.0.1:");
        return running.substring(0, running.indexOf(' '));
    }

    private static Launcher.Result nsc(String port, String... args) throws Exception {
        String[] full = new String[args.length + 5];
        System.arraycopy(new String[] {"nsc", "-n", "127.0.0.1", "-p", port}, 0, full, 0, 5);
        System.arraycopy(args, 0, full, 5, args.length);
        return Launcher.run(full);
    }

    private static String lookup(String port) {
        try {
            return nsc(port, "lookup", "demo.consul").out();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
