package io.pyromesh.client;

import io.pyromesh.errors.RemoteException;
import io.pyromesh.proto.v1.Value;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

/**
 * Typed proxies in the manner of Retrofit: an interface's methods become remote calls.
 *
 * <p>A method calls the remote method of the same name, unless the object exposes no such method and
 * the Java method is a getter or setter of an exposed property, which it then reads or writes. The
 * result is converted to the declared return type. {@code Iterator<T>}, {@code CloseableIterator<T>},
 * {@code Stream<T>} and {@code Iterable<T>} results are streamed (close the stream or iterator to stop
 * early). {@code CompletableFuture<T>} and {@code CompletionStage<T>} results are asynchronous, and
 * {@code Flow.Publisher<T>} results are streams consumed asynchronously, as {@link Proxy#callAsync}
 * and {@link Proxy#streamAsync} describe; an asynchronous getter or setter ({@code
 * CompletableFuture<String> getLabel()}, {@code CompletableFuture<Void> setLabel(String)}) reads or
 * writes its property so.
 *
 * <p>The interface is checked when the proxy is made: a method that could never work (a return type
 * no result can arrive as, such as {@code Optional<T>} or {@code List<Iterator<T>>}, an unsupported
 * stream or future type, a parameter no value can be sent as, a private name) is an
 * IllegalArgumentException then, naming the method, as {@code Warehouse.store(String, String)}. Every
 * other error the proxy raises about a method names it too: an object without such a member, a stream
 * declared for a method that returns one value or the reverse, arguments that cannot be encoded and
 * results that do not convert to the declared type. Errors reported by the daemon and the transport
 * are as they reported them.
 *
 * <p>Default methods run locally; {@code equals}, {@code hashCode} and {@code toString} work on the URI;
 * every typed proxy also implements {@link RemoteObject}. {@code close()} releases the proxy when the
 * interface has it from {@link AutoCloseable} or {@link RemoteObject} (or overrides theirs, as
 * {@code NameServer} does); a {@code void close()} an interface declares itself, without extending
 * {@code AutoCloseable}, calls the object's remote {@code close()}, and because Java gives a proxy a
 * single {@code close()}, {@code ((RemoteObject) proxy).close()} then does too: release such a proxy
 * with {@code pyroProxy().close()}. A remote exception whose type a method declares in its
 * {@code throws} clause is rethrown as that type (for a future, completes it), with the
 * {@link RemoteException} as its cause.
 */
final class TypedProxy implements InvocationHandler {
    private static final ClassValue<Map<Method, TypedMethod>> CHECKED = new ClassValue<>() {
        @Override
        protected Map<Method, TypedMethod> computeValue(Class<?> type) {
            return TypedMethod.of(type);
        }
    };

    private final Proxy proxy;
    private final Class<?> type;
    private final Map<Method, TypedMethod> methods;

    private TypedProxy(Proxy proxy, Class<?> type, Map<Method, TypedMethod> methods) {
        this.proxy = proxy;
        this.type = type;
        this.methods = methods;
    }

    /** A typed proxy for {@code type}; IllegalArgumentException if {@code type} is not an interface or a method of it cannot work. */
    static <T> T create(Proxy proxy, Class<T> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface: typed proxies need an interface type");
        }
        Object instance = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(),
                new Class<?>[] {type, RemoteObject.class}, new TypedProxy(proxy, type, CHECKED.get(type)));
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
        TypedMethod remote = methods.get(method);
        if (remote == null) {
            return local(self, method, arguments);
        }
        return switch (remote.shape) {
            case FUTURE -> async(remote, arguments);
            case PUBLISHER -> proxy.publisher(proxy.encoded(arguments, remote.described),
                    (bound, values) -> outgoing(remote, bound, values), remote.resultType, remote.described);
            default -> blocking(remote, arguments);
        };
    }

    private Object local(Object self, Method method, Object[] arguments) throws Throwable {
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(self, method, arguments);
        }
        if (method.getName().equals("pyroProxy")) {
            return proxy;
        }
        proxy.close(); // TypedMethod.isLocal: the close() of AutoCloseable or RemoteObject
        return null;
    }

    private Object objectMethod(Object self, Method method, Object[] arguments) {
        return switch (method.getName()) {
            case "equals" -> self == arguments[0] || proxy.equals(unwrap(arguments[0]));
            case "hashCode" -> proxy.hashCode();
            default -> "<" + type.getSimpleName() + " proxy for " + proxy.uri() + ">";
        };
    }

    private Object blocking(TypedMethod remote, Object[] arguments) throws Throwable {
        try {
            Proxy.Connection bound = proxy.connection();
            Proxy.Outgoing outgoing = outgoing(remote, bound, proxy.encode(arguments, remote.described));
            if (!remote.shape.streamed()) {
                return proxy.send(bound, outgoing, remote.resultType, remote.described);
            }
            CloseableIterator<Object> items = proxy.stream(bound, outgoing, remote.resultType, remote.described);
            return switch (remote.shape) {
                case STREAM -> StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, 0), false).onClose(items::close);
                case ITERABLE -> (Iterable<Object>) () -> items;
                default -> items;
            };
        } catch (RemoteException raised) {
            throw declared(remote.method, raised);
        }
    }

    private CompletableFuture<Object> async(TypedMethod remote, Object[] arguments) {
        CompletableFuture<Object> sent = proxy.sendAsync(proxy.encoded(arguments, remote.described),
                (bound, values) -> outgoing(remote, bound, values), remote.resultType, remote.described);
        if (remote.method.getExceptionTypes().length == 0) {
            return sent; // nothing to rethrow as a declared type
        }
        return Futures.map(sent, result -> result,
                failure -> failure instanceof RemoteException raised ? declared(remote.method, raised) : failure);
    }

    private Proxy.Outgoing outgoing(TypedMethod remote, Proxy.Connection bound, List<Value> values) {
        return switch (remote.route(bound.metadata(), proxy)) {
            case METHOD -> proxy.methodCall(bound, remote.name, values, remote.described);
            case GET -> proxy.propertyRead(bound, remote.property, remote.described);
            case SET -> proxy.propertyWrite(bound, remote.property, values, remote.described);
        };
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
