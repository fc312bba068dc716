package io.pyromesh.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pyro's configuration items (PYRO-SEMANTICS.md section 5) as an immutable value.
 *
 * <p><b>Sources</b>, each overriding the ones before it:
 * <ol>
 *   <li>built-in defaults;</li>
 *   <li>{@code PYRO_<ITEM>} environment variables, e.g. {@code PYRO_NS_PORT=9999};</li>
 *   <li>Java system properties of the same name, e.g. {@code -DPYRO_COMMTIMEOUT=2.5};</li>
 *   <li>code: {@link #with(String, Object)} and the typed withers, each returning a new config.</li>
 * </ol>
 * {@link #source(String)} tells which one set an item.
 *
 * <p><b>Errors</b> are {@link ConfigException}s, thrown when a config is built, not when it is read: an unknown
 * {@code PYRO_*} variable (as in Pyro, where it makes {@code import Pyro5} fail), a Pyro5 item that
 * has no meaning here (see below), or a value that does not parse or is out of range; the message names
 * the variable and the value. A bad environment value is fatal even when a system property overrides
 * it, because it is a mistake either way.
 *
 * <p><b>Text rules</b>, for environment variables, system properties and strings given to {@code with}:
 * booleans are Pyro's {@code 0/off/no/false} and {@code 1/yes/on/true}, case-insensitive; ints and
 * floats are plain decimal numbers; lists are comma-separated and stripped; strings are taken as they
 * are. Floats are all durations in seconds, read back as {@link Duration}s.
 *
 * <p><b>Differences from Pyro5.</b> {@code MAX_MESSAGE_SIZE} defaults to 64 MiB instead of 1 GiB, as
 * it bounds the memory a single request can claim. {@code NS_MCGROUP}, {@code SESSION_TIMEOUT},
 * {@code MAX_PENDING_CALLS} and {@code SIDECAR} are Pyromesh's own. {@code POLLTIMEOUT}, {@code SOCK_REUSE}, {@code SOCK_NODELAY}, {@code SERIALIZER},
 * {@code SERPENT_BYTES_REPR}, {@code LOGWIRE}, {@code DETAILED_TRACEBACK} and
 * {@code ITER_STREAM_LINGER} do not apply to gRPC, and setting one fails with the reason.
 *
 * <pre>{@code
 * PyroConfig config = PyroConfig.current().withNsHost("ns.example").with("COMMTIMEOUT", 2.5);
 * config.commTimeout();   // PT2.5S
 * }</pre>
 */
public final class PyroConfig {
    static final String PREFIX = "PYRO_";

    private static final PyroConfig DEFAULTS = defaultConfig();
    private static final AtomicReference<PyroConfig> CURRENT = new AtomicReference<>();

    /** The values of {@code SERVERTYPE}: Pyro's worker-pool and single-threaded multiplexing servers. */
    public enum ServerType { THREAD, MULTIPLEX }

    private final Map<Item, Object> values;
    private final Map<Item, Source> sources;

    private PyroConfig(EnumMap<Item, Object> values, EnumMap<Item, Source> sources) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        checkThreadpoolSizes();
    }

    private static PyroConfig defaultConfig() {
        EnumMap<Item, Object> values = new EnumMap<>(Item.class);
        EnumMap<Item, Source> sources = new EnumMap<>(Item.class);
        for (Item item : Item.values()) {
            values.put(item, item.defaultValue);
            sources.put(item, Source.DEFAULT);
        }
        return new PyroConfig(values, sources);
    }

    /** The built-in defaults, ignoring environment and system properties. */
    public static PyroConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Defaults overridden by {@code env}, then by {@code systemProperties}. Only keys starting with
     * {@code PYRO_} (case-sensitive, like Pyro) are considered; the rest of the key must be an item
     * name in upper case.
     *
     * @throws ConfigException for an unknown or inapplicable variable or a bad value
     */
    public static PyroConfig load(Map<String, String> env, Map<String, String> systemProperties) {
        EnumMap<Item, Object> values = new EnumMap<>(DEFAULTS.values);
        EnumMap<Item, Source> sources = new EnumMap<>(DEFAULTS.sources);
        apply(env, Source.ENVIRONMENT, values, sources);
        apply(systemProperties, Source.SYSTEM_PROPERTY, values, sources);
        return new PyroConfig(values, sources);
    }

    private static void apply(Map<String, String> variables, Source source,
                              EnumMap<Item, Object> values, EnumMap<Item, Source> sources) {
        // sorted, so that of several mistakes the same one is reported every time
        TreeMap<String, String> pyroVariables = new TreeMap<>();
        variables.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                pyroVariables.put(key, value);
            }
        });
        pyroVariables.forEach((variable, text) -> {
            String name = variable.substring(PREFIX.length());
            InapplicableItem.reject(name, variable);
            Item item = Item.named(name);
            if (item == null) {
                throw new ConfigException("invalid Pyro environment config variable: " + variable);
            }
            values.put(item, item.convert(Objects.requireNonNull(text, variable), variable));
            sources.put(item, source);
        });
    }

    /** {@link #load} with this process's environment and system properties. */
    public static PyroConfig fromEnvironment() {
        Properties properties = System.getProperties();
        Map<String, String> systemProperties = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            systemProperties.put(name, properties.getProperty(name));
        }
        return load(System.getenv(), systemProperties);
    }

    /**
     * The process-wide config: the one last given to {@link #setCurrent}, else {@link #fromEnvironment()}
     * read on first use. A failed read is not remembered, so the next call throws again.
     */
    public static PyroConfig current() {
        // fromEnvironment() has no side effects, so a racing thread computing it twice is harmless
        return CURRENT.updateAndGet(current -> current != null ? current : fromEnvironment());
    }

    /**
     * Makes {@code config} the process-wide config; {@code null} makes the next {@link #current()} read
     * the environment again.
     */
    public static void setCurrent(PyroConfig config) {
        CURRENT.set(config);
    }

    /**
     * A copy with {@code item} set from code.
     *
     * @param item an item name, case-insensitive, with or without the {@code PYRO_} prefix
     * @param value a Java value of the item's type ({@code String}, {@code Integer}/{@code Long},
     *     {@code Boolean}, {@code List<String>}, or for seconds any {@code Number} or a {@code Duration}),
     *     or a {@code String} parsed by the environment's rules; {@code null} only where the default is
     *     {@code None}
     * @throws ConfigException for an unknown or inapplicable item or a bad value
     */
    public PyroConfig with(String item, Object value) {
        return with(resolve(item), value);
    }

    private PyroConfig with(Item item, Object value) {
        EnumMap<Item, Object> newValues = new EnumMap<>(values);
        EnumMap<Item, Source> newSources = new EnumMap<>(sources);
        newValues.put(item, item.convert(value, Source.CODE.nameOf(item)));
        newSources.put(item, Source.CODE);
        return new PyroConfig(newValues, newSources);
    }

    /**
     * The value of {@code item} (named as for {@link #with}): a {@code String}, {@code Integer},
     * {@code Double} (seconds), {@code Boolean}, unmodifiable {@code List<String>}, or {@code null}.
     */
    public Object get(String item) {
        return values.get(resolve(item));
    }

    /**
     * Which source set {@code item}: {@code "default"}, {@code "environment"}, {@code "system property"}
     * or {@code "code"}.
     */
    public String source(String item) {
        return sources.get(resolve(item)).label;
    }

    /**
     * Every item, sorted by name, as check-config prints it: {@code None} for null, {@code True}/{@code False},
     * lists joined with {@code ", "}, and non-empty passwords as {@code ***}.
     */
    public SortedMap<String, String> dump() {
        TreeMap<String, String> dump = new TreeMap<>();
        values.forEach((item, value) -> dump.put(item.name(), item.print(value)));
        return Collections.unmodifiableSortedMap(dump);
    }

    private static Item resolve(String item) {
        Objects.requireNonNull(item, "item");
        // ROOT: in a Turkish locale "ssl".toUpperCase() would not be "SSL"
        String name = item.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith(PREFIX)) {
            name = name.substring(PREFIX.length());
        }
        InapplicableItem.reject(name, name);
        Item found = Item.named(name);
        if (found == null) {
            throw new ConfigException("unknown config item: " + item);
        }
        return found;
    }

    // Pyro's thread pool refuses this when it starts; refusing it here reports it with the variable names.
    private void checkThreadpoolSizes() {
        int min = threadpoolSizeMin();
        int max = threadpoolSize();
        if (min > max) {
            throw ConfigException.invalidValue(nameOf(Item.THREADPOOL_SIZE_MIN),
                    min + " is greater than " + nameOf(Item.THREADPOOL_SIZE) + " (" + max + ")");
        }
    }

    private String nameOf(Item item) {
        return sources.get(item).nameOf(item);
    }

    // ---- typed getters -------------------------------------------------------------------------

    /** Bind host for daemons. */
    public String host() {
        return (String) values.get(Item.HOST);
    }

    /** Where clients look for the name server. */
    public String nsHost() {
        return (String) values.get(Item.NS_HOST);
    }

    public int nsPort() {
        return (Integer) values.get(Item.NS_PORT);
    }

    /** UDP port of the name server's discovery responder. */
    public int nsBcPort() {
        return (Integer) values.get(Item.NS_BCPORT);
    }

    /** Bind host of the discovery responder; {@code null} means the name server's own host. */
    public String nsBcHost() {
        return (String) values.get(Item.NS_BCHOST);
    }

    /** Multicast group the discovery responder also listens on. */
    public String nsMcGroup() {
        return (String) values.get(Item.NS_MCGROUP);
    }

    /** Period of the name server's autoclean; {@link Duration#ZERO} = off. */
    public Duration nsAutoclean() {
        return seconds(Item.NS_AUTOCLEAN);
    }

    /** The store a name server uses unless told otherwise. */
    public String nsStorage() {
        return (String) values.get(Item.NS_STORAGE);
    }

    /** The Consul agent name servers register in and clients ask, or null for none. */
    public String consulAddr() {
        return (String) values.get(Item.CONSUL_ADDR);
    }

    /** How long name lookups keep retrying an unknown name. */
    public Duration nsLookupDelay() {
        return seconds(Item.NS_LOOKUP_DELAY);
    }

    /** External host published in URIs, or {@code null}. */
    public String natHost() {
        return (String) values.get(Item.NATHOST);
    }

    /** External port published in URIs; 0 = the internal one. */
    public int natPort() {
        return (Integer) values.get(Item.NATPORT);
    }

    public boolean compression() {
        return (Boolean) values.get(Item.COMPRESSION);
    }

    public ServerType serverType() {
        return ServerType.valueOf(((String) values.get(Item.SERVERTYPE)).toUpperCase(Locale.ROOT));
    }

    /** Call timeout; {@link Duration#ZERO} = none. */
    public Duration commTimeout() {
        return seconds(Item.COMMTIMEOUT);
    }

    /** Automatic retries of a call that failed on a closed connection or a timeout. */
    public int maxRetries() {
        return (Integer) values.get(Item.MAX_RETRIES);
    }

    public int threadpoolSize() {
        return (Integer) values.get(Item.THREADPOOL_SIZE);
    }

    public int threadpoolSizeMin() {
        return (Integer) values.get(Item.THREADPOOL_SIZE_MIN);
    }

    /** Calls a daemon holds while their methods' stages complete (Pyromesh's own). */
    public int maxPendingCalls() {
        return (Integer) values.get(Item.MAX_PENDING_CALLS);
    }

    /** Largest message, in bytes, sent or accepted. */
    public int maxMessageSize() {
        return (Integer) values.get(Item.MAX_MESSAGE_SIZE);
    }

    /** {@code MAX_VALUES}: how many values one request a daemon receives may hold. */
    public int maxValues() {
        return (Integer) values.get(Item.MAX_VALUES);
    }

    /** Where name server discovery sends its query. */
    @SuppressWarnings("unchecked")
    public List<String> broadcastAddrs() {
        return (List<String>) values.get(Item.BROADCAST_ADDRS);
    }

    /** 4, 6, or 0 for the system's choice. */
    public int preferIpVersion() {
        return (Integer) values.get(Item.PREFER_IP_VERSION);
    }

    /** Whether methods may return streamed iterators. */
    public boolean iterStreaming() {
        return (Boolean) values.get(Item.ITER_STREAMING);
    }

    /** Longest life of a result stream; {@link Duration#ZERO} = unlimited. */
    public Duration iterStreamLifetime() {
        return seconds(Item.ITER_STREAM_LIFETIME);
    }

    /** How long an idle session instance is kept. */
    public Duration sessionTimeout() {
        return seconds(Item.SESSION_TIMEOUT);
    }

    public String logLevel() {
        return (String) values.get(Item.LOGLEVEL);
    }

    public String logFile() {
        return (String) values.get(Item.LOGFILE);
    }

    public boolean ssl() {
        return (Boolean) values.get(Item.SSL);
    }

    public String sslServerCert() {
        return (String) values.get(Item.SSL_SERVERCERT);
    }

    public String sslServerKey() {
        return (String) values.get(Item.SSL_SERVERKEY);
    }

    public String sslServerKeyPassword() {
        return (String) values.get(Item.SSL_SERVERKEYPASSWD);
    }

    public boolean sslRequireClientCert() {
        return (Boolean) values.get(Item.SSL_REQUIRECLIENTCERT);
    }

    public String sslClientCert() {
        return (String) values.get(Item.SSL_CLIENTCERT);
    }

    public String sslClientKey() {
        return (String) values.get(Item.SSL_CLIENTKEY);
    }

    public String sslClientKeyPassword() {
        return (String) values.get(Item.SSL_CLIENTKEYPASSWD);
    }

    /** CA certificates file, or a directory of them. */
    public String sslCaCerts() {
        return (String) values.get(Item.SSL_CACERTS);
    }

    /** The local sidecar's address for apps ({@code host:port}), or {@code null}: no sidecar. */
    public String sidecar() {
        return (String) values.get(Item.SIDECAR);
    }

    private Duration seconds(Item item) {
        double seconds = (Double) values.get(item);
        if (seconds >= 0x1p63) {
            // beyond what a Duration holds; such a timeout means "never" anyway
            return Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        }
        long whole = (long) seconds;
        return Duration.ofSeconds(whole, Math.round((seconds - whole) * 1e9));
    }

    // ---- typed withers, for the items code sets most ----------------------------------------------

    public PyroConfig withHost(String host) {
        return with(Item.HOST, host);
    }

    public PyroConfig withNsHost(String nsHost) {
        return with(Item.NS_HOST, nsHost);
    }

    public PyroConfig withNsPort(int nsPort) {
        return with(Item.NS_PORT, nsPort);
    }

    /** {@link Duration#ZERO} = no timeout. */
    public PyroConfig withCommTimeout(Duration commTimeout) {
        return with(Item.COMMTIMEOUT, commTimeout);
    }

    public PyroConfig withMaxRetries(int maxRetries) {
        return with(Item.MAX_RETRIES, maxRetries);
    }

    public PyroConfig withMaxMessageSize(int maxMessageSize) {
        return with(Item.MAX_MESSAGE_SIZE, maxMessageSize);
    }

    // ---- value object ------------------------------------------------------------------------------

    /** Equal when every item has an equal value, wherever the values came from. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PyroConfig config && values.equals(config.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The {@link #dump()}, so passwords stay masked in logs. */
    @Override
    public String toString() {
        return "PyroConfig" + dump();
    }
}
