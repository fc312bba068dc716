package io.pyromesh.values;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Pyro's class-to-dict and dict-to-class hooks: which Java classes travel as a class name plus a
 * dictionary of fields ({@code Value.object_value}), and which received class names may be turned back
 * into objects. A received class name that is not registered here is refused, so that a peer cannot
 * make this process instantiate arbitrary classes.
 *
 * <p>Most applications use {@link #global()}, which {@link ValueCodec#standard()} reads; tests and
 * isolated components can use their own {@code new ClassRegistry()}. Registrations may change at any
 * time from any thread; a registration for a class or name replaces the previous one.
 *
 * <p>Class names containing {@code "__"} are refused by every receiver (as Pyro does), so they cannot
 * be registered.
 */
public final class ClassRegistry {
    private static final ClassRegistry GLOBAL = new ClassRegistry();

    private final ConcurrentMap<Class<?>, ClassToDict> toDict = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DictToClass> toClass = new ConcurrentHashMap<>();

    /** The registry of the whole process. */
    public static ClassRegistry global() {
        return GLOBAL;
    }

    /**
     * Sends instances of {@code type}, and of its subclasses that have no registration of their own,
     * as {@code className} with the fields {@code toDict} returns. Field values are encoded like any
     * other value. Registering a record class this way overrides its default mapping.
     */
    public <T> void registerClassToDict(Class<T> type, String className, Function<? super T, Map<String, ?>> toDict) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toDict, "toDict");
        this.toDict.put(type, new ClassToDict(checkedName(className), o -> toDict.apply(type.cast(o))));
    }

    /**
     * Turns a received {@code className} into an object: {@code fromDict} gets its fields, decoded to
     * their natural Java types (see {@link ValueCodec}), in the sender's order.
     */
    public void registerDictToClass(String className, Function<Map<String, Object>, ?> fromDict) {
        Objects.requireNonNull(fromDict, "fromDict");
        toClass.put(checkedName(className), new DictToClass(fromDict, null));
    }

    /** As {@link #registerRecord(Class, String)}, named by the record's binary class name. */
    public <R extends Record> void registerRecord(Class<R> type) {
        registerRecord(type, type.getName());
    }

    /**
     * Maps a record class both ways under {@code className}: its components, in declaration order,
     * are the fields, and a received dictionary is converted to the component types and passed to
     * the canonical constructor.
     *
     * @throws IllegalArgumentException if {@code type} is not a record class
     * @throws io.pyromesh.errors.SerializeError if its members cannot be accessed
     */
    public <R extends Record> void registerRecord(Class<R> type, String className) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record class");
        }
        String name = checkedName(className);
        RecordInfo info = RecordInfo.of(type);
        toDict.put(type, new ClassToDict(name, info::fields));
        toClass.put(name, new DictToClass(null, type));
    }

    /** Stops sending instances of {@code type} as class-dicts under a registered name. */
    public void unregisterClassToDict(Class<?> type) {
        toDict.remove(type);
    }

    /** Stops accepting {@code className} from peers. */
    public void unregisterDictToClass(String className) {
        toClass.remove(className);
    }

    /** The hook for {@code type}: its own registration, else the nearest registered superclass's; or null. */
    ClassToDict classToDict(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            ClassToDict hook = toDict.get(c);
            if (hook != null) {
                return hook;
            }
        }
        return null;
    }

    /** The hook for a received class name, or null. */
    DictToClass dictToClass(String className) {
        return toClass.get(className);
    }

    /** The name a record travels under: its registered class-to-dict name, else its binary name. */
    String nameOf(Class<?> recordType) {
        ClassToDict hook = toDict.get(recordType);
        return hook != null ? hook.className() : recordType.getName();
    }

    private static String checkedName(String className) {
        Objects.requireNonNull(className, "className");
        if (className.isEmpty() || className.contains("__")) {
            throw new IllegalArgumentException("class name '" + className
                    + "' is empty or contains \"__\", which receivers refuse");
        }
        return className;
    }

    /** How objects of a class become a class name and fields. */
    record ClassToDict(String className, Function<Object, ? extends Map<String, ?>> fields) {}

    /** How a received class-dict becomes an object: by {@code converter}, or else by record type. */
    record DictToClass(Function<Map<String, Object>, ?> converter, Class<?> recordType) {}
}
