package io.pyromesh.sidecar;

import io.grpc.Status;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.proto.v1.AttachRequest;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.Endpoint;
import io.pyromesh.uri.PyroURI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a well-formed attach or update is (the rules at the top of sidecar.proto), checked before
 * anything of it is attached or probed. Names and tags follow naming.proto's documented limits, so that
 * a name the name server would refuse is refused at once, even while the name server is unreachable.
 */
final class AttachRules {
    static final int MAX_OBJECTS_PER_APP = 10_000;
    static final int MAX_ID_LENGTH = 1024;
    static final int MAX_APP_LABEL_LENGTH = 256;
    /** A unix socket path is at most 107 bytes on Linux (sun_path is 108, with its terminating NUL). */
    static final int MAX_SOCKET_BYTES = 107;
    private static final int MAX_NAME_LENGTH = 1024;
    private static final int MAX_TAG_LENGTH = 512;
    private static final int MAX_TAGS = 64;

    private AttachRules() {}

    /** Checks everything of an AttachRequest that needs no other party; returns its endpoint. */
    static Endpoint check(AttachRequest request) {
        if (request.getApp().length() > MAX_APP_LABEL_LENGTH) {
            throw malformed("the app label is longer than " + MAX_APP_LABEL_LENGTH + " characters");
        }
        Endpoint endpoint = checkEndpoint(request);
        if (request.getObjectsCount() == 0) {
            throw malformed("an attach must announce at least one object");
        }
        checkObjects(request.getObjectsList(), 0);
        return endpoint;
    }

    private static Endpoint checkEndpoint(AttachRequest request) {
        if (!request.hasEndpoint()) {
            throw malformed("an attach must give the endpoint where the app serves Invoker");
        }
        Endpoint endpoint = request.getEndpoint();
        switch (endpoint.getAddressCase()) {
            case LOOPBACK_PORT -> {
                if (endpoint.getLoopbackPort() < 1 || endpoint.getLoopbackPort() > 65535) {
                    throw malformed("the endpoint's loopback port " + endpoint.getLoopbackPort() + " is not in 1..65535");
                }
            }
            case UNIX_SOCKET -> {
                String socket = endpoint.getUnixSocket();
                int bytes = socket.getBytes(StandardCharsets.UTF_8).length;
                if (socket.isEmpty() || socket.equals("\0") || bytes > MAX_SOCKET_BYTES) {
                    throw malformed("the endpoint's unix socket must be 1 to " + MAX_SOCKET_BYTES + " bytes long, not " + bytes);
                }
                if (socket.indexOf('\n') >= 0 || socket.indexOf('\0', 1) >= 0) {
                    throw malformed("the endpoint's unix socket has a newline or a NUL in it");
                }
            }
            default -> throw malformed("the endpoint has neither a loopback port nor a unix socket");
        }
        return endpoint;
    }

    /**
     * Checks the objects of an attach or an update, given how many the app has already, for the bound
     * (the objects an update replaces are counted twice, which only makes the bound a little stricter).
     */
    static void checkObjects(List<AttachedObject> objects, int alreadyAttached) {
        if (alreadyAttached + objects.size() > MAX_OBJECTS_PER_APP) {
            throw new Refusal(Status.Code.RESOURCE_EXHAUSTED,
                    new DaemonError("an app may attach at most " + MAX_OBJECTS_PER_APP + " objects"));
        }
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (AttachedObject object : objects) {
            checkId(object.getId());
            if (!ids.add(object.getId())) {
                throw malformed("the object id '" + object.getId() + "' is announced twice");
            }
            if (!object.getName().isEmpty()) {
                checkName(object);
                if (!names.add(object.getName())) {
                    throw naming("the name '" + object.getName() + "' is announced twice");
                }
            } else if (object.getMetadataCount() > 0) {
                throw naming("object '" + object.getId() + "' has metadata tags but no name to register them with");
            }
        }
    }

    static void checkId(String id) {
        if (id.isEmpty()) {
            throw malformed("an object id must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw malformed("object id too long: " + id.length() + " characters, at most " + MAX_ID_LENGTH);
        }
        try {
            PyroURI.direct(id, "localhost", 1);
        } catch (IllegalArgumentException unusable) {
            throw malformed("invalid object id '" + abbreviated(id) + "': it must be without whitespace or '@'");
        }
    }

    private static void checkName(AttachedObject object) {
        if (object.getName().length() > MAX_NAME_LENGTH) {
            throw naming("name too long: " + object.getName().length() + " characters, at most " + MAX_NAME_LENGTH);
        }
        if (object.getMetadataCount() > MAX_TAGS) {
            throw naming("too many metadata tags: " + object.getMetadataCount() + ", at most " + MAX_TAGS);
        }
        for (String tag : object.getMetadataList()) {
            if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
                throw naming("a metadata tag must be 1 to " + MAX_TAG_LENGTH + " characters long: '" + abbreviated(tag) + "'");
            }
        }
    }

    static Refusal malformed(String message) {
        return new Refusal(Status.Code.INVALID_ARGUMENT, new DaemonError(message));
    }

    private static Refusal naming(String message) {
        return new Refusal(Status.Code.INVALID_ARGUMENT, new NamingError(message));
    }

    static String abbreviated(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
