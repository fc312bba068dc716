package io.pyromesh.nameserver.consul;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.proto.v1.ListRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RenewLeaseRequest;
import io.pyromesh.testing.TestHosts;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A name server over Consul, and its clients, as programs to run on {@link TestHosts} hosts (each process
 * that uses a host's address must run in its namespace). Name servers listen on port 9090 of their host.
 *
 * <pre>
 * ns HOST CONSUL_URL               a name server on HOST over the consul store at CONSUL_URL; prints its URI
 *                                  and runs until its standard input ends
 * sidecar NS_HOST LEASE NAME...    registers the names (URI PYRO:NAME@NS_HOST:5000) with a lease of LEASE
 *                                  seconds and renews them four times per lease, as a sidecar does; prints
 *                                  "registered", then runs until it is killed or its standard input ends
 * register NS_HOST NAME            registers NAME without a lease
 * list NS_HOST PREFIX              prints the names registered under PREFIX, one per line
 * </pre>
 */
final class ConsulClusterProgram {
    static final int PORT = 9090;

    private ConsulClusterProgram() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ns" -> nameServer(args[1], args[2]);
            case "sidecar" -> sidecar(args[1], Double.parseDouble(args[2]), Arrays.asList(args).subList(3, args.length));
            case "register" -> withNameServer(args[1], names -> timed(names).register(registration(args[1], args[2], 0)));
            case "list" -> withNameServer(args[1], names -> timed(names).list(ListRequest.newBuilder().setPrefix(args[2]).build())
                    .getRegistrationsList().forEach(found -> System.out.println(found.getName())));
            default -> throw new IllegalArgumentException("ns, sidecar, register or list, not " + args[0]);
        }
        System.out.flush();
    }

    private static void nameServer(String host, String consul) throws IOException {
        try (NameServerDaemon ns = NameServerDaemon.builder().config(PyroConfig.defaults()).host(host).port(PORT)
                .storage("consul:" + consul).broadcast(false).start()) {
            System.out.println(ns.uri());
            System.out.flush();
            // the end of input also comes when the test JVM dies, so no name server outlives its test
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void sidecar(String nsHost, double lease, List<String> names) throws Exception {
        withNameServer(nsHost, stub -> {
            names.forEach(name -> timed(stub).register(registration(nsHost, name, lease)));
            System.out.println("registered");
            System.out.flush();
            Thread renewer = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep((long) (lease * 250));
                    } catch (InterruptedException e) {
                        return;
                    }
                    names.forEach(name -> timed(stub).renewLease(RenewLeaseRequest.newBuilder().setName(name).setLeaseSeconds(lease).build()));
                }
            });
            renewer.setDaemon(true);
            renewer.start();
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ended) {
                // as the end of input
            }
        });
    }

    private static RegisterRequest registration(String nsHost, String name, double lease) {
        return RegisterRequest.newBuilder().setName(name).setUri("PYRO:" + name + "@" + nsHost + ":5000")
                .setLeaseSeconds(lease).build();
    }

    private static NameServerGrpc.NameServerBlockingStub timed(NameServerGrpc.NameServerBlockingStub stub) {
        return stub.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static void withNameServer(String host, java.util.function.Consumer<NameServerGrpc.NameServerBlockingStub> use)
            throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, PORT).usePlaintext().build();
        try {
            use.accept(NameServerGrpc.newBlockingStub(channel));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
