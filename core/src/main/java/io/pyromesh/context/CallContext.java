package io.pyromesh.context;

import io.pyromesh.internal.CallState;
import java.net.SocketAddress;
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
    private final CallState state;

    private CallContext(CallState state) {
        this.state = state;
    }

    /** This thread's context. */
    public static CallContext current() {
        return new CallContext(CallState.current());
    }

    /** The correlation id calls from this thread carry, or null to let each call's daemon make one. */
    public UUID correlationId() {
        return state.correlationId();
    }

    public void setCorrelationId(UUID correlationId) {
        state.setCorrelationId(correlationId);
    }

    /** The annotations of the call being served, or those this client thread sends. Never null. */
    public Map<String, byte[]> annotations() {
        return state.annotations();
    }

    /** Annotations every call from this thread sends; keys must be non-empty. */
    public void setAnnotations(Map<String, byte[]> annotations) {
        for (String key : annotations.keySet()) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("annotation keys must be non-empty");
            }
        }
        state.setAnnotations(annotations);
    }

    /**
     * Annotations the remote object sent back with the last blocking call this thread made (an
     * asynchronous call completes on another thread, and records none). Never null.
     */
    public Map<String, byte[]> receivedAnnotations() {
        return state.receivedAnnotations();
    }

    /** In a remote method: annotations to send back to the caller (mutable). */
    public Map<String, byte[]> responseAnnotations() {
        return state.responseAnnotations();
    }

    /** In a remote method: the caller's network address; null in a client thread. */
    public SocketAddress clientAddress() {
        return state.clientAddress();
    }

    /** In a remote method: the caller's session id (its proxy), or null if it sent none. */
    public String sessionId() {
        return state.sessionId();
    }

    /** In a remote method: the id of the object being called. */
    public String objectId() {
        return state.objectId();
    }

    /** In a remote method: the name of the method (or property) being called. */
    public String method() {
        return state.method();
    }
}
