package io.pyromesh.mesh;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves {@code pyromesh.v1.Invoker} by forwarding every call, undecoded, to where a {@link Route}
 * sends it: what a sidecar and the gateway are made of.
 *
 * <pre>{@code
 * Forwarder forwarder = Forwarder.builder(call -> Target.of(appChannel, call.object(), "app 127.0.0.1:5000"))
 *         .hop("sidecar 10.0.0.2:9100")
 *         .build();
 * server.addService(forwarder.definition());   // or let a HopServer do it
 * }</pre>
 *
 * <p>Per call, the forwarder reads the request's {@code object} and {@code method} fields and its
 * headers (never the arguments: "hops forward, they do not decode"), asks the route for a target, and
 * relays the call there with the request's {@code object} set to the target's object id:
 * <ul>
 *   <li>the caller's deadline and cancellation carry over; every request header, response header and
 *       trailer passes unchanged (gRPC's transport headers aside: see {@code invoker.proto}), so
 *       {@code pyro-*}, {@code traceparent}/{@code tracestate} and an app's own status, message and
 *       details ({@code grpc-status-details-bin}) reach the other end as they were sent; a call without
 *       a {@code pyro-correlation-id} gets one here;</li>
 *   <li>streams are flow-controlled end to end: the next item is asked of the target only once the
 *       caller's side can take it, so a slow consumer holds the producer back instead of filling this
 *       hop's memory;</li>
 *   <li>an error this hop raises itself (the route refused, the target could not be reached, a response
 *       over {@code MAX_MESSAGE_SIZE}) carries an {@code ErrorDetail} whose {@code hop} names this hop;
 *       errors from the target never do;</li>
 *   <li>an attempt whose request was never sent (connection refused) goes to {@link Target#failover()};
 *       a request that was sent is never sent again.</li>
 * </ul>
 * The message size bound is the server's and the channels' (both {@code MAX_MESSAGE_SIZE}; see
 * {@link HopServer} and {@link io.pyromesh.mesh.routing.ChannelPool}).
 */
public final class Forwarder {
    private final ServerServiceDefinition definition;

    private Forwarder(Builder builder) {
        Relay.Settings settings = new Relay.Settings(builder.route, builder.hop, builder.config.compression(),
                builder.metrics, new CallLog(builder.hop));
        ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(InvokerGrpc.SERVICE_NAME)
                .setSchemaDescriptor(InvokerGrpc.getServiceDescriptor().getSchemaDescriptor());
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(InvokerGrpc.SERVICE_NAME);
        add(service, definition, InvokerGrpc.getInvokeMethod(), ForwardedCall.Kind.INVOKE, settings);
        add(service, definition, InvokerGrpc.getInvokeStreamMethod(), ForwardedCall.Kind.INVOKE_STREAM, settings);
        add(service, definition, InvokerGrpc.getInvokeBatchMethod(), ForwardedCall.Kind.INVOKE_BATCH, settings);
        add(service, definition, InvokerGrpc.getGetMetadataMethod(), ForwardedCall.Kind.GET_METADATA, settings);
        this.definition = definition.build();
    }

    private static void add(ServiceDescriptor.Builder service, ServerServiceDefinition.Builder definition,
            MethodDescriptor<?, ?> method, ForwardedCall.Kind kind, Relay.Settings settings) {
        // the generated descriptor, with bytes for messages: reflection still describes the real types
        MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
        ServerCallHandler<byte[], byte[]> handler = (call, headers) -> Relay.start(settings, kind, raw, call, headers);
        definition.addMethod(raw, handler);
        service.addMethod(raw);
    }

    public static Builder builder(Route route) {
        return new Builder(route);
    }

    /** The Invoker service, to add to a gRPC server. */
    public ServerServiceDefinition definition() {
        return definition;
    }

    /** Options of a forwarder. */
    public static final class Builder {
        private final Route route;
        private Supplier<String> hop = () -> "mesh hop";
        private PyroConfig config = PyroConfig.current();
        private MeshMetrics metrics;

        private Builder(Route route) {
            this.route = Objects.requireNonNull(route, "route");
        }

        /** How errors raised here name this hop, e.g. {@code "sidecar 10.0.0.2:9100"}. */
        public Builder hop(String hop) {
            Objects.requireNonNull(hop, "hop");
            this.hop = () -> hop;
            return this;
        }

        /** As {@link #hop(String)}, for a name known only once the server listens (a port picked at start). */
        public Builder hop(Supplier<String> hop) {
            this.hop = Objects.requireNonNull(hop, "hop");
            return this;
        }

        /** The configuration ({@code COMPRESSION}); default {@link PyroConfig#current()}. */
        public Builder config(PyroConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where calls are counted; default nowhere. */
        public Builder metrics(MeshMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Forwarder build() {
            return new Forwarder(this);
        }
    }
}
