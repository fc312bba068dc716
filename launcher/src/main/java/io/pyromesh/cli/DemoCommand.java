package io.pyromesh.cli;

import io.pyromesh.Pyro;
import io.pyromesh.client.Proxy;
import io.pyromesh.client.RemoteObject;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code pyromesh demo}: the whole mesh on the embedded defaults, in one process and a few seconds: a
 * name server (memory store), a daemon with Pyro's warehouse tutorial object and the echo server, and
 * clients that find them by name and by metadata, stream, batch and get remote errors.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole mesh on the embedded defaults and show it working (a few seconds).")
final class DemoCommand implements Callable<Integer> {
    /** The warehouse of Pyro's tutorial, as a Java contract. */
    @Expose
    public interface Warehouse {
        List<String> list_contents();

        void store(String name, String item);

        void take(String name, String item);

        Stream<String> audit();
    }

    public static final class WarehouseImpl implements Warehouse {
        private final List<String> contents = new ArrayList<>(List.of("chair", "bike", "flashlight", "laptop", "couch"));

        @Override
        public synchronized List<String> list_contents() {
            return List.copyOf(contents);
        }

        @Override
        public synchronized void store(String name, String item) {
            contents.add(item);
        }

        @Override
        public synchronized void take(String name, String item) {
            if (!contents.remove(item)) {
                throw new IllegalArgumentException(name + " wants a " + item + ", but there is none");
            }
        }

        @Override
        public synchronized Stream<String> audit() {
            return List.copyOf(contents).stream().map(item -> "checked: " + item);
        }
    }

    @Override
    public Integer call() {
        PyroConfig config = PyroConfig.current().withHost("localhost");
        step("Starting a name server (memory store) on a free port of localhost");
        try (NameServerDaemon ns = NameServerDaemon.builder().config(config).host("localhost").port(0).start()) {
            System.out.println("    " + ns.uri());
            PyroConfig clients = config.withNsHost("localhost").withNsPort(ns.uri().port());

            step("Starting a daemon with the warehouse and the echo server, registered by name with metadata");
            try (Daemon daemon = Daemon.builder().config(config).build();
                    NameServer names = Pyro.proxy(ns.uri(), NameServer.class)) {
                PyroURI warehouse = daemon.register(new WarehouseImpl(), "example.warehouse");
                PyroURI echo = daemon.register(new EchoServer(), "test.echoserver");
                names.register("example.warehouse", warehouse, false, Set.of("kind:storage", "tutorial:warehouse"));
                names.register("test.echoserver", echo, false, Set.of("kind:test"));
                names.list().forEach((name, uri) -> System.out.println("    " + name + " --> " + uri));

                step("A client finds the warehouse by name (PYRONAME) and calls it like a local object");
                Warehouse shop = Pyro.proxy(PyroURI.name("example.warehouse", "localhost", ns.uri().port()), Warehouse.class);
                System.out.println("    contents: " + shop.list_contents());
                shop.store("Alice", "umbrella");
                shop.take("Alice", "bike");
                System.out.println("    Alice stored an umbrella and took the bike: " + shop.list_contents());

                step("A remote exception comes back with its remote traceback");
                try {
                    shop.take("Bob", "piano");
                } catch (RemoteException e) {
                    System.out.print(indent(e.getRemoteTraceback().lines().limit(4).toList()));
                }

                step("A streamed result arrives item by item");
                try (Stream<String> audit = shop.audit()) {
                    audit.limit(3).forEach(line -> System.out.println("    " + line));
                }
                ((RemoteObject) shop).close();

                step("Another client finds an object by metadata (PYROMETA) and sends a batch");
                try (Proxy any = new Proxy(PyroURI.meta(List.of("kind:test"), "localhost", ns.uri().port()), clients)) {
                    Iterator<Object> results = any.batch().call("echo", "one").call("echo", 2).call("nan").execute();
                    List<Object> all = new ArrayList<>();
                    results.forEachRemaining(all::add);
                    System.out.println("    batch results: " + all);
                }
            }
        }
        step("Done: everything shut down cleanly.");
        return 0;
    }

    private static void step(String text) {
        System.out.println("* " + text);
    }

    private static String indent(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append("    ").append(line).append('\n'));
        return text.toString();
    }
}
