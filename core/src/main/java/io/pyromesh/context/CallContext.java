package io.pyromesh.context;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The current thread's call context, as Pyro's {@code current_context}.
 *
 * <p>In a client thread, set a {@linkplain #setCorrelationId correlation id} and
 * {@linkplain #setAnnotations annotations} before calling through a proxy: every call this thread makes
 * sends them. After a call, {@link #receivedAnnotations()} holds what the remote object sent back.
 *
 * <p>Inside a remote method (a daemon's worker thread), the context describes the call being served:
 * its correlation id (the caller's, or a fresh one), annotations, caller address, session, object and
 * method. Fill {@link #responseAnnotations()} to send annotations back. Calls the method makes through
 * proxies forward the correlation id and annotations, so that a chain of calls can be traced.
 */
public final class CallContext {
    private static final ThreadLocal<CallContext> CURRENT = ThreadLocal.withInitial(CallContext::new);

    private UUID correlationId;
    private Map<String, byte[]> annotations = Map.of();
    private Map<String, byte[]> receivedAnnotations = Map.of();
    private final Map<String, byte[]> responseAnnotations = new LinkedHashMap<>();
    private SocketAddress clientAddress;
    private String sessionId;
    private String objectId;
    private String method;

    private CallContext() {}

    /** This thread's context. */
    public static CallContext current() {
        return CURRENT.get();
    }

    /**
     * Installs a context describing an inbound call on this thread and returns the one it replaces;
     * the daemon calls this around every remote method and restores the previous context after it.
     */
    public static CallContext enterServerCall(UUID correlationId, Map<String, byte[]> annotations,
            SocketAddress clientAddress, String sessionId, String objectId, String method) {
        CallContext previous = CURRENT.get();
        CallContext context = new CallContext();
        context.correlationId = correlationId;
        context.annotations = Collections.unmodifiableMap(annotations);
        context.clientAddress = clientAddress;
        context.sessionId = sessionId;
        context.objectId = objectId;
        context.method = method;
        CURRENT.set(context);
        return previous;
    }

    /** Puts back the context {@link #enterServerCall} replaced. */
    public static void restore(CallContext previous) {
        CURRENT.set(previous);
    }

    /** The correlation id calls from this thread carry, or null to let each call's daemon make one. */
    public UUID correlationId() {
        return correlationId;
    }

    public void setCorrelationId(UUID correlationId) {
        this.correlationId = correlationId;
    }

    /** The annotations of the call being served, or those this client thread sends. Never null. */
    public Map<String, byte[]> annotations() {
        return annotations;
    }

    /** Annotations every call from this thread sends; keys must be non-empty. */
    public void setAnnotations(Map<String, byte[]> annotations) {
        for (String key : annotations.keySet()) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("annotation keys must be non-empty");
            }
        }
        this.annotations = Map.copyOf(annotations);
    }

    /** Annotations the remote object sent back with the last call this thread made. Never null. */
    public Map<String, byte[]> receivedAnnotations() {
        return receivedAnnotations;
    }

    /** Records what the last call returned; proxies call this. */
    public void setReceivedAnnotations(Map<String, byte[]> received) {
        this.receivedAnnotations = Collections.unmodifiableMap(received);
    }

    /** In a remote method: annotations to send back to the caller (mutable). */
    public Map<String, byte[]> responseAnnotations() {
        return responseAnnotations;
    }

    /** In a remote method: the caller's network address; null in a client thread. */
    public SocketAddress clientAddress() {
        return clientAddress;
    }

    /** In a remote method: the caller's session id (its proxy), or null if it sent none. */
    public String sessionId() {
        return sessionId;
    }

    /** In a remote method: the id of the object being called. */
    public String objectId() {
        return objectId;
    }

    /** In a remote method: the name of the method (or property) being called. */
    public String method() {
        return method;
    }
}
