package io.pyromesh.values;

import io.pyromesh.proto.v1.ProxyRef;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.Map;

/** Remote references as a daemon would give them: for the objects it was told are registered. */
final class FakeReferences implements RemoteReferences {
    /** What {@link #fromRef} gives for {@code Object.class}. */
    record Stub(String uri) {}

    private final Map<Object, String> registered = new IdentityHashMap<>();

    FakeReferences register(Object o, String uri) {
        registered.put(o, uri);
        return this;
    }

    @Override
    public ProxyRef toRef(Object o) {
        String uri = registered.get(o);
        return uri == null ? null : ProxyRef.newBuilder().setUri(uri).build();
    }

    /** A {@link Stub} for {@code Object}, else a proxy of the interface whose toString is its URI. */
    @Override
    public Object fromRef(ProxyRef ref, Class<?> type) {
        if (type == Object.class) {
            return new Stub(ref.getUri());
        }
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return ref.getUri();
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
