package io.pyromesh.values;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What the decoder needs to know of a (generic) target type. */
final class JavaTypes {
    private JavaTypes() {}

    /** {@code type} itself, or for a wildcard or type variable its upper bound: the most the receiver knows. */
    static Type upperBound(Type type) {
        Type t = type;
        while (true) {
            if (t instanceof WildcardType w) {
                t = w.getUpperBounds()[0];
            } else if (t instanceof TypeVariable<?> v) {
                t = v.getBounds()[0];
            } else {
                return t;
            }
        }
    }

    /** The class of a class, parameterized type or generic array type. */
    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        } else if (type instanceof GenericArrayType g) {
            return rawClass(upperBound(g.getGenericComponentType())).arrayType();
        }
        throw new IllegalArgumentException("unsupported target type " + type.getTypeName());
    }

    /** Type argument {@code index} of a parameterized type; {@code Object} for a raw type. */
    static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    /** The component type of an array type. */
    static Type componentType(Type arrayType) {
        return arrayType instanceof GenericArrayType g
                ? g.getGenericComponentType()
                : rawClass(arrayType).getComponentType();
    }

    /** A type as a Java programmer writes it: {@code int}, {@code List<Integer>}, {@code Item[]}. */
    static String describe(Type type) {
        if (type instanceof Class<?> c) {
            return c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName();
        } else if (type instanceof ParameterizedType p) {
            return describe(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                    .map(JavaTypes::describe)
                    .collect(Collectors.joining(", ", "<", ">"));
        } else if (type instanceof GenericArrayType g) {
            return describe(g.getGenericComponentType()) + "[]";
        }
        return type.getTypeName();
    }
}
