package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/pyromesh ns and nsc, run for real; nsc's output is compared with Pyro's formats line for line. */
class NameServerCommandsIT {
    static Launcher.Running ns;
    static String port;

    @BeforeAll
    static void startNameServer() throws Exception {
        ns = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0");
        port = awaitStartup(ns);
    }

    /** Checks the start-up lines of a loopback name server; returns its port. */
    private static String awaitStartup(Launcher.Running server) throws Exception {
        assertThat(server.out.readLine()).isEqualTo("Not starting broadcast server for localhost.");
        String running = server.awaitLine("NS running on 127.0.0.1:");
        String itsPort = running.substring(0, running.indexOf(' '));
        assertThat(running).isEqualTo(itsPort + " (127.0.0.1)");
        assertThat(server.out.readLine()).isEqualTo("URI = PYRO:Pyro.NameServer@127.0.0.1:" + itsPort);
        return itsPort;
    }

    @AfterAll
    static void stop() throws Exception {
        ns.close();
    }

    private static Launcher.Result nsc(String... args) throws Exception {
        return nscAt(port, args);
    }

    private static Launcher.Result nscAt(String port, String... args) throws Exception {
        String[] full = new String[args.length + 5];
        full[0] = "nsc";
        full[1] = "-n";
        full[2] = "127.0.0.1";
        full[3] = "-p";
        full[4] = port;
        System.arraycopy(args, 0, full, 5, args.length);
        return Launcher.run(full);
    }

    @Test
    void aSessionWithNscPrintsWhatPyrosNscPrints() throws Exception {
        try (Launcher.Running own = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0")) {
            aSessionWithNsc(awaitStartup(own));
        }
    }

    private static void aSessionWithNsc(String port) throws Exception {
        assertThat(nscAt(port, "ping").out()).isEqualTo("Name server ping ok.\n");
        assertThat(nscAt(port, "register", "demo.a", "PYRO:a@h:1").out()).isEqualTo("Registered demo.a\n");
        assertThat(nscAt(port, "setmeta", "demo.a", "tag:x", "tag:y").out()).isEqualTo("Metadata updated\n");
        assertThat(nscAt(port, "lookup", "demo.a").out()).isEqualTo("PYRO:a@h:1\nmetadata: {'tag:x', 'tag:y'}\n");
        assertThat(nscAt(port, "list").out()).isEqualTo("""
                --------START LIST\s
                Pyro.NameServer --> PYRO:Pyro.NameServer@127.0.0.1:%s
                    metadata: {'class:io.pyromesh.nameserver.NameServerObject'}
                demo.a --> PYRO:a@h:1
                    metadata: {'tag:x', 'tag:y'}
                --------END LIST\s
                """.formatted(port));
        assertThat(nscAt(port, "list", "demo").out()).isEqualTo("""
                --------START LIST - prefix 'demo'
                demo.a --> PYRO:a@h:1
                    metadata: {'tag:x', 'tag:y'}
                --------END LIST - prefix 'demo'
                """);
        assertThat(nscAt(port, "listmatching", "demo\\..*").out()).isEqualTo("""
                --------START LIST - regex 'demo\\..*'
                demo.a --> PYRO:a@h:1
                    metadata: {'tag:x', 'tag:y'}
                --------END LIST - regex 'demo\\..*'
                """);
        String searched = """
                --------START LIST  - searched by metadata
                demo.a --> PYRO:a@h:1
                    metadata: {'tag:x', 'tag:y'}
                --------END LIST  - searched by metadata
                """;
        assertThat(nscAt(port, "yplookup_all", "tag:x", "tag:y").out()).isEqualTo(searched);
        assertThat(nscAt(port, "yplookup_any", "tag:y", "tag:z").out()).isEqualTo(searched);
        assertThat(nscAt(port, "setmeta", "demo.a").out()).isEqualTo("Metadata cleared\n");
        assertThat(nscAt(port, "lookup", "demo.a").out()).isEqualTo("PYRO:a@h:1\n");
        assertThat(nscAt(port, "remove", "demo.a").out()).isEqualTo("Removed demo.a\n");
        assertThat(nscAt(port, "remove", "demo.a").out()).isEqualTo("Nothing removed\n");
    }

    @Test
    void errorsArePyroStyleLinesWithStatusOne() throws Exception {
        nsc("register", "taken", "PYRO:a@h:1");
        Launcher.Result taken = nsc("register", "taken", "PYRO:b@h:1");
        assertThat(taken.status()).isEqualTo(1);
        assertThat(taken.err()).isEqualTo("Error: NamingError - name already registered: taken\n");
        Launcher.Result unknown = nsc("lookup", "nope");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("Error: NamingError - unknown name: nope\n");
        assertThat(nsc("listmatching", "(").err()).startsWith("Error: NamingError - invalid regex: ");
        assertThat(nsc("register", "bad", "not-a-uri").err()).isEqualTo("Error: PyroError - invalid uri: not-a-uri\n");
        assertThat(nsc("register", "", "PYRO:a@h:1").err()).isEqualTo("Error: NamingError - a name must not be empty\n");
        nsc("remove", "taken");
    }

    @Test
    void wrongArgumentCountsGetPyrosMessages() throws Exception {
        Map<String[], String> usage = Map.of(
                new String[] {"lookup"}, "requires one argument: name\n",
                new String[] {"register", "x"}, "requires two arguments: name uri\n",
                new String[] {"listmatching"}, "requires one argument: pattern\n",
                new String[] {"setmeta"}, "requires arguments: uri and zero or more meta tags\n",
                new String[] {"yplookup_all"}, "requires at least one metadata tag argument\n");
        for (Map.Entry<String[], String> mistake : usage.entrySet()) {
            Launcher.Result result = nsc(mistake.getKey());
            assertThat(result.err()).isEqualTo(mistake.getValue());
            assertThat(result.status()).isEqualTo(1);
        }
        Launcher.Result bogus = nsc("bogus");
        assertThat(bogus.status()).isEqualTo(2);
        assertThat(bogus.err()).startsWith("invalid command 'bogus' (choose from list, lookup,");
    }

