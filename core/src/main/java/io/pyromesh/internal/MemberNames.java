package io.pyromesh.internal;

import java.util.Set;

/**
 * Pyro's rules for member names: which are private, and which Java methods are properties. Shared by
 * daemons (what to expose) and typed proxies (what a Java method stands for).
 */
public final class MemberNames {
    /** Dunder names that stay private although they have the public {@code __x__} shape. */
    private static final Set<String> PRIVATE_DUNDERS = Set.of(
            "__init__", "__init_subclass__", "__class__", "__module__", "__weakref__", "__call__", "__new__",
            "__del__", "__repr__", "__str__", "__format__", "__nonzero__", "__bool__", "__coerce__", "__cmp__",
            "__eq__", "__ne__", "__hash__", "__ge__", "__gt__", "__le__", "__lt__", "__dir__", "__enter__",
            "__exit__", "__copy__", "__deepcopy__", "__sizeof__", "__getattr__", "__setattr__", "__hasattr__",
            "__getattribute__", "__delattr__", "__instancecheck__", "__subclasscheck__", "__getinitargs__",
            "__getnewargs__", "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__subclasshook__");

    private MemberNames() {}

    /**
     * True for names no client may reach: those starting with {@code _}, except dunder names
     * ({@code __x__}, longer than four characters) that are not in Pyro's list of private dunders.
     */
    public static boolean isPrivate(String name) {
        if (!name.startsWith("_")) {
            return false;
        }
        boolean publicDunder = name.length() > 4 && name.startsWith("__") && name.endsWith("__");
        return !publicDunder || PRIVATE_DUNDERS.contains(name);
    }

    /** The property a getter ({@code getX()}, {@code isX()}) or setter ({@code setX(v)}) stands for, or null. */
    public static String propertyName(String methodName, int parameterCount, boolean returnsVoid, boolean returnsBoolean) {
        if (parameterCount == 0 && !returnsVoid) {
            if (methodName.startsWith("get")) {
                return decapitalize(methodName, 3);
            }
            if (methodName.startsWith("is") && returnsBoolean) {
                return decapitalize(methodName, 2);
            }
        } else if (parameterCount == 1 && returnsVoid && methodName.startsWith("set")) {
            return decapitalize(methodName, 3);
        }
        return null;
    }

    /** JavaBeans' rule: {@code getName} is {@code name}, but {@code getURL} stays {@code URL}. */
    private static String decapitalize(String methodName, int prefix) {
        if (methodName.length() <= prefix || !Character.isUpperCase(methodName.charAt(prefix))) {
            return null;
        }
        String rest = methodName.substring(prefix);
        if (rest.length() > 1 && Character.isUpperCase(rest.charAt(1))) {
            return rest;
        }
        return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }
}
