package io.pyromesh.values;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/** A generic type captured from an anonymous subclass: {@code new TypeRef<List<Integer>>() {}.type()}. */
abstract class TypeRef<T> {
    Type type() {
        return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
    }
}
