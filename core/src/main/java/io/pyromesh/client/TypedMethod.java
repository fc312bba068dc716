package io.pyromesh.client;

import io.pyromesh.errors.ProtocolError;
import io.pyromesh.internal.MemberNames;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One method of a typed proxy's interface, worked out and checked when the proxy is made (as
 * Retrofit's {@code validateEagerly} does): the shape of its result, the type its result or items
 * convert to, and the property it reads or writes if the object has no method of its name. An
 * interface with a method that could never work is refused then, with an IllegalArgumentException
 * naming the method, e.g. {@code Warehouse.store(String, String)}, as every error about it does.
 */
final class TypedMethod {
    /** How a method's result comes back. */
    enum Shape {
        /** A value, converted to the return type. */
        VALUE,
        /** A value, later: a {@code CompletableFuture<T>}, {@code CompletionStage<T>} or {@code Future<T>}. */
        FUTURE,
        /** Streamed items: {@code Iterator<T>} or {@code CloseableIterator<T>}. */
        ITERATOR,
        /** Streamed items: {@code Stream<T>}. */
        STREAM,
        /** Streamed items: {@code Iterable<T>} (once). */
        ITERABLE,
        /** Streamed items, consumed asynchronously: {@code Flow.Publisher<T>}. */
        PUBLISHER;

        boolean streamed() {
            return this != VALUE && this != FUTURE;
        }
    }

    /** What a method stands for on the bound object. */
    enum Route { METHOD, GET, SET }

    /** Kinds that never travel as a value, with what to use instead. */
    private static final Map<Class<?>, String> NOT_VALUES = Map.of(
            Iterator.class, "a stream is a method's whole result (Iterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>)",
            BaseStream.class, "a stream is a method's whole result (Iterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>)",
            Flow.Publisher.class, "a stream is a method's whole result (Iterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>)",
            Future.class, "an asynchronous result is a method's whole result (CompletableFuture<T> or CompletionStage<T>)",
            CompletionStage.class, "an asynchronous result is a method's whole result (CompletableFuture<T> or CompletionStage<T>)",
            Optional.class, "use the value itself, null for none",
            OptionalInt.class, "use Integer, null for none",
            OptionalLong.class, "use Long, null for none",
            OptionalDouble.class, "use Double, null for none");

    final Method method;
    /** The remote method it calls. */
    final String name;
    /** The method as a Java programmer names it: {@code Warehouse.store(String, String)}. */
    final String described;
    final Shape shape;
    /** What the result converts to: the return type, a future's result type, or a stream's item type. */
    final Type resultType;
    /** The property a getter or setter reads or writes when the object has no method of its name, or null. */
    final String property;
    private final boolean setter;

    private TypedMethod(Method method) {
        this.method = method;
        this.name = method.getName();
        this.described = describe(method);
        Class<?> raw = method.getReturnType();
        Type returned = method.getGenericReturnType();
        this.shape = shapeOf(raw);
        this.resultType = shape == Shape.VALUE ? returned : typeArgument(returned);
        check();
        if (shape.streamed()) {
            this.property = null;
            this.setter = false;
        } else {
            boolean returnsVoid = resultType == void.class || resultType == Void.class;
            boolean returnsBoolean = resultType == boolean.class || (shape == Shape.FUTURE && resultType == Boolean.class);
            this.property = MemberNames.propertyName(name, method.getParameterCount(), returnsVoid, returnsBoolean);
            this.setter = property != null && method.getParameterCount() == 1;
        }
    }

