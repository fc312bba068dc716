package io.pyromesh.mesh;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.util.EnumMap;
import java.util.Map;
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
 * A request over {@code MAX_MESSAGE_SIZE} is refused here with a MessageTooLargeError naming the hop (the
 * server's transport limit is set a little above it, see {@link HopServer}); responses are bounded by the
 * channels' limit ({@link io.pyromesh.mesh.routing.ChannelPool}).
 */
public final class Forwarder {
    private final ServerServiceDefinition definition;

    private Forwarder(Builder builder) {
        Relay.Settings settings = new Relay.Settings(builder.route, builder.hop, builder.config.compression(),
                builder.config.maxMessageSize(), builder.metrics, new CallLog(builder.hop));
        Map<ForwardedCall.Kind, MethodDescriptor<byte[], byte[]>> methods = new EnumMap<>(ForwardedCall.Kind.class);
        methods.put(ForwardedCall.Kind.INVOKE, raw(InvokerGrpc.getInvokeMethod()));
        methods.put(ForwardedCall.Kind.INVOKE_STREAM, raw(InvokerGrpc.getInvokeStreamMethod()));
        methods.put(ForwardedCall.Kind.INVOKE_BATCH, raw(InvokerGrpc.getInvokeBatchMethod()));
        methods.put(ForwardedCall.Kind.GET_METADATA, raw(InvokerGrpc.getGetMetadataMethod()));
        // the generated service's schema, so that reflection (grpcurl) describes the real message types
        ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(InvokerGrpc.SERVICE_NAME)
                .setSchemaDescriptor(InvokerGrpc.getServiceDescriptor().getSchemaDescriptor());
        methods.values().forEach(service::addMethod);
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service.build());
        methods.forEach((kind, method) -> {
            ServerCallHandler<byte[], byte[]> handler = (call, headers) -> Relay.start(settings, kind, method, call, headers);
            definition.addMethod(method, handler);
        });
        this.definition = definition.build();
    }

    /** The generated method, with bytes for messages. */
    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
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

        /** The configuration ({@code COMPRESSION}, {@code MAX_MESSAGE_SIZE}); default {@link PyroConfig#current()}. */
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
