package io.pyromesh.nameserver;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.StoreUnavailableError;
import io.pyromesh.proto.v1.CountRequest;
import io.pyromesh.proto.v1.CountResponse;
import io.pyromesh.proto.v1.ListRequest;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.proto.v1.PingResponse;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RegisterResponse;
import io.pyromesh.proto.v1.Registrations;
import io.pyromesh.proto.v1.RemoveRequest;
import io.pyromesh.proto.v1.RemoveResponse;
import io.pyromesh.proto.v1.RenewLeaseRequest;
import io.pyromesh.proto.v1.RenewLeaseResponse;
import io.pyromesh.proto.v1.SetMetadataRequest;
import io.pyromesh.proto.v1.SetMetadataResponse;
import io.pyromesh.proto.v1.WatchRequest;
import io.pyromesh.proto.v1.WatchResponse;
import io.pyromesh.proto.v1.YpLookupRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The name server's typed gRPC face ({@code pyromesh.v1.NameServer}), over the same {@link NameRegistry}. */
final class NameServerService extends NameServerGrpc.NameServerImplBase {
    private final NameRegistry registry;
    private final Watches watches;
    private final Executor workers;

    /** {@code workers}: where its unary operations run (their calls are read on the transport's thread). */
    NameServerService(NameRegistry registry, Watches watches, Executor workers) {
        this.registry = registry;
        this.watches = watches;
        this.workers = workers;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
        answer(out, () -> {
            Duration lease = request.getLeaseSeconds() == 0 ? null : seconds(request.getLeaseSeconds());
            registry.register(request.getName(), request.getUri(), request.getSafe(), request.getMetadataList(), lease);
            return RegisterResponse.getDefaultInstance();
        });
    }

    @Override
    public void lookup(LookupRequest request, StreamObserver<io.pyromesh.proto.v1.Registration> out) {
        answer(out, () -> toProto(registry.lookup(request.getName()), request.getReturnMetadata()));
    }

    @Override
    public void remove(RemoveRequest request, StreamObserver<RemoveResponse> out) {
        answer(out, () -> {
            int removed = switch (request.getFilterCase()) {
                case NAME -> registry.remove(request.getName());
                case PREFIX -> registry.removePrefix(request.getPrefix());
                case REGEX -> registry.removeRegex(request.getRegex());
                case FILTER_NOT_SET -> 0;
            };
            return RemoveResponse.newBuilder().setRemoved(removed).build();
        });
    }

    @Override
    public void list(ListRequest request, StreamObserver<Registrations> out) {
        answer(out, () -> {
            String prefix = request.getFilterCase() == ListRequest.FilterCase.PREFIX ? request.getPrefix() : null;
            String regex = request.getFilterCase() == ListRequest.FilterCase.REGEX ? request.getRegex() : null;
            return toProto(registry.list(prefix, regex), request.getReturnMetadata());
        });
    }

    @Override
    public void ypLookup(YpLookupRequest request, StreamObserver<Registrations> out) {
        answer(out, () -> {
            List<Registration> found = switch (request.getFilterCase()) {
                case META_ALL -> registry.yplookup(request.getMetaAll().getTagsList(), null);
                case META_ANY -> registry.yplookup(null, request.getMetaAny().getTagsList());
                case FILTER_NOT_SET -> List.of();
            };
            return toProto(found, request.getReturnMetadata());
        });
    }

    @Override
    public void setMetadata(SetMetadataRequest request, StreamObserver<SetMetadataResponse> out) {
        answer(out, () -> {
            registry.setMetadata(request.getName(), request.getMetadataList());
            return SetMetadataResponse.getDefaultInstance();
        });
    }

    @Override
    public void renewLease(RenewLeaseRequest request, StreamObserver<RenewLeaseResponse> out) {
        answer(out, () -> {
            Duration lease = seconds(request.getLeaseSeconds());
            registry.renewLease(request.getName(), lease);
            return RenewLeaseResponse.newBuilder().setLeaseRemainingSeconds(lease.toNanos() / 1e9).build();
        });
    }

    @Override
    public void count(CountRequest request, StreamObserver<CountResponse> out) {
        answer(out, () -> CountResponse.newBuilder().setCount(registry.count()).build());
    }

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> out) {
        answer(out, PingResponse::getDefaultInstance);
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchResponse> out) {
        try {
            watches.start(request, (ServerCallStreamObserver<WatchResponse>) out);
        } catch (PyroError refused) {
            out.onError(GrpcErrors.toStatus(refused, codeFor(refused)));
        }
    }

    private Registrations toProto(List<Registration> registrations, boolean withMetadata) {
        Registrations.Builder list = Registrations.newBuilder();
        registrations.forEach(registration -> list.addRegistrations(toProto(registration, withMetadata)));
        return list.build();
    }

    private io.pyromesh.proto.v1.Registration toProto(Registration registration, boolean withMetadata) {
        return RegistrationMessages.of(registration, withMetadata, registry.leaseRemaining(registration));
    }

    private static Duration seconds(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds) || seconds > Duration.ofDays(3650).toSeconds()) {
            throw new PyroError("a lease must be more than 0 and at most 10 years, in seconds, not " + seconds);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** Runs an operation on a worker, in the call's context; its Pyro error becomes the status its kind calls for. */
    private <T> void answer(StreamObserver<T> out, Supplier<T> operation) {
        workers.execute(Context.current().wrap(() -> {
            T result;
            try {
                result = operation.get();
            } catch (PyroError refused) {
                out.onError(GrpcErrors.toStatus(refused, codeFor(refused)));
                return;
            }
            out.onNext(result);
            out.onCompleted();
        }));
    }

    /** The status a refusal of the name server travels with. */
    static Status.Code codeFor(PyroError refused) {
        if (refused instanceof StoreUnavailableError) {
            return Status.Code.UNAVAILABLE;
        }
        if (!(refused instanceof Refusal refusal)) {
            return Status.Code.INVALID_ARGUMENT;
        }
        return switch (refusal.kind()) {
            case UNKNOWN_NAME -> Status.Code.NOT_FOUND;
            case NAME_TAKEN -> Status.Code.ALREADY_EXISTS;
            case RESERVED_NAME -> Status.Code.PERMISSION_DENIED;
            case TOO_BUSY -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
        };
    }

}
