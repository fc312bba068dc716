package io.pyromesh.mesh.routing;

import io.grpc.Channel;
import io.grpc.Status;
import io.pyromesh.mesh.Target;
import java.util.ArrayList;
import java.util.List;

/** A router's choice for one attempt of a call: counts the call in flight there, and fails over to the other candidates. */
final class RoutedTarget implements Target {
    private final Router router;
    private final List<Candidate> candidates;
    private final List<Endpoint> options;
    private final Endpoint endpoint;
    private final String name;
    private final List<Endpoint> tried;
    private final Channel channel;

    RoutedTarget(Router router, List<Candidate> candidates, List<Endpoint> options, Endpoint endpoint, List<Endpoint> triedBefore) {
        this.router = router;
        this.candidates = candidates;
        this.options = options;
        this.endpoint = endpoint;
        this.name = candidates.get(options.indexOf(endpoint)).name();
        List<Endpoint> tried = new ArrayList<>(triedBefore);
        tried.add(endpoint);
        this.tried = List.copyOf(tried);
        this.channel = router.channels().channel(endpoint.uri.grpcTarget());
        endpoint.inFlight.incrementAndGet();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String objectId() {
        return endpoint.uri.object();
    }

    @Override
    public String describe() {
        return endpoint.uri + (name == null ? "" : " (" + name + ")");
    }

    @Override
    public void finished(Status status, boolean delivered) {
        endpoint.inFlight.decrementAndGet();
        if (status.isOk()) {
            endpoint.reinstated();
        } else if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.NOT_FOUND) {
            endpoint.failed(status);
            if (router.metrics() != null) {
                router.metrics().ejected();
            }
        }
    }

    @Override
    public Target failover() {
        Endpoint next = router.choose(options, tried);
        return next == null ? null : new RoutedTarget(router, candidates, options, next, tried);
    }

    @Override
    public String toString() {
        return describe();
    }
}
