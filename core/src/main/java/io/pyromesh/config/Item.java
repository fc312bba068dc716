package io.pyromesh.config;

import static io.pyromesh.config.ValueType.BOOL;
import static io.pyromesh.config.ValueType.INT;
import static io.pyromesh.config.ValueType.LIST;
import static io.pyromesh.config.ValueType.SECONDS;
import static io.pyromesh.config.ValueType.SECRET;
import static io.pyromesh.config.ValueType.STRING;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The config items: name, type, default and range, one line each. Adding an item is one line here and,
 * if code reads it often, a typed getter in {@link PyroConfig}. Meanings are those of Pyro5
 * (PYRO-SEMANTICS.md section 5) unless noted.
 */
enum Item {
    HOST(STRING, "localhost"),
    NS_HOST(STRING, "localhost"),
    NS_PORT(INT, 9090, Check.port()),
    NS_BCPORT(INT, 9091, Check.port()),
    NS_BCHOST(STRING, null),
    /** Pyromesh: the multicast group the name server's discovery responder also listens on. */
    NS_MCGROUP(STRING, "239.255.90.91", Check.multicastGroup()),
    NS_AUTOCLEAN(SECONDS, 0.0, Check.autoclean()),
    NS_LOOKUP_DELAY(SECONDS, 0.0, Check.notNegative()),
    /** Pyromesh: the name server's store when {@code ns} is not given {@code -s}: memory, sql:FILE or consul:URL. */
    NS_STORAGE(STRING, "memory"),
    /** Pyromesh: a Consul agent (http://HOST:PORT) that name servers register in and locateNS asks. */
    CONSUL_ADDR(STRING, null, Check.httpAddress()),
    NATHOST(STRING, null),
    NATPORT(INT, 0, Check.port()),
    COMPRESSION(BOOL, false),
    SERVERTYPE(STRING, "thread", Check.oneOf("thread", "multiplex")),
    COMMTIMEOUT(SECONDS, 0.0, Check.notNegative()),
    MAX_RETRIES(INT, 0, Check.notNegative()),
    THREADPOOL_SIZE(INT, 80, Check.atLeast(1)),
    THREADPOOL_SIZE_MIN(INT, 4, Check.atLeast(1)),
    /**
     * Pyromesh: calls a daemon holds whose method returned a CompletionStage that has not completed.
     * They hold no worker thread, so THREADPOOL_SIZE does not bound them; this does.
     */
    MAX_PENDING_CALLS(INT, 100_000, Check.atLeast(1)),
    /**
     * Pyro allows 1 GiB. gRPC receives a whole message before handing it over, so the limit is also the
     * memory one request can make a receiver allocate: 64 MiB keeps a few concurrent oversize requests
     * from exhausting a default heap. gRPC takes the limit as an int.
     */
    MAX_MESSAGE_SIZE(INT, 64 * 1024 * 1024,
            Check.between(1, Integer.MAX_VALUE).because("gRPC message size limits are ints")),
    /**
     * Pyromesh: how many values (every item, key and element counts one) one request may hold. A value
     * takes far more memory decoded than on the wire (a million-entry map of small ints is 6 MB to send
     * and hundreds of MB to decode), so the size limit alone does not bound what a request can claim.
     */
    MAX_VALUES(INT, 500_000, Check.atLeast(1)),
    BROADCAST_ADDRS(LIST, List.of("<broadcast>", "0.0.0.0")),
    PREFER_IP_VERSION(INT, 0, Check.oneOf(0L, 4L, 6L)),
    ITER_STREAMING(BOOL, true),
    ITER_STREAM_LIFETIME(SECONDS, 0.0, Check.notNegative()),
    /** Pyromesh: how long an idle session instance is kept. Never 0: unexpiring sessions would pile up. */
    SESSION_TIMEOUT(SECONDS, 600.0, Check.positive()),
    LOGLEVEL(STRING, null, Check.oneOf("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    LOGFILE(STRING, null),
    SSL(BOOL, false),
    SSL_SERVERCERT(STRING, ""),
    SSL_SERVERKEY(STRING, ""),
    SSL_SERVERKEYPASSWD(SECRET, ""),
    SSL_REQUIRECLIENTCERT(BOOL, false),
    SSL_CLIENTCERT(STRING, ""),
    SSL_CLIENTKEY(STRING, ""),
    SSL_CLIENTKEYPASSWD(SECRET, ""),
    SSL_CACERTS(STRING, ""),
    /**
     * Pyromesh: the local sidecar's listener for apps ({@code host:port} on this host, e.g.
     * {@code 127.0.0.1:9101}); when set, daemons attach their objects to it instead of their names
     * being registered with the name server directly.
     */
    SIDECAR(STRING, null, Check.sidecarAddress());

    private static final Map<String, Item> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Item::name, Function.identity()));

    final ValueType type;
    final Object defaultValue;
    private final Check check;

    Item(ValueType type, Object defaultValue) {
        this(type, defaultValue, Check.NONE);
    }

    Item(ValueType type, Object defaultValue, Check check) {
        this.type = type;
        this.defaultValue = defaultValue;
        this.check = check;
    }

    /** The item with exactly this name (no prefix, upper case), or null. */
    static Item named(String name) {
        return BY_NAME.get(name);
    }

    /**
     * The stored form of {@code value}: text is parsed, a Java value converted, then range-checked.
     * Only items whose default is {@code null} accept {@code null}.
     *
     * @param shownName the name to blame in an error, as the user wrote it ({@code PYRO_NS_PORT} for
     *     the environment, {@code NS_PORT} for code)
     * @throws ConfigException naming {@code shownName} and the value
     */
    Object convert(Object value, String shownName) {
        if (value == null) {
            if (defaultValue != null) {
                throw ConfigException.invalidValue(shownName, "None is not allowed");
            }
            return null;
        }
        try {
            Object parsed = value instanceof String text ? type.parse(text) : type.coerce(value);
            String problem = check.problem(parsed);
            if (problem != null) {
                String shown = parsed instanceof String ? ValueType.quoted((String) parsed) : type.print(parsed);
                throw ConfigException.invalidValue(shownName, shown + " " + problem);
            }
            return type.narrow(parsed);
        } catch (ValueType.Rejected rejected) {
            throw ConfigException.invalidValue(shownName, rejected.getMessage());
        }
    }

    String print(Object value) {
        return type.print(value);
    }
}
