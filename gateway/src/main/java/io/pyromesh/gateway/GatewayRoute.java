package io.pyromesh.gateway;

import io.grpc.Status;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.mesh.ForwardedCall;
import io.pyromesh.mesh.HopException;
import io.pyromesh.mesh.Route;
import io.pyromesh.mesh.Target;
import io.pyromesh.mesh.routing.Candidate;
import io.pyromesh.mesh.routing.RoutedUri;
import io.pyromesh.mesh.routing.Router;
import io.pyromesh.uri.PyroURI;
import java.util.List;
import java.util.Set;

/**
 * The gateway's route: the request's {@code object} is a full URI, resolved by the {@link Router}, and
 * only names the {@link AllowList} matches are reachable: a PYRONAME's name, the registrations a
 * PYROMETA query finds (the others are left out), and a PYRO URI only when it is registered under a
 * matching name (so the gateway is no open relay to any address). Whatever matches, the name server's
 * write methods are never reachable: calls of anything but its read methods are refused, in batches too.
 * The one object addressed by id rather than URI is {@code Pyro.Daemon}, the gateway's own
 * ({@link OwnDaemonObject}).
 */
final class GatewayRoute implements Route {
    /** The name server's methods that change nothing. */
    static final Set<String> NAME_SERVER_READS = Set.of("lookup", "list", "yplookup", "count", "ping");
    static final String DENIED = "access to the requested object has been denied";

    private final Router router;
    private final AllowList allowed;
    private final Target own;

    /** {@code own} answers calls of the object {@code Pyro.Daemon}: the gateway's own. */
    GatewayRoute(Router router, AllowList allowed, Target own) {
        this.router = router;
        this.allowed = allowed;
        this.own = own;
    }

    @Override
    public Target route(ForwardedCall call) {
        if (call.object().equals(PyroURI.DAEMON_NAME)) {
            return own;
        }
        PyroURI uri = parse(call.object());
        List<Candidate> candidates = reachable(uri);
        for (Candidate candidate : candidates) {
            if (candidate.uri().object().equals(PyroURI.NAMESERVER_NAME) && writes(call)) {
                throw new HopException(Status.Code.PERMISSION_DENIED,
                        new SecurityError("the name server's write methods are not reachable through the gateway"));
            }
        }
        return router.pick(candidates);
    }

    /** The candidates a caller may reach through this gateway. */
    List<Candidate> reachable(PyroURI uri) {
        return switch (uri.protocol()) {
            case PYRONAME -> {
                if (!allowed.allows(uri.object())) {
                    throw denied();
                }
                yield router.candidates(uri);
            }
            case PYROMETA -> {
                List<Candidate> exposed = router.candidates(uri).stream().filter(candidate -> allowed.allows(candidate.name())).toList();
                if (exposed.isEmpty()) {
                    throw new NamingError("no registrations available with desired metadata properties "
                            + io.pyromesh.internal.PythonRepr.of(uri.metaTags()));
                }
                yield exposed;
            }
            case PYRO -> {
                if (router.namesOf(uri).stream().noneMatch(allowed::allows)) {
                    throw denied();
                }
                yield router.candidates(uri);
            }
        };
    }

    private static HopException denied() {
        return new HopException(Status.Code.PERMISSION_DENIED, new SecurityError(DENIED));
    }

    private static boolean writes(ForwardedCall call) {
        return switch (call.kind()) {
            case INVOKE, INVOKE_STREAM -> !NAME_SERVER_READS.contains(call.method());
            case INVOKE_BATCH -> !NAME_SERVER_READS.containsAll(call.batchMethods());
            case GET_METADATA -> false;
        };
    }

    /** The URI a caller gave, or INVALID_ARGUMENT saying what is wrong with it. */
    static PyroURI parse(String object) {
        return RoutedUri.parse(object, "the gateway");
    }
}
