package io.pyromesh.sidecar;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.errors.NamingError;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc.NameServerBlockingStub;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RemoveRequest;
import io.pyromesh.proto.v1.RenewLeaseRequest;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The attached apps' names in the name server, held under the sidecar's own lease: each is registered
 * with {@code lease_seconds} and renewed every third of that, so that when the sidecar dies its names
 * expire by themselves. The name server is checked every second; when it answers again after it did
 * not, or answers a renewal with NOT_FOUND (it restarted and forgot), the names are registered again.
 *
 * <p>A name is registered {@code safe}: one the name server has under a URI of another sidecar or
 * daemon is not taken over (the attach asking for it is refused, or, found later, it is logged and
 * tried again), while one under this sidecar's address (left by its previous run, or moving between
 * two of its apps) is. Every write of a name happens under one lock and rechecks what the sidecar holds,
 * so that a removal and a new registration of the same name never overtake each other.
 */
final class NameRegistrar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NameRegistrar.class.getName());
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    /** One name as the sidecar registers it. */
    record Name(String name, String uri, List<String> tags) {}

    private final NameServerFinder finder;
    private final String ourLocation;
    private final Duration lease;
    private final Map<String, Name> held = new ConcurrentHashMap<>();
    /** Names held here that the name server has under someone else's URI. */
    private final Set<String> contested = ConcurrentHashMap.newKeySet();
    private final ReentrantLock writes = new ReentrantLock();
    private final ScheduledExecutorService keeper;
    private final ExecutorService remover;
    private volatile boolean reachable;
    private long lastRenewal;

    /**
     * @param ourLocation the {@code host:port} of this sidecar in the URIs it registers
     * @param lease how long a registration lives unless renewed
     */
    NameRegistrar(NameServerFinder finder, String ourLocation, Duration lease) {
        this.finder = finder;
        this.ourLocation = ourLocation;
        this.lease = lease;
        this.keeper = Executors.newSingleThreadScheduledExecutor(named("pyromesh-sidecar-names"));
        this.remover = Executors.newSingleThreadExecutor(named("pyromesh-sidecar-removals"));
    }

    /**
     * Looks for the name server (blocking, as {@code locateNS()} does) and from then on keeps the names:
     * checking the name server every second, renewing, registering again.
     */
    void start() {
        keep();
        keeper.scheduleWithFixedDelay(this::keep, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the name server answered the last check. */
    boolean nameServerReachable() {
        return reachable;
    }

    /** The URI this sidecar registers for an object id. */
    String uriFor(String objectId) {
        return "PYRO:" + objectId + "@" + ourLocation;
    }

    /**
     * Registers names now, if the name server answers (else they are registered when it does). A name it
     * has under someone else's URI is refused, and then none of {@code names} stays held.
     */
    void register(List<Name> names) {
        for (Name name : names) {
            held.put(name.name(), name);
            NameServerBlockingStub ns = reachable ? finder.known() : null;
            if (ns == null) {
                continue;   // registered when the name server answers
            }
            try {
                locked(() -> registerOne(ns, name));
            } catch (Refusal refused) {
                unregister(names);
                throw refused;
            } catch (StatusRuntimeException unreachable) {
                lostNameServer(unreachable);
            }
        }
    }

    /** Stops holding names: each is removed from the name server at once, if it still has it as registered here. */
    void unregister(Collection<Name> names) {
        List<Name> gone = new ArrayList<>();
        for (Name name : names) {
            if (held.remove(name.name(), name)) {
                contested.remove(name.name());
                gone.add(name);
            }
        }
        if (!gone.isEmpty()) {
            remover.execute(() -> gone.forEach(this::removeIfStillOurs));
        }
    }

    /** The held name, for {@link #unregister}. */
    Name held(String name) {
        return held.get(name);
    }

    /** Removes every held name from the name server, waiting up to {@code timeout}: a shutting-down sidecar's first step. */
    void unregisterAll(Duration timeout) {
        unregister(List.copyOf(held.values()));
        try {
            // the removals run in order: once this one has run, so have they
            remover.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException slow) {
            LOG.warning(() -> "removing the names from the name server took longer than " + timeout.toSeconds() + " s");
        }
    }

    int heldCount() {
        return held.size();
    }

    /** One round of the keeper: is the name server there, and do the names need registering or renewing. */
    private void keep() {
        try {
            NameServerBlockingStub ns = finder.find();
            if (ns == null) {
                noNameServer("no name server answers");
                return;
            }
            deadlined(ns).ping(PingRequest.getDefaultInstance());
            if (!reachable) {
                reachable = true;
                LOG.info(() -> "the name server at " + finder.location() + " answers: registering " + held.size() + " names");
                held.values().forEach(name -> writeHeld(ns, name, () -> registerOne(ns, name)));
                lastRenewal = System.nanoTime();
                return;
            }
            if (System.nanoTime() - lastRenewal >= lease.toNanos() / 3) {
                lastRenewal = System.nanoTime();
                held.values().forEach(name -> writeHeld(ns, name,
                        () -> { if (contested.contains(name.name())) registerOne(ns, name); else renewOne(ns, name); }));
            }
        } catch (StatusRuntimeException unreachable) {
            lostNameServer(unreachable);
        } catch (RuntimeException unexpected) {
            LOG.log(Level.WARNING, "keeping the names in the name server failed", unexpected);
        }
    }

    /** Writes a held name, unless it stopped being held meanwhile; a refusal is logged, not thrown. */
    private void writeHeld(NameServerBlockingStub ns, Name name, Runnable write) {
        if (!reachable) {
            return;
        }
        locked(() -> {
            if (held.get(name.name()) == name) {
                try {
                    write.run();
                } catch (Refusal contestedName) {
                    if (contested.add(name.name())) {
                        LOG.warning(contestedName.getMessage() + "; trying again every " + lease.toSeconds() / 3 + " s");
                    }
                }
            }
        });
    }

    private void renewOne(NameServerBlockingStub ns, Name name) {
        try {
            deadlined(ns).renewLease(RenewLeaseRequest.newBuilder().setName(name.name()).setLeaseSeconds(seconds()).build());
        } catch (StatusRuntimeException failed) {
            if (failed.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw failed;
            }
            LOG.info(() -> "the name server forgot '" + name.name() + "': registering it again");
            registerOne(ns, name);
        }
    }

    /** Registers a name safely, taking over a registration under this sidecar's address (see the class comment). */
    private void registerOne(NameServerBlockingStub ns, Name name) {
        RegisterRequest.Builder request = RegisterRequest.newBuilder().setName(name.name()).setUri(name.uri())
                .addAllMetadata(name.tags()).setLeaseSeconds(seconds()).setSafe(true);
        try {
            deadlined(ns).register(request.build());
        } catch (StatusRuntimeException failed) {
            if (failed.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw refusalOrUnreachable(failed, name);
            }
            String registered = deadlined(ns).lookup(LookupRequest.newBuilder().setName(name.name()).build()).getUri();
            if (!isOurs(registered)) {
                throw new Refusal(Status.Code.ALREADY_EXISTS, new NamingError("the name '" + AttachRules.abbreviated(name.name())
                        + "' is registered in the name server to " + registered + ", not to this sidecar"));
            }
            deadlined(ns).register(request.setSafe(false).build());
        }
        contested.remove(name.name());
    }

    private void removeIfStillOurs(Name name) {
        NameServerBlockingStub ns = reachable ? finder.known() : null;
        if (ns == null) {
            return;   // not renewed any more, so its lease ends it
        }
        try {
            locked(() -> {
                if (held.containsKey(name.name())) {
                    return;   // held again meanwhile, by another of our apps
                }
                String registered;
                try {
                    registered = deadlined(ns).lookup(LookupRequest.newBuilder().setName(name.name()).build()).getUri();
                } catch (StatusRuntimeException failed) {
                    if (failed.getStatus().getCode() == Status.Code.NOT_FOUND) {
                        return;
                    }
                    throw failed;
                }
                if (registered.equals(name.uri())) {
                    deadlined(ns).remove(RemoveRequest.newBuilder().setName(name.name()).build());
                }
            });
        } catch (StatusRuntimeException unreachable) {
            lostNameServer(unreachable);
        }
    }

    /** A name server's answer other than "unreachable" refuses the name (INVALID_ARGUMENT for a bad name, say). */
    private static RuntimeException refusalOrUnreachable(StatusRuntimeException failed, Name name) {
        Status.Code code = failed.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED) {
            return failed;
        }
        return new Refusal(code, new NamingError("the name server refused the name '" + AttachRules.abbreviated(name.name())
                + "': " + failed.getStatus().getDescription()));
    }

    private boolean isOurs(String uri) {
        try {
            PyroURI parsed = PyroURI.parse(uri);
            return parsed.protocol() == PyroURI.Protocol.PYRO && ourLocation.equals(parsed.location());
        } catch (RuntimeException unparsable) {
            return false;
        }
    }

    private void lostNameServer(StatusRuntimeException why) {
        finder.lost();
        noNameServer(why.getStatus().getCode() + ": " + why.getStatus().getDescription());
    }

    private void noNameServer(String why) {
        if (reachable) {
            reachable = false;
            LOG.warning(() -> "lost the name server (" + why + "); the " + held.size()
                    + " names will be registered again when it answers");
        }
    }

    private double seconds() {
        return lease.toMillis() / 1000.0;
    }

    private static NameServerBlockingStub deadlined(NameServerBlockingStub ns) {
        return ns.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void locked(Runnable write) {
        writes.lock();
        try {
            write.run();
        } finally {
            writes.unlock();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        keeper.shutdownNow();
        remover.shutdownNow();
    }
}