    /**
     * The remote members of {@code type}: its abstract methods, but for {@code equals}, {@code hashCode}
     * and {@code toString} (which work on the URI) and the {@code close()} and {@code pyroProxy()} it
     * has from {@link AutoCloseable} and {@link RemoteObject} (handled locally).
     *
     * @throws IllegalArgumentException naming the first method that cannot work, and why
     */
    static Map<Method, TypedMethod> of(Class<?> type) {
        Map<Method, TypedMethod> methods = new HashMap<>();
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || isObjectMethod(method) || isLocal(method)) {
                continue;
            }
            methods.put(method, new TypedMethod(method));
        }
        return Map.copyOf(methods);
    }

    /**
     * A {@code close()} declared by {@link AutoCloseable} or a type extending it (as {@link RemoteObject}
     * and {@code NameServer}) releases the proxy; {@code pyroProxy()} is {@link RemoteObject}'s.
     */
    static boolean isLocal(Method method) {
        if (method.getParameterCount() != 0) {
            return false;
        }
        Class<?> declaring = method.getDeclaringClass();
        return (method.getName().equals("close") && AutoCloseable.class.isAssignableFrom(declaring))
                || (method.getName().equals("pyroProxy") && declaring == RemoteObject.class);
    }

    private static boolean isObjectMethod(Method method) {
        try {
            Object.class.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException notObjects) {
            return false;
        }
    }

    /**
     * How this method reaches the object, given what the object exposes: its remote method of the same
     * name, else the property it is an accessor of.
     *
     * @throws io.pyromesh.errors.SecurityError if the object has neither
     * @throws ProtocolError if the remote method streams its result and this method does not, or the reverse
     */
    Route route(RemoteMetadata exposed, Proxy proxy) {
        if (exposed.methods().contains(name)) {
            boolean streams = exposed.streaming().contains(name);
            if (streams && !shape.streamed()) {
                throw new ProtocolError(described + ": the remote method '" + name + "' returns a stream:"
                        + " declare Iterator<T>, Stream<T> or Iterable<T>, or Flow.Publisher<T> to consume it asynchronously");
            }
            if (!streams && shape.streamed()) {
                throw new ProtocolError(described + ": the remote method '" + name + "' returns one value, not a stream:"
                        + " declare the value's type instead of " + describe(method.getGenericReturnType()));
            }
            return Route.METHOD;
        }
        if (property != null && exposed.attrs().contains(property)) {
            return setter ? Route.SET : Route.GET;
        }
        throw Proxy.blame(described, proxy.noSuchMember(name));
    }

    private Shape shapeOf(Class<?> raw) {
        if (raw == Object.class || raw.isPrimitive()) {
            return Shape.VALUE;
        }
        if (Iterator.class.isAssignableFrom(raw) && raw.isAssignableFrom(CloseableIterator.class)) {
            return Shape.ITERATOR;
        }
        if (raw.isAssignableFrom(Stream.class) && BaseStream.class.isAssignableFrom(raw)) {
            return Shape.STREAM;
        }
        if (raw == Iterable.class) {
            return Shape.ITERABLE;
        }
        if (raw == Flow.Publisher.class) {
            return Shape.PUBLISHER;
        }
        if (raw.isAssignableFrom(CompletableFuture.class)) {
            return Shape.FUTURE;
        }
        if (Iterator.class.isAssignableFrom(raw) || BaseStream.class.isAssignableFrom(raw) || Flow.Publisher.class.isAssignableFrom(raw)) {
            throw refused("returns " + describe(method.getGenericReturnType()) + ", which a typed proxy cannot give:"
                    + " a streamed result is an Iterator<T>, CloseableIterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>");
        }
        if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)) {
            throw refused("returns " + describe(method.getGenericReturnType()) + ", which a typed proxy cannot give:"
                    + " an asynchronous result is a CompletableFuture<T> or CompletionStage<T>");
        }
        return Shape.VALUE;
    }

    private void check() {
        if (MemberNames.isPrivate(name)) {
            throw refused("names starting with _ are never reachable remotely");
        }
        if (name.equals("pyroProxy") && method.getParameterCount() == 0) {
            throw refused("pyroProxy() is RemoteObject's (it gives the proxy behind a typed proxy): rename the method");
        }
        if (name.equals("close") && method.getParameterCount() == 0 && method.getReturnType() != void.class) {
            throw refused("a typed proxy's close() is also AutoCloseable's, which returns nothing:"
                    + " declare it void to call the remote close(), or rename it");
        }
        String resultProblem = notAValue(resultType);
        if (resultProblem != null) {
            String role = shape == Shape.VALUE ? "returns " : shape == Shape.FUTURE ? "completes with " : "streams items of type ";
            throw refused(role + describe(resultType) + ", which cannot arrive as a value: " + resultProblem);
        }
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            String parameterProblem = notAValue(parameters[i]);
            if (parameterProblem != null) {
                throw refused("parameter " + (i + 1) + " is " + describe(parameters[i]) + ", which cannot be sent as a value: "
                        + parameterProblem);
            }
        }
    }

    /**
     * Why values of {@code type} never travel, or null if they may: streams, futures and optionals,
     * also inside arrays, collections and maps. (Whether a class's values can arrive also depends on
     * class-dict hooks, which may be registered at any time, so that is left to the call.)
     */
    private static String notAValue(Type type) {
        if (type instanceof WildcardType wildcard) {
            return notAValue(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> variable) {
            return notAValue(variable.getBounds()[0]);
        }
        if (type instanceof GenericArrayType array) {
            return notAValue(array.getGenericComponentType());
        }
        if (type instanceof Class<?> c && c.isArray()) {
            return notAValue(c.getComponentType());
        }
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
        for (Map.Entry<Class<?>, String> kind : NOT_VALUES.entrySet()) {
            if (kind.getKey().isAssignableFrom(raw)) {
                return kind.getValue();
            }
        }
        if (type instanceof ParameterizedType parameterized && (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw))) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                String problem = notAValue(argument);
                if (problem != null) {
                    return describe(argument) + " inside it: " + problem;
                }
            }
        }
        return null;
    }

    private static Type typeArgument(Type type) {
        return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0] : Object.class;
    }

    private IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(described + ": " + why);
    }

    /** {@code Warehouse.store(String, String)}. */
    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A type as a Java programmer writes it: {@code List<String>}, {@code CompletableFuture<Item[]>}. */
    static String describe(Type type) {
        if (type instanceof Class<?> c) {
            return c.getSimpleName();
        }
        if (type instanceof ParameterizedType parameterized) {
            List<String> arguments = Arrays.stream(parameterized.getActualTypeArguments()).map(TypedMethod::describe).toList();
            return describe(parameterized.getRawType()) + "<" + String.join(", ", arguments) + ">";
        }
        if (type instanceof GenericArrayType array) {
            return describe(array.getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType wildcard) {
            Type[] lower = wildcard.getLowerBounds();
            Type upper = wildcard.getUpperBounds()[0];
            return lower.length > 0 ? "? super " + describe(lower[0]) : upper == Object.class ? "?" : "? extends " + describe(upper);
        }
        return type.getTypeName();
    }
}
