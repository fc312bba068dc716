package io.pyromesh.values;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Value;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Converts between Java objects and {@code pyromesh.v1.Value}, the self-describing data of every call.
 * Immutable and thread-safe; per-class facts (record accessors and constructors) are looked up once.
 *
 * <h2>The mapping</h2>
 *
 * <table>
 * <caption>Java objects and {@code Value} kinds, both ways</caption>
 * <tr><th>{@code Value} kind</th><th>{@link #encode} makes it from</th>
 *     <th>{@link #decode(Value)} gives</th><th>{@link #decode(Value, Type)} also converts it to</th></tr>
 * <tr><td>null_value</td><td>{@code null}</td><td>{@code null}</td><td>any type but a primitive</td></tr>
 * <tr><td>bool_value</td><td>Boolean</td><td>Boolean</td><td>boolean</td></tr>
 * <tr><td>int_value</td><td>Byte, Short, Integer, Long; a BigInteger that fits in 64 bits</td><td>Long</td>
 *     <td>byte, short, int, long (range-checked); float, double; BigInteger; BigDecimal</td></tr>
 * <tr><td>big_int_value</td><td>a BigInteger beyond 64 bits (at most 4300 digits, Python's limit)</td>
 *     <td>BigInteger (Long if a sender spelled a 64-bit number this way)</td>
 *     <td>BigInteger, BigDecimal; the integer types as for int_value, if it fits</td></tr>
 * <tr><td>float_value</td><td>Float, Double (NaN, ±Infinity and -0.0 included)</td><td>Double</td>
 *     <td>double; float (range-checked); BigDecimal (finite only)</td></tr>
 * <tr><td>str_value</td><td>String; Character; an Enum (its {@code name()})</td><td>String</td>
 *     <td>char (a 1-char string); an enum (by constant name); UUID (canonical text)</td></tr>
 * <tr><td>bytes_value</td><td>byte[] (wrapped, not copied: do not change it while the call that carries it
 *     runs); ByteBuffer (its remaining bytes, copied; its position is not moved)</td>
 *     <td>byte[]</td><td>ByteBuffer</td></tr>
 * <tr><td>list_value</td><td>a Collection that is not a Set or Tuple; Object[] and primitive arrays but
 *     byte[]</td><td>ArrayList</td><td rowspan="3">List, ArrayList (from any of the three); Collection,
 *     Iterable (the natural collection of the kind); Set, HashSet, LinkedHashSet (from any);
 *     Tuple (from list or tuple); arrays (from any)</td></tr>
 * <tr><td>tuple_value</td><td>{@link Tuple}</td><td>Tuple</td></tr>
 * <tr><td>set_value</td><td>Set</td><td>LinkedHashSet</td></tr>
 * <tr><td>map_value</td><td>Map (in iteration order; keys of any type)</td><td>LinkedHashMap</td>
 *     <td>Map, HashMap, LinkedHashMap; a record, if all keys are str (as JSON clients send)</td></tr>
 * <tr><td>decimal_value</td><td>BigDecimal ({@code toString()})</td>
 *     <td>BigDecimal (NaN and Infinity have none: SerializeError)</td><td>—</td></tr>
 * <tr><td>datetime_value with offset</td><td>OffsetDateTime; ZonedDateTime (its offset at that time:
 *     the zone's rules do not travel); Instant (offset 0)</td><td>OffsetDateTime</td>
 *     <td>Instant; ZonedDateTime (its zone is the offset)</td></tr>
 * <tr><td>datetime_value without offset</td><td>LocalDateTime</td><td>LocalDateTime</td>
 *     <td>— (an aware datetime is refused for LocalDateTime rather than its offset dropped)</td></tr>
 * <tr><td>date_value</td><td>LocalDate</td><td>LocalDate</td><td>—</td></tr>
 * <tr><td>time_value</td><td>LocalTime</td><td>LocalTime</td><td>—</td></tr>
 * <tr><td>uuid_value</td><td>UUID</td><td>UUID</td><td>—</td></tr>
 * <tr><td>complex_value</td><td>{@link Complex}</td><td>Complex</td><td>—</td></tr>
 * <tr><td>object_value</td><td>an object whose class, or nearest superclass, has a class-to-dict hook in
 *     the {@link ClassRegistry}; any record (its components, under its registered or binary class
 *     name)</td><td>the result of the class name's dict-to-class hook (a record registered with
 *     {@link ClassRegistry#registerRecord} has one); SerializeError for a name not registered</td>
 *     <td>a record class R, even unregistered, if the class name is R's registered or binary name; any
 *     class the registered hook's result is an instance of</td></tr>
 * <tr><td>proxy_value</td><td>any other object for which {@link RemoteReferences#toRef} gives a
 *     reference</td><td>{@code references.fromRef(ref, Object.class)}</td>
 *     <td>an interface I: {@code references.fromRef(ref, I.class)}</td></tr>
 * <tr><td>uri_value</td><td>PyroURI</td><td>PyroURI</td><td>PyroURI (from a uri or a str)</td></tr>
 * </table>
 *
 * <p><b>Encoding</b> tries the built-in types first, then asks {@link RemoteReferences#toRef} (Pyro's
 * autoproxy), then the class-to-dict hooks, then records. An Iterator, Stream or other Iterable that
 * is not a Collection, and any other class, is refused with a {@link SerializeError} that says what to
 * do instead.
 *
 * <p><b>Decoding to a type</b> converts element, key, value and record component types by their
 * generic declarations ({@code List<Integer>}, {@code Map<String, Item>}, {@code Set<UUID>[]}); a raw
 * type, wildcard or type variable gets the natural values of its bound. Any other target accepts the
 * natural value if it is an instance of it (e.g. {@code Number}, {@code CharSequence}). A value that
 * does not fit the target gives a {@link io.pyromesh.errors.TypeError} naming both, e.g.
 * {@code "expected int, got str"}; a record whose fields do not match its components, likewise.
 *
 * <p><b>Refusals.</b> Malformed content (no kind set, bad digits, decimal or UUID text, date fields,
 * offsets beyond ±18:00, nanos out of range) gives a {@link SerializeError} naming the field; so does a
 * hook or record constructor that throws, naming the class and keeping the exception as cause. A class
 * name containing {@code "__"} gives a {@link io.pyromesh.errors.SecurityError}, as in Pyro. A class
 * name is never loaded from the wire: only registered names and requested record types are decoded.
 * Values nest at most {@value #MAX_DEPTH} levels (the outermost value is level 1); deeper ones, and
 * circular structures, give a SerializeError both ways.
 */
public final class ValueCodec {
    /** The deepest nesting of values allowed, as the {@code Value} contract requires. */
    public static final int MAX_DEPTH = 30;

    private static final ValueCodec STANDARD = new ValueCodec(ClassRegistry.global(), RemoteReferences.NONE);

    private final ClassRegistry registry;
    private final ValueEncoder encoder;
    private final ValueDecoder decoder;

    /** A codec with the given hooks and proxy support. */
    public ValueCodec(ClassRegistry registry, RemoteReferences references) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(references, "references");
        this.encoder = new ValueEncoder(registry, references);
        this.decoder = new ValueDecoder(registry, references);
    }

    /** The codec of {@link ClassRegistry#global()} without proxy support. */
    public static ValueCodec standard() {
        return STANDARD;
    }

    /** This codec's registry with other proxy support. */
    public ValueCodec withReferences(RemoteReferences references) {
        return new ValueCodec(registry, references);
    }

    /**
     * {@code o} as a value.
     *
     * @throws SerializeError if {@code o}, or anything in it, cannot be encoded
     */
    public Value encode(Object o) {
        return encoder.encode(o);
    }

    /**
     * {@code v} as its natural Java type.
     *
     * @throws SerializeError if {@code v} is malformed or names an unregistered class
     * @throws io.pyromesh.errors.SecurityError if it names a class with {@code "__"} in its name
     */
    public Object decode(Value v) {
        return decode(v, Object.class);
    }

    /**
     * {@code v} as an instance of {@code target}: a class (primitive types give their boxes) or a
     * generic type such as a method parameter's {@code getGenericParameterTypes()}.
     *
     * @throws io.pyromesh.errors.TypeError if a well-formed {@code v} does not fit {@code target}
     * @throws SerializeError if {@code v} is malformed or names an unregistered class
     * @throws io.pyromesh.errors.SecurityError if it names a class with {@code "__"} in its name
     */
    public Object decode(Value v, Type target) {
        return decoder.decode(Objects.requireNonNull(v, "v"), Objects.requireNonNull(target, "target"), 1);
    }

    static SerializeError tooDeep() {
        return new SerializeError("value nests deeper than " + MAX_DEPTH + " levels");
    }

    static SerializeError noKind() {
        return new SerializeError("malformed value: no kind set");
    }
}
