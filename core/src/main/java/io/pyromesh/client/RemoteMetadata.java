package io.pyromesh.client;

import io.pyromesh.proto.v1.ObjectMetadata;
import java.util.Set;

/**
 * What a remote object exposes, as its daemon described it (Pyro's {@code get_metadata}).
 *
 * @param methods the callable methods
 * @param oneway the methods that run in the background and return nothing
 * @param attrs the properties ({@link Proxy#get}, {@link Proxy#set})
 * @param streaming the methods whose result is a stream of items
 */
public record RemoteMetadata(Set<String> methods, Set<String> oneway, Set<String> attrs, Set<String> streaming) {
    public RemoteMetadata {
        methods = Set.copyOf(methods);
        oneway = Set.copyOf(oneway);
        attrs = Set.copyOf(attrs);
        streaming = Set.copyOf(streaming);
    }

    static RemoteMetadata of(ObjectMetadata wire) {
        return new RemoteMetadata(Set.copyOf(wire.getMethodsList()), Set.copyOf(wire.getOnewayList()),
                Set.copyOf(wire.getAttrsList()), Set.copyOf(wire.getStreamingList()));
    }
}
