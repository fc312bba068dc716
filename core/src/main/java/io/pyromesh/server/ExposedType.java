package io.pyromesh.server;

import io.pyromesh.internal.MemberNames;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a class exposes: its remote methods (by name, with overloads), its remote properties, and the
 * metadata proxies receive. Worked out once per class, when its first object is registered.
 */
final class ExposedType {
    private static final ClassValue<ExposedType> CACHE = new ClassValue<>() {
        @Override
        protected ExposedType computeValue(Class<?> type) {
            return new ExposedType(type);
        }
    };

    final Class<?> type;
    final Map<String, List<RemoteMethod>> methods;
    final Map<String, RemoteProperty> properties;
    final ObjectMetadata metadata;

    private ExposedType(Class<?> type) {
        this.type = type;
        Map<String, List<RemoteMethod>> methodsByName = new TreeMap<>();
        Map<String, Method> getters = new HashMap<>();
        Map<String, Method> setters = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (method.getDeclaringClass() == Object.class || method.isBridge() || method.isSynthetic()
                    || !isExposed(type, method)) {
                continue;
            }
            String name = method.getName();
            if (MemberNames.isPrivate(name)) {
                if (isAnnotated(type, method, Expose.class)) {
                    throw new IllegalArgumentException("exposing private names (starting with _) is not allowed: "
                            + type.getName() + "." + name);
                }
                continue;
            }
            String property = MemberNames.propertyName(name, method.getParameterCount(),
                    method.getReturnType() == void.class, method.getReturnType() == boolean.class);
            if (property != null) {
                (method.getParameterCount() == 0 ? getters : setters).put(property, method);
            } else {
                boolean oneway = isAnnotated(type, method, Oneway.class);
                methodsByName.computeIfAbsent(name, n -> new ArrayList<>()).add(new RemoteMethod(name, method, oneway));
            }
        }
        Map<String, RemoteProperty> props = new TreeMap<>();
        Set<String> propertyNames = new TreeSet<>(getters.keySet());
        propertyNames.addAll(setters.keySet());
        for (String name : propertyNames) {
            Method getter = getters.get(name);
            Method setter = setters.get(name);
            props.put(name, new RemoteProperty(name,
                    getter == null ? null : new RemoteMethod(name, getter, false),
                    setter == null ? null : new RemoteMethod(name, setter, false)));
        }
        methodsByName.replaceAll((name, overloads) -> List.copyOf(overloads));
        this.methods = Collections.unmodifiableMap(methodsByName);
        this.properties = Collections.unmodifiableMap(props);
        this.metadata = describe(methods, properties);
    }

    /** The exposure of {@code type}; IllegalArgumentException if it tries to expose private names. */
    static ExposedType of(Class<?> type) {
        return CACHE.get(type);
    }

    boolean exposesNothing() {
        return methods.isEmpty() && properties.isEmpty();
    }

    private static ObjectMetadata describe(Map<String, List<RemoteMethod>> methods, Map<String, RemoteProperty> properties) {
        ObjectMetadata.Builder metadata = ObjectMetadata.newBuilder().addAllMethods(methods.keySet()).addAllAttrs(properties.keySet());
        methods.forEach((name, overloads) -> {
            if (overloads.stream().anyMatch(m -> m.oneway)) {
                metadata.addOneway(name);
            }
            if (overloads.stream().anyMatch(m -> m.streaming)) {
                metadata.addStreaming(name);
            }
        });
        return metadata.build();
    }

    /**
     * A public method is exposed when it, or a method it overrides or implements, carries
     * {@link Expose}, or is declared in a type that carries it. So an exposed interface exposes its
     * implementation's methods.
     */
    private static boolean isExposed(Class<?> type, Method method) {
        for (Method declaration : declarations(type, method)) {
            if (declaration.isAnnotationPresent(Expose.class) || declaration.getDeclaringClass().isAnnotationPresent(Expose.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAnnotated(Class<?> type, Method method, Class<? extends java.lang.annotation.Annotation> annotation) {
        return declarations(type, method).stream().anyMatch(declaration -> declaration.isAnnotationPresent(annotation));
    }

    /** Every declaration of {@code method}'s signature in {@code type} and its supertypes. */
    private static List<Method> declarations(Class<?> type, Method method) {
        List<Method> found = new ArrayList<>();
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> current = pending.pop();
            if (current == Object.class || !seen.add(current)) {
                continue;
            }
            try {
                found.add(current.getDeclaredMethod(method.getName(), method.getParameterTypes()));
            } catch (NoSuchMethodException notDeclaredHere) {
                // declared further up, or not at all in this branch of the hierarchy
            }
            if (current.getSuperclass() != null) {
                pending.add(current.getSuperclass());
            }
            pending.addAll(Arrays.asList(current.getInterfaces()));
        }
        return found;
    }
}
