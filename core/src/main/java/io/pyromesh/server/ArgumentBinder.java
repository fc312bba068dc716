package io.pyromesh.server;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.values.Complex;
import io.pyromesh.values.Tuple;
import io.pyromesh.values.ValueCodec;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Matches the arguments of a call to one method and converts them to its parameter types.
 *
 * <p>Arguments are positional, or by keyword when the class was compiled with {@code -parameters};
 * {@link Omittable} parameters may be left out and receive null.
 *
 * <p>Overload resolution: the candidates are the overloads that can take as many arguments as the
 * call has (positional plus keyword). Each candidate whose parameters accept every argument is
 * scored per argument: 0 when the parameter type is the argument's natural Java type (a Pyro int is a
 * {@code long}, a str a {@code String}, ...), 1 for a same-kind conversion ({@code int} from a small
 * integer, {@code float} from a float), 2 for a supertype, 3 for another conversion ({@code double}
 * from an integer), 5 for {@code Object}. The lowest total wins; a tie is a {@link TypeError}
 * naming the tied overloads, as is a call no overload accepts.
 */
final class ArgumentBinder {
    private ArgumentBinder() {}

    record Bound(RemoteMethod method, Object[] arguments) {}

    static Bound bind(List<RemoteMethod> overloads, List<Value> args, Map<String, Value> kwargs, ValueCodec codec) {
        int given = args.size() + kwargs.size();
        List<RemoteMethod> candidates = overloads.stream()
                .filter(m -> given <= m.arity() && args.size() <= m.arity() && (given >= m.required || !kwargs.isEmpty()))
                .toList();
        String name = overloads.get(0).name;
        if (candidates.isEmpty()) {
            throw new TypeError(name + "() takes " + arities(overloads) + " but " + given + " were given");
        }
        if (candidates.size() == 1) {
            RemoteMethod method = candidates.get(0);
            return new Bound(method, convert(method, order(method, args, kwargs), codec));
        }
        Bound best = null;
        int bestScore = Integer.MAX_VALUE;
        List<RemoteMethod> tied = new ArrayList<>();
        for (RemoteMethod method : candidates) {
            Value[] ordered;
            Object[] converted;
            try {
                ordered = order(method, args, kwargs);
                converted = convert(method, ordered, codec);
            } catch (PyroError doesNotFit) {
                continue;
            }
            int score = score(method, ordered);
            if (score < bestScore) {
                best = new Bound(method, converted);
                bestScore = score;
                tied.clear();
                tied.add(method);
            } else if (score == bestScore) {
                tied.add(method);
            }
        }
        if (best == null) {
            throw new TypeError("no overload of " + name + " accepts (" + kinds(args, kwargs) + "); overloads: " + signatures(candidates));
        }
        if (tied.size() > 1) {
            throw new TypeError("ambiguous call of " + name + " with (" + kinds(args, kwargs) + "): " + signatures(tied));
        }
        return best;
    }

    /** The arguments in parameter order: positional ones first, then keywords by parameter name. */
    private static Value[] order(RemoteMethod method, List<Value> args, Map<String, Value> kwargs) {
        Value[] ordered = args.toArray(new Value[method.arity()]);
        if (kwargs.isEmpty()) {
            return ordered;
        }
        if (method.parameterNames == null) {
            throw new TypeError(method.name + "() takes no keyword arguments (its class was compiled without -parameters)");
        }
        for (Map.Entry<String, Value> keyword : kwargs.entrySet()) {
            int index = List.of(method.parameterNames).indexOf(keyword.getKey());
            if (index < 0) {
                throw new TypeError(method.name + "() got an unexpected keyword argument '" + PyroError.excerpt(keyword.getKey()) + "'");
            }
            if (ordered[index] != null) {
                throw new TypeError(method.name + "() got multiple values for argument '" + keyword.getKey() + "'");
            }
            ordered[index] = keyword.getValue();
        }
        return ordered;
    }