    @Test
    void removematchingAsksFirstUnlessTold() throws Exception {
        nsc("register", "zap.1", "PYRO:a@h:1");
        nsc("register", "zap.2", "PYRO:a@h:1");
        Launcher.Result declined = Launcher.runWithInput(Map.of(), "n\n", "nsc", "-n", "127.0.0.1", "-p", port, "removematching", "zap\\..*");
        assertThat(declined.out()).isEqualTo("Potentially removing lots of items from the Name server. Are you sure (y/n)?");
        Launcher.Result accepted = Launcher.runWithInput(Map.of(), "y\n", "nsc", "-n", "127.0.0.1", "-p", port, "removematching", "zap\\.1");
        assertThat(accepted.out()).isEqualTo("Potentially removing lots of items from the Name server. Are you sure (y/n)?1 items removed.\n");
        assertThat(nsc("-y", "removematching", "zap\\..*").out()).isEqualTo("1 items removed.\n");
    }

    @Test
    void jsonOutputForScripts() throws Exception {
        nsc("register", "json.a", "PYRO:a@h:1");
        nsc("setmeta", "json.a", "k:v");
        assertThat(nsc("--json", "list", "json.").out()).isEqualTo("[{\"name\":\"json.a\",\"uri\":\"PYRO:a@h:1\",\"metadata\":[\"k:v\"]}]\n");
        assertThat(nsc("--json", "lookup", "json.a").out()).isEqualTo("{\"name\":\"json.a\",\"uri\":\"PYRO:a@h:1\",\"metadata\":[\"k:v\"]}\n");
        assertThat(nsc("--json", "remove", "json.a").out()).isEqualTo("{\"removed\":1}\n");
    }

    @Test
    void verboseModeNarrates() throws Exception {
        assertThat(nsc("-v", "ping").out()).isEqualTo("""
                Locating name server...
                Name server found: PYRO:Pyro.NameServer@127.0.0.1:%s
                Name server ping ok.
                Done.
                """.formatted(port));
    }

    @Test
    void withoutANameServerNscFailsWithPyrosLine() throws Exception {
        Launcher.Result result = Launcher.run("nsc", "-n", "127.0.0.1", "-p", "1", "ping");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: Failed to locate the nameserver\n");
    }

    @Test
    void theEchoServerRegistersWithTheNameServer() throws Exception {
        Map<String, String> env = Map.of("PYRO_NS_HOST", "127.0.0.1", "PYRO_NS_PORT", port);
        try (Launcher.Running echo = new Launcher.Running(env, "echo", "-H", "127.0.0.1", "-n", "-v")) {
            assertThat(echo.awaitLine("using name server at ")).isEqualTo("PYRO:Pyro.NameServer@127.0.0.1:" + port);
            String uri = echo.awaitLine("echo uri: ");
            assertThat(nsc("lookup", "test.echoserver").out()).isEqualTo(uri + "\n");
            assertThat(Launcher.run(env, "call", "PYRONAME:test.echoserver", "echo", "\"by name\"").out()).isEqualTo("\"by name\"\n");
            nsc("remove", "test.echoserver");
        }
    }

    @Test
    void theEchoServerCanBringItsOwnNameServer() throws Exception {
        try (Launcher.Running echo = new Launcher.Running(Map.of("PYRO_NS_PORT", "0"), "echo", "-H", "127.0.0.1", "-N", "-v")) {
            String nsUri = echo.awaitLine("using name server at ");
            String echoUri = echo.awaitLine("echo uri: ");
            String nsPort = nsUri.substring(nsUri.lastIndexOf(':') + 1);
            Launcher.Result lookup = Launcher.run("nsc", "-n", "127.0.0.1", "-p", nsPort, "lookup", "test.echoserver");
            assertThat(lookup.out()).isEqualTo(echoUri + "\n");
        }
    }

    @Test
    void aSqlStoreKeepsRegistrationsAcrossRestarts(@TempDir Path directory) throws Exception {
        String storage = "sql:" + directory.resolve("names.sqlite");
        String sqlPort;
        try (Launcher.Running first = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0", "-s", storage)) {
            assertThat(first.awaitLine("Persistent store contains ")).isEqualTo("0 existing registrations.");
            String running = first.awaitLine("NS running on 127.0.0.1:");
            sqlPort = running.substring(0, running.indexOf(' '));
            Launcher.run("nsc", "-n", "127.0.0.1", "-p", sqlPort, "register", "kept", "PYRO:kept@h:1");
        }
        try (Launcher.Running second = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0", "-s", storage)) {
            assertThat(second.awaitLine("Persistent store contains ")).isEqualTo("2 existing registrations.");
            String running = second.awaitLine("NS running on 127.0.0.1:");
            String newPort = running.substring(0, running.indexOf(' '));
            assertThat(Launcher.run("nsc", "-n", "127.0.0.1", "-p", newPort, "lookup", "kept").out()).isEqualTo("PYRO:kept@h:1\n");
        }
    }

    @Test
    void badStorageIsAClearError() throws Exception {
        Launcher.Result result = Launcher.run("ns", "-n", "127.0.0.1", "-p", "0", "-s", "dbm:names");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: invalid storage type 'dbm:names'\n");
    }
}
