package io.pyromesh.internal;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The per-thread state behind {@link io.pyromesh.context.CallContext}: what a client thread sends with
 * its calls and received from the last one, and, in a daemon's worker, the call being served. The
 * public context reads and sets the user's part; the daemon and proxies use the hooks here.
 */
public final class CallState {
    private static final ThreadLocal<CallState> CURRENT = ThreadLocal.withInitial(CallState::new);

    private UUID correlationId;
    private Map<String, byte[]> annotations = Map.of();
    private Map<String, byte[]> receivedAnnotations = Map.of();
    private final Map<String, byte[]> responseAnnotations = new LinkedHashMap<>();
    private SocketAddress clientAddress;
    private String sessionId;
    private String objectId;
    private String method;

    private CallState() {}

    /** This thread's state. */
    public static CallState current() {
        return CURRENT.get();
    }

    /**
     * Installs the state of an inbound call on this thread and returns the state it replaces; the daemon
     * calls this around every remote method and {@link #restore}s the previous state after it.
     */
    public static CallState enterServerCall(UUID correlationId, Map<String, byte[]> annotations,
            SocketAddress clientAddress, String sessionId, String objectId, String method) {
        CallState previous = CURRENT.get();
        CallState state = new CallState();
        state.correlationId = correlationId;
        state.annotations = Collections.unmodifiableMap(annotations);
        state.clientAddress = clientAddress;
        state.sessionId = sessionId;
        state.objectId = objectId;
        state.method = method;
        CURRENT.set(state);
        return previous;
    }

    /** Puts back the state {@link #enterServerCall} replaced. */
    public static void restore(CallState previous) {
        CURRENT.set(previous);
    }

    public UUID correlationId() {
        return correlationId;
    }

    public void setCorrelationId(UUID correlationId) {
        this.correlationId = correlationId;
    }

    public Map<String, byte[]> annotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, byte[]> annotations) {
        this.annotations = Map.copyOf(annotations);
    }

    public Map<String, byte[]> receivedAnnotations() {
        return receivedAnnotations;
    }

    /** Records what the last call from this thread returned; proxies call this. */
    public void setReceivedAnnotations(Map<String, byte[]> received) {
        this.receivedAnnotations = Collections.unmodifiableMap(received);
    }

    public Map<String, byte[]> responseAnnotations() {
        return responseAnnotations;
    }

    public SocketAddress clientAddress() {
        return clientAddress;
    }

    public String sessionId() {
        return sessionId;
    }

    public String objectId() {
        return objectId;
    }

    public String method() {
        return method;
    }
}