    /** Every parameter the call left out must be omittable. */
    private static void checkOmitted(RemoteMethod method, Value[] ordered) {
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] == null && !method.isOmittable(i)) {
                String name = method.parameterNames == null ? "number " + (i + 1) : "'" + method.parameterNames[i] + "'";
                throw new TypeError(method.name + "() missing required argument " + name);
            }
        }
    }

    private static Object[] convert(RemoteMethod method, Value[] ordered, ValueCodec codec) {
        checkOmitted(method, ordered);
        Object[] converted = new Object[ordered.length];
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] == null) {
                continue; // an omitted argument: null
            }
            try {
                converted[i] = codec.decode(ordered[i], method.parameterTypes[i]);
            } catch (TypeError e) {
                throw new TypeError("argument " + (i + 1) + " of " + method.name + "(): " + e.getMessage(), e);
            }
            if (converted[i] == null && method.method.getParameterTypes()[i].isPrimitive()) {
                throw new TypeError("argument " + (i + 1) + " of " + method.name + "(): expected "
                        + method.method.getParameterTypes()[i].getName() + ", got None");
            }
        }
        return converted;
    }

    private static int score(RemoteMethod method, Value[] ordered) {
        int score = 0;
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] == null) {
                score += 1; // an exact fit beats one that leaves arguments out
                continue;
            }
            score += distance(box(raw(method.parameterTypes[i])), naturalType(ordered[i]));
        }
        return score;
    }

    /** How far a parameter type is from an argument's natural type; lower is closer. */
    private static int distance(Class<?> parameter, Class<?> natural) {
        if (parameter == natural) {
            return 0;
        }
        if (NARROWER.getOrDefault(natural, Set.of()).contains(parameter)) {
            return 1;
        }
        if (parameter == Object.class) {
            return 5;
        }
        return parameter.isAssignableFrom(natural) ? 2 : 3;
    }

    /** Same-kind conversions: a small Pyro int fits an int exactly, a float a float. */
    private static final Map<Class<?>, Set<Class<?>>> NARROWER = Map.of(
            Long.class, Set.of(Integer.class, Short.class, Byte.class, BigInteger.class),
            Double.class, Set.of(Float.class),
            BigInteger.class, Set.of(Long.class, Integer.class, Short.class, Byte.class));

    private static Class<?> naturalType(Value value) {
        return switch (value.getKindCase()) {
            case BOOL_VALUE -> Boolean.class;
            case INT_VALUE -> Long.class;
            case BIG_INT_VALUE -> BigInteger.class;
            case FLOAT_VALUE -> Double.class;
            case STR_VALUE -> String.class;
            case BYTES_VALUE -> byte[].class;
            case LIST_VALUE -> List.class;
            case TUPLE_VALUE -> Tuple.class;
            case SET_VALUE -> Set.class;
            case MAP_VALUE -> Map.class;
            case DECIMAL_VALUE -> BigDecimal.class;
            case DATETIME_VALUE -> OffsetDateTime.class;
            case DATE_VALUE -> LocalDate.class;
            case TIME_VALUE -> LocalTime.class;
            case UUID_VALUE -> UUID.class;
            case COMPLEX_VALUE -> Complex.class;
            default -> Void.class;
        };
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type;
    }

    private static String arities(List<RemoteMethod> overloads) {
        Set<Integer> counts = new TreeSet<>();
        overloads.forEach(m -> {
            for (int count = m.required; count <= m.arity(); count++) {
                counts.add(count);
            }
        });
        StringJoiner text = new StringJoiner(" or ");
        counts.forEach(c -> text.add(String.valueOf(c)));
        boolean one = counts.size() == 1 && counts.contains(1);
        return text + (one ? " argument" : " arguments");
    }

    private static String kinds(List<Value> args, Map<String, Value> kwargs) {
        StringJoiner text = new StringJoiner(", ");
        args.forEach(v -> text.add(kindName(v)));
        kwargs.forEach((k, v) -> text.add(k + "=" + kindName(v)));
        return text.toString();
    }

    private static String kindName(Value value) {
        String kind = value.getKindCase().name().toLowerCase();
        return kind.endsWith("_value") ? kind.substring(0, kind.length() - "_value".length()) : kind;
    }

    private static String signatures(List<RemoteMethod> methods) {
        return String.join(", ", methods.stream().map(RemoteMethod::signature).sorted().toList());
    }
}
