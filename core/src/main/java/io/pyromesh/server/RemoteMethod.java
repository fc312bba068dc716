package io.pyromesh.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.CompletionStage;
import java.util.stream.BaseStream;

/** One exposed Java method, ready to be called with an argument array. */
final class RemoteMethod {
    private static final MethodType UNIFORM = MethodType.methodType(Object.class, Object.class, Object[].class);

    final String name;
    final Method method;
    final Type[] parameterTypes;
    /** Parameter names when compiled with {@code -parameters}, else null (then no keyword arguments). */
    final String[] parameterNames;
    final boolean oneway;
    final boolean streaming;
    /** Returns a {@link CompletionStage}: the call is answered when the stage completes, not when the method returns. */
    final boolean async;
    /** How many leading parameters a call must give; the rest are {@link Omittable}. */
    final int required;
    private final boolean[] omittable;
    private final MethodHandle handle;

    RemoteMethod(String name, Method method, boolean oneway) {
        this.name = name;
        this.method = method;
        this.parameterTypes = method.getGenericParameterTypes();
        this.parameterNames = namesOf(method);
        this.oneway = oneway;
        this.streaming = isStream(method.getReturnType());
        this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        this.handle = uniformHandle(method);
        this.omittable = omittableParameters(method);
        int last = omittable.length;
        while (last > 0 && omittable[last - 1]) {
            last--;
        }
        this.required = last;
    }

    boolean isOmittable(int parameter) {
        return omittable[parameter];
    }

    private static boolean[] omittableParameters(Method method) {
        Parameter[] parameters = method.getParameters();
        boolean[] omittable = new boolean[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            omittable[i] = parameters[i].isAnnotationPresent(Omittable.class);
            if (omittable[i] && parameters[i].getType().isPrimitive()) {
                throw new IllegalArgumentException("@Omittable needs a reference type, not " + parameters[i].getType()
                        + ", in " + method);
            }
        }
        return omittable;
    }

    int arity() {
        return parameterTypes.length;
    }

    Object invoke(Object target, Object[] arguments) throws Throwable {
        return handle.invokeExact(target, arguments);
    }

    /** Results of these types are streamed item by item; a plain collection is a value. */
    static boolean isStream(Class<?> type) {
        return Iterator.class.isAssignableFrom(type)
                || BaseStream.class.isAssignableFrom(type)
                || (Iterable.class.isAssignableFrom(type) && !Collection.class.isAssignableFrom(type));
    }

    String signature() {
        StringBuilder text = new StringBuilder(name).append('(');
        for (int i = 0; i < parameterTypes.length; i++) {
            text.append(i == 0 ? "" : ", ").append(method.getParameterTypes()[i].getSimpleName());
        }
        return text.append(')').toString();
    }

    private static String[] namesOf(Method method) {
        Parameter[] parameters = method.getParameters();
        if (parameters.length == 0 || !parameters[0].isNamePresent()) {
            return null;
        }
        String[] names = new String[parameters.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = parameters[i].getName();
        }
        return names;
    }

    /** A handle of type (Object target, Object[] args) -> Object, so every call is one invokeExact. */
    private static MethodHandle uniformHandle(Method method) {
        try {
            method.setAccessible(true);
            MethodHandle handle = MethodHandles.lookup().unreflect(method);
            if (Modifier.isStatic(method.getModifiers())) {
                handle = MethodHandles.dropArguments(handle, 0, Object.class);
            }
            return handle.asSpreader(Object[].class, method.getParameterCount()).asType(UNIFORM);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot expose " + method + ": " + e.getMessage(), e);
        }
    }
}
