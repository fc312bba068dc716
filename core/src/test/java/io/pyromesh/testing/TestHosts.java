package io.pyromesh.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test "hosts" on one machine: network namespaces
 * {@code NAME-h1..NAME-hN} whose {@code eth0} is plugged into a bridge that lives in a namespace
 * {@code NAME-sw}. Host i has 10.77.0.(10+i)/24, broadcast 10.77.0.255 and a multicast route, so UDP
 * broadcast and multicast cross the bridge as on a LAN. The names are unique per JVM, so concurrent runs
 * do not meet. Needs root and iproute2; {@link #remove()} removes everything.
 */
public final class TestHosts {
    private static final Path HERE = Path.of(".");

    private final String name;
    private final int count;

    private TestHosts(String name, int count) {
        this.name = name;
        this.count = count;
    }

    /** Creates {@code count} hosts, first removing leftovers of a crashed run with the same names. */
    public static TestHosts create(int count) throws IOException, InterruptedException {
        // short, because interface names ("<name><i>-sw") are limited to 15 characters
        TestHosts hosts = new TestHosts("pmd" + Long.toString(ProcessHandle.current().pid(), 36), count);
        hosts.remove();
        try {
            hosts.build();
        } catch (Throwable e) {
            hosts.remove();
            throw e;
        }
        return hosts;
    }

    private void build() throws IOException, InterruptedException {
        String sw = name + "-sw";
        ip("netns", "add", sw);
        ip("-n", sw, "link", "add", "br0", "type", "bridge");
        ip("-n", sw, "link", "set", "br0", "up");
        for (int i = 1; i <= count; i++) {
            String host = namespace(i);
            String port = name + i + "-sw";
            ip("netns", "add", host);
            ip("link", "add", port, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", host);
            ip("-n", sw, "link", "set", port, "master", "br0");
            ip("-n", sw, "link", "set", port, "up");
            ip("-n", host, "link", "set", "lo", "up");
            ip("-n", host, "addr", "add", address(i) + "/24", "broadcast", "10.77.0.255", "dev", "eth0");
            ip("-n", host, "link", "set", "eth0", "up");
            ip("-n", host, "route", "add", "224.0.0.0/4", "dev", "eth0");
        }
    }

    /** Host i's address on the shared link. */
    public static String address(int i) {
        return "10.77.0." + (10 + i);
    }

    /** The namespace of host i. */
    public String namespace(int i) {
        return name + "-h" + i;
    }

    /** Runs a main class of this test classpath on host i to completion and returns its output lines. */
    public List<String> run(int i, Class<?> mainClass, String... args) throws IOException, InterruptedException {
        return Processes.run(java(i, mainClass, args), HERE);
    }

    /** Starts a main class of this test classpath on host i; its error output goes to the test's. */
    public Process start(int i, Class<?> mainClass, String... args) throws IOException {
        return new ProcessBuilder(java(i, mainClass, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** {@code command} as it must run to be on host i: inside its namespace. */
    public List<String> on(int i, List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
        inside.addAll(command);
        return inside;
    }

    private List<String> java(int i, Class<?> mainClass, String... args) {
        // every process that uses a host's addresses has to run inside its namespace
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Fails, rather than skips, when hosts cannot be made here: CI runs as root, so a skip would hide
     * that the cross-host behaviour went untested.
     */
    public static void requireRootAndIproute2() throws IOException, InterruptedException {
        if (!Processes.run(List.of("id", "-u"), HERE).equals(List.of("0"))) {
            throw new AssertionError("network namespaces need root: run this test as root, as CI does");
        }
        try {
            Processes.run(List.of("ip", "-V"), HERE);
        } catch (IOException e) {
            throw new AssertionError("the ip command (iproute2) is needed to make test hosts", e);
        }
    }

    /** Removes the hosts and the bridge; hosts that are not there are fine. */
    public void remove() throws IOException, InterruptedException {
        for (int i = 1; i <= count; i++) {
            deleteNamespace(namespace(i));
        }
        deleteNamespace(name + "-sw");   // takes the bridge and the veth ends with it
    }

    private static void deleteNamespace(String namespace) throws IOException, InterruptedException {
        // not Processes.run: a namespace that is not there is fine
        new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Processes.run(command, HERE);
    }
}
