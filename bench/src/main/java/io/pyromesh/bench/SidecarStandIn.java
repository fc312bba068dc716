package io.pyromesh.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RenewLeaseRequest;
import io.pyromesh.uri.PyroURI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a sidecar does to the name server, for {@link ConsulBench}: registers names with a lease through the
 * gRPC NameServer service, prints a line, and renews them four times per lease until it is killed.
 * Usage: NS_URI LEASE_SECONDS NAME...
 */
final class SidecarStandIn {
    private SidecarStandIn() {}

    public static void main(String[] args) throws Exception {
        PyroURI ns = PyroURI.parse(args[0]);
        double lease = Double.parseDouble(args[1]);
        List<String> names = List.of(args).subList(2, args.length);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(ns.host(), ns.port()).usePlaintext().build();
        NameServerGrpc.NameServerBlockingStub stub = NameServerGrpc.newBlockingStub(channel);
        for (String name : names) {
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).register(RegisterRequest.newBuilder().setName(name)
                    .setUri("PYRO:" + name + "@127.0.0.1:5000").setLeaseSeconds(lease).build());
        }
        System.out.println("registered");
        System.out.flush();
        while (true) {
            Thread.sleep((long) (lease * 250));
            for (String name : names) {
                stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .renewLease(RenewLeaseRequest.newBuilder().setName(name).setLeaseSeconds(lease).build());
            }
        }
    }
}
