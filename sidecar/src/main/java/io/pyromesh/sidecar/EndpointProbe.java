package io.pyromesh.sidecar;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Before objects are attached, the sidecar asks the app's endpoint for each one's metadata
 * ({@code GetMetadata}), so that an attach naming an endpoint that does not answer, or objects it does
 * not serve, is refused at once instead of leaving names in the name server that lead nowhere.
 */
final class EndpointProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int IN_FLIGHT = 64;

    private EndpointProbe() {}

    /** Refuses (FAILED_PRECONDITION) unless the app's endpoint describes every one of {@code ids} within {@link #TIMEOUT}. */
    static void check(AttachedApp app, Collection<String> ids) {
        InvokerGrpc.InvokerFutureStub invoker = InvokerGrpc.newFutureStub(app.channel)
                .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Semaphore window = new Semaphore(IN_FLIGHT);
        List<ListenableFuture<ObjectMetadata>> answers = new ArrayList<>();
        try {
            for (String id : ids) {
                window.acquire();
                ListenableFuture<ObjectMetadata> answer = invoker.getMetadata(MetadataRequest.newBuilder().setObject(id).build());
                answer.addListener(window::release, MoreExecutors.directExecutor());
                answers.add(answer);
            }
            int i = 0;
            for (String id : ids) {
                try {
                    answers.get(i++).get();
                } catch (ExecutionException failed) {
                    throw refusal(app, id, Status.fromThrowable(failed.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(Status.Code.UNAVAILABLE, new CommunicationError("the sidecar is shutting down"));
        } finally {
            answers.forEach(answer -> answer.cancel(true));
        }
    }

    private static Refusal refusal(AttachedApp app, String id, Status status) {
        String detail = status.getCause() != null && status.getCause().getMessage() != null
                ? status.getCause().getMessage() : status.getDescription();
        PyroError error = switch (status.getCode()) {
            case UNAVAILABLE -> new CommunicationError("the endpoint " + app.where() + " does not answer: " + detail);
            case DEADLINE_EXCEEDED -> new CommunicationError("the endpoint " + app.where() + " did not answer within "
                    + TIMEOUT.toSeconds() + " s");
            case UNIMPLEMENTED -> new CommunicationError("the endpoint " + app.where() + " does not serve pyromesh.v1.Invoker");
            case NOT_FOUND -> new DaemonError("the endpoint " + app.where() + " does not serve the object '"
                    + AttachRules.abbreviated(id) + "': " + detail);
            default -> new CommunicationError("the endpoint " + app.where() + " answered GetMetadata for '"
                    + AttachRules.abbreviated(id) + "' with " + status.getCode() + ": " + detail);
        };
        return new Refusal(Status.Code.FAILED_PRECONDITION, error);
    }
}
