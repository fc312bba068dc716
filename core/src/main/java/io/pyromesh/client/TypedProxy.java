package io.pyromesh.client;

import io.pyromesh.errors.RemoteException;
import io.pyromesh.internal.MemberNames;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Typed proxies in the manner of Retrofit: an interface's methods become remote calls.
 *
 * <p>A method calls the remote method of the same name, unless the object exposes no such method and
 * the Java method is a getter or setter of an exposed property, which it then reads or writes. The
 * result is converted to the declared return type; {@code Iterator<T>}, {@code Stream<T>} and
 * {@code Iterable<T>} results are streamed (close the stream or iterator to stop early). Default
 * methods run locally; {@code equals}, {@code hashCode} and {@code toString} work on the URI; every
 * typed proxy also implements {@link RemoteObject}. A remote exception whose type a method declares in
 * its {@code throws} clause is rethrown as that type, with the {@link RemoteException} as its cause.
 */
final class TypedProxy implements InvocationHandler {
    private final Proxy proxy;
    private final Class<?> type;
    private final Map<Method, Invocation> plans = new ConcurrentHashMap<>();

    private TypedProxy(Proxy proxy, Class<?> type) {
        this.proxy = proxy;
        this.type = type;
    }

    static <T> T create(Proxy proxy, Class<T> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface: typed proxies need an interface type");
        }
        Object instance = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(),
                new Class<?>[] {type, RemoteObject.class}, new TypedProxy(proxy, type));
        return type.cast(instance);
    }

    /** The proxy behind a typed proxy, or null if {@code object} is not one. */
    static Proxy unwrap(Object object) {
        if (object != null && java.lang.reflect.Proxy.isProxyClass(object.getClass())
                && java.lang.reflect.Proxy.getInvocationHandler(object) instanceof TypedProxy typed) {
            return typed.proxy;
        }
        return null;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        Object[] arguments = args == null ? new Object[0] : args;
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(self, method, arguments);
        }
        if (method.getDeclaringClass() == RemoteObject.class || isClose(method)) {
            if (method.getName().equals("pyroProxy")) {
                return proxy;
            }
            proxy.close();
            return null;
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(self, method, arguments);
        }
        try {
            return plans.computeIfAbsent(method, this::plan).run(arguments);
        } catch (RemoteException remote) {
            throw declared(method, remote);
        }
    }

    private Object objectMethod(Object self, Method method, Object[] arguments) {
        return switch (method.getName()) {
            case "equals" -> self == arguments[0] || proxy.equals(unwrap(arguments[0]));
            case "hashCode" -> proxy.hashCode();
            default -> "<" + type.getSimpleName() + " proxy for " + proxy.uri() + ">";
        };
    }

    private static boolean isClose(Method method) {
        return method.getName().equals("close") && method.getParameterCount() == 0;
    }

    /** One Java method's remote meaning, worked out on its first call (after binding). */
    private interface Invocation {
        Object run(Object[] arguments);
    }

    private Invocation plan(Method method) {
        Proxy.Connection bound = proxy.connection();
        String name = method.getName();
        Type returnType = method.getGenericReturnType();
        if (!bound.metadata().methods().contains(name)) {
            String property = propertyOf(method);
            if (property != null && bound.metadata().attrs().contains(property)) {
                return method.getParameterCount() == 0
                        ? arguments -> proxy.getProperty(property, returnType)
                        : arguments -> {
                            proxy.set(property, arguments[0]);
                            return null;
                        };
            }
            throw proxy.noSuchMember(name);
        }
        Class<?> raw = method.getReturnType();
        if (Iterator.class.isAssignableFrom(raw)) {
            return arguments -> proxy.stream(proxy.connection(), name, arguments, itemType(returnType));
        }
        if (Stream.class.isAssignableFrom(raw)) {
            return arguments -> {
                CloseableIterator<Object> items = proxy.stream(proxy.connection(), name, arguments, itemType(returnType));
                return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, 0), false).onClose(items::close);
            };
        }
        if (raw == Iterable.class) {
            return arguments -> {
                CloseableIterator<Object> items = proxy.stream(proxy.connection(), name, arguments, itemType(returnType));
                return (Iterable<Object>) () -> items;
            };
        }
        return arguments -> proxy.invoke(proxy.connection(), name, arguments, returnType);
    }

    private static Type itemType(Type streamType) {
        if (streamType instanceof ParameterizedType parameterized) {
            return parameterized.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    private static String propertyOf(Method method) {
        Class<?> result = method.getReturnType();
        return MemberNames.propertyName(method.getName(), method.getParameterCount(), result == void.class, result == boolean.class);
    }

    /** The remote exception as a type the method declares, when it declares the remote one. */
    private static Throwable declared(Method method, RemoteException remote) {
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared.getName().equals(remote.getRemoteType())) {
                Throwable recreated = instantiate(declared, remote.getMessage());
                if (recreated != null && recreated.getCause() == null) {
                    recreated.initCause(remote);
                    return recreated;
                }
            }
        }
        return remote;
    }

    private static Throwable instantiate(Class<?> type, String message) {
        try {
            Constructor<?> withMessage = type.getConstructor(String.class);
            return (Throwable) withMessage.newInstance(message);
        } catch (ReflectiveOperationException | ClassCastException | IllegalStateException noUsableConstructor) {
            return null;
        }
    }
}
