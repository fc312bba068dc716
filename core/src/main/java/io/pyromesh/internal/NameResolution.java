package io.pyromesh.internal;

import io.grpc.StatusRuntimeException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.Registration;
import io.pyromesh.proto.v1.Tags;
import io.pyromesh.proto.v1.YpLookupRequest;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns PYRONAME and PYROMETA URIs into PYRO URIs through the name server's {@code NameServer} service
 * (Pyro's {@code resolve}). Each resolution locates the name server afresh, so a moved name server is
 * found again. With {@code NS_LOOKUP_DELAY}, a name that is not (yet) registered is looked up again
 * until that much time has passed, pausing {@code max(0.2 s, delay / 5)} between tries.
 */
public final class NameResolution {
    private NameResolution() {}

    /** The PYRO URI a URI stands for: itself if it is one already. */
    public static PyroURI resolve(PyroURI uri, PyroConfig config) {
        if (uri.protocol() == PyroURI.Protocol.PYRO) {
            return uri;
        }
        PyroURI nameServer = NameServerLocator.locate(uri.host(), uri.port(), config);
        Channels.Lease lease = Channels.shared().acquire(nameServer.grpcTarget(), config);
        try {
            NameServerGrpc.NameServerBlockingStub stub = NameServerGrpc.newBlockingStub(lease.channel());
            Function<NameServerGrpc.NameServerBlockingStub, String> lookup = uri.protocol() == PyroURI.Protocol.PYRONAME
                    ? names -> names.lookup(LookupRequest.newBuilder().setName(uri.object()).build()).getUri()
                    : names -> randomMatch(names, uri);
            return PyroURI.parse(retrying(stub, lookup, nameServer, config));
        } finally {
            lease.release();
        }
    }

    private static String randomMatch(NameServerGrpc.NameServerBlockingStub names, PyroURI uri) {
        YpLookupRequest request = YpLookupRequest.newBuilder()
                .setMetaAll(Tags.newBuilder().addAllTags(uri.metaTags())).build();
        List<Registration> candidates = names.ypLookup(request).getRegistrationsList();
        if (candidates.isEmpty()) {
            throw new NamingError("no registrations available with desired metadata properties " + PythonRepr.of(uri.metaTags()));
        }
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())).getUri();
    }

    private static String retrying(NameServerGrpc.NameServerBlockingStub stub, Function<NameServerGrpc.NameServerBlockingStub, String> lookup,
            PyroURI nameServer, PyroConfig config) {
        Duration delay = config.nsLookupDelay();
        long deadline = System.nanoTime() + delay.toNanos();
        long pauseMillis = Math.max(200, delay.toMillis() / 5);
        while (true) {
            try {
                return lookupOnce(stub, lookup, nameServer, config);
            } catch (NamingError | TimeoutError notYet) {
                if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw notYet;
                }
            }
            sleep(pauseMillis);
        }
    }

    private static String lookupOnce(NameServerGrpc.NameServerBlockingStub stub, Function<NameServerGrpc.NameServerBlockingStub, String> lookup,
            PyroURI nameServer, PyroConfig config) {
        try {
            return lookup.apply(withTimeout(stub, config.commTimeout()));
        } catch (StatusRuntimeException failed) {
            throw GrpcErrors.fromStatus(failed, nameServer.location());
        }
    }

    private static NameServerGrpc.NameServerBlockingStub withTimeout(NameServerGrpc.NameServerBlockingStub stub, Duration timeout) {
        return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroError("interrupted while waiting to look a name up again");
        }
    }
}
