package io.pyromesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PyroConfigTest {

    /** A config loaded from environment variables given as "NAME=value" pairs. */
    private static PyroConfig env(String... variables) {
        return PyroConfig.load(pairs(variables), Map.of());
    }

    private static Map<String, String> pairs(String... variables) {
        Map<String, String> map = new HashMap<>();
        for (String variable : variables) {
            int eq = variable.indexOf('=');
            map.put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        return map;
    }

    @AfterEach
    void forgetCurrentConfig() {
        PyroConfig.setCurrent(null);
    }

    @Nested
    class Defaults {
        @Test
        void matchPyro5ExceptForMessageSizeAndPyromeshAdditions() {
            PyroConfig config = PyroConfig.defaults();

            assertThat(config.host()).isEqualTo("localhost");
            assertThat(config.nsHost()).isEqualTo("localhost");
            assertThat(config.nsPort()).isEqualTo(9090);
            assertThat(config.nsBcPort()).isEqualTo(9091);
            assertThat(config.nsBcHost()).isNull();
            assertThat(config.nsMcGroup()).isEqualTo("239.255.90.91");
            assertThat(config.nsAutoclean()).isEqualTo(Duration.ZERO);
            assertThat(config.nsLookupDelay()).isEqualTo(Duration.ZERO);
            assertThat(config.natHost()).isNull();
            assertThat(config.natPort()).isZero();
            assertThat(config.compression()).isFalse();
            assertThat(config.serverType()).isEqualTo(PyroConfig.ServerType.THREAD);
            assertThat(config.commTimeout()).isEqualTo(Duration.ZERO);
            assertThat(config.maxRetries()).isZero();
            assertThat(config.threadpoolSize()).isEqualTo(80);
            assertThat(config.threadpoolSizeMin()).isEqualTo(4);
            assertThat(config.maxMessageSize()).isEqualTo(64 * 1024 * 1024);
            assertThat(config.broadcastAddrs()).containsExactly("<broadcast>", "0.0.0.0");
            assertThat(config.preferIpVersion()).isZero();
            assertThat(config.iterStreaming()).isTrue();
            assertThat(config.iterStreamLifetime()).isEqualTo(Duration.ZERO);
            assertThat(config.sessionTimeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(config.logLevel()).isNull();
            assertThat(config.logFile()).isNull();
            assertThat(config.ssl()).isFalse();
            assertThat(config.sslServerCert()).isEmpty();
            assertThat(config.sslServerKey()).isEmpty();
            assertThat(config.sslServerKeyPassword()).isEmpty();
            assertThat(config.sslRequireClientCert()).isFalse();
            assertThat(config.sslClientCert()).isEmpty();
            assertThat(config.sslClientKey()).isEmpty();
            assertThat(config.sslClientKeyPassword()).isEmpty();
            assertThat(config.sslCaCerts()).isEmpty();
        }

        @Test
        void getReturnsPyroTypedValues() {
            PyroConfig config = PyroConfig.defaults();

            assertThat(config.get("NS_PORT")).isEqualTo(9090);
            assertThat(config.get("COMMTIMEOUT")).isEqualTo(0.0);
            assertThat(config.get("SESSION_TIMEOUT")).isEqualTo(600.0);
            assertThat(config.get("SSL")).isEqualTo(false);
            assertThat(config.get("NATHOST")).isNull();
            assertThat(config.get("BROADCAST_ADDRS")).isEqualTo(List.of("<broadcast>", "0.0.0.0"));
        }

        @Test
        void comeFromTheDefaultSource() {
            assertThat(PyroConfig.defaults().source("HOST")).isEqualTo("default");
        }

        @Test
        void loadingNothingGivesTheDefaults() {
            assertThat(PyroConfig.load(Map.of(), Map.of())).isEqualTo(PyroConfig.defaults());
        }
    }

    @Nested
    class Sources {
        @Test
        void environmentOverridesDefaults() {
            PyroConfig config = env("PYRO_NS_PORT=9999");

            assertThat(config.nsPort()).isEqualTo(9999);
            assertThat(config.source("NS_PORT")).isEqualTo("environment");
            assertThat(config.source("NS_HOST")).isEqualTo("default");
        }

        @Test
        void systemPropertyOverridesEnvironment() {
            PyroConfig config = PyroConfig.load(
                    Map.of("PYRO_COMMTIMEOUT", "1", "PYRO_HOST", "envhost"),
                    Map.of("PYRO_COMMTIMEOUT", "2.5"));

            assertThat(config.commTimeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(config.source("COMMTIMEOUT")).isEqualTo("system property");
            assertThat(config.host()).isEqualTo("envhost");
            assertThat(config.source("HOST")).isEqualTo("environment");
        }

        @Test
        void codeOverridesSystemProperty() {
            PyroConfig config = PyroConfig.load(Map.of(), Map.of("PYRO_COMMTIMEOUT", "2.5"))
                    .with("COMMTIMEOUT", 7);

            assertThat(config.commTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(config.source("COMMTIMEOUT")).isEqualTo("code");
        }

        @Test
        void onlyPyroPrefixedKeysAreConsidered() {
            PyroConfig config = PyroConfig.load(
                    Map.of("HOME", "/root", "NS_PORT", "1", "pyro_ns_port", "2", "XPYRO_NS_PORT", "3"),
                    Map.of("java.version", "17", "user.dir", "/work"));

            assertThat(config).isEqualTo(PyroConfig.defaults());
        }

        @Test
        void fromEnvironmentReadsSystemProperties() {
            System.setProperty("PYRO_MAX_RETRIES", "3");
            try {
                PyroConfig config = PyroConfig.fromEnvironment();

                assertThat(config.maxRetries()).isEqualTo(3);
                assertThat(config.source("MAX_RETRIES")).isEqualTo("system property");
            } finally {
                System.clearProperty("PYRO_MAX_RETRIES");
            }
        }

        @Test
        void currentIsReadOnceFromTheEnvironmentUntilReplaced() {
            PyroConfig first = PyroConfig.current();
            assertThat(PyroConfig.current()).isSameAs(first);

            PyroConfig mine = PyroConfig.defaults().withNsHost("ns.example");
            PyroConfig.setCurrent(mine);
            assertThat(PyroConfig.current()).isSameAs(mine);
        }

        @Test
        void settingCurrentToNullRereadsTheEnvironment() {
            PyroConfig.setCurrent(PyroConfig.defaults().withNsHost("ns.example"));
            PyroConfig.setCurrent(null);
            System.setProperty("PYRO_NS_HOST", "from.property");
            try {
                assertThat(PyroConfig.current().nsHost()).isEqualTo("from.property");
            } finally {
                System.clearProperty("PYRO_NS_HOST");
            }
        }
    }

    @Nested
    class ItemNames {
        @ParameterizedTest
        @ValueSource(strings = {"NS_PORT", "ns_port", "Ns_Port", "PYRO_NS_PORT", "pyro_ns_port", " NS_PORT "})
        void areCaseInsensitiveWithOptionalPrefixInCode(String name) {
            PyroConfig config = PyroConfig.defaults().with(name, 9999);

            assertThat(config.nsPort()).isEqualTo(9999);
            assertThat(config.get(name)).isEqualTo(9999);
            assertThat(config.source(name)).isEqualTo("code");
        }

        @Test
        void areExactInTheEnvironmentLikePyro() {
            assertThatThrownBy(() -> env("PYRO_ns_port=9999"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid Pyro environment config variable: PYRO_ns_port");
        }

        @Test
        void unknownItemInCodeIsRefused() {
            assertThatThrownBy(() -> PyroConfig.defaults().with("ONEWAY_THREADED", true))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("unknown config item: ONEWAY_THREADED");
            assertThatThrownBy(() -> PyroConfig.defaults().get("nonsense"))
                    .hasMessage("unknown config item: nonsense");
            assertThatThrownBy(() -> PyroConfig.defaults().source("PYRO_"))
                    .hasMessage("unknown config item: PYRO_");
        }
    }

    @Nested
    class Parsing {
        @ParameterizedTest
        @CsvSource({
            "0, false", "off, false", "no, false", "false, false", "OFF, false", "False, false",
            "1, true", "on, true", "yes, true", "true, true", "YES, true", "True, true", "' on ', true"})
        void booleansAcceptPyrosWordsInAnyCase(String text, boolean expected) {
            assertThat(env("PYRO_SSL=" + text).ssl()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"9999, 9999", "+80, 80", "' 42 ', 42", "007, 7"})
        void integersAreDecimalDigitsWithOptionalSign(String text, int expected) {
            assertThat(env("PYRO_NS_PORT=" + text).nsPort()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"2.5, 2500", "2, 2000", ".5, 500", "1e1, 10000", "' 0.001 ', 1", "0, 0"})
        void floatsAreSecondsReadBackAsDurations(String text, long expectedMillis) {
            assertThat(env("PYRO_COMMTIMEOUT=" + text).commTimeout()).isEqualTo(Duration.ofMillis(expectedMillis));
        }

        @Test
        void listsAreSplitOnCommasAndStripped() {
            assertThat(env("PYRO_BROADCAST_ADDRS= 10.0.0.255 ,192.168.1.255").broadcastAddrs())
                    .containsExactly("10.0.0.255", "192.168.1.255");
        }

        @Test
        void listsDropEmptyElements() {
            assertThat(env("PYRO_BROADCAST_ADDRS=a,,b,").broadcastAddrs()).containsExactly("a", "b");
            assertThat(env("PYRO_BROADCAST_ADDRS=").broadcastAddrs()).isEmpty();
        }

        @Test
        void stringsAreTakenAsTheyAre() {
            PyroConfig config = env("PYRO_HOST= spaced ", "PYRO_NATHOST=None", "PYRO_LOGLEVEL=DEBUG");

            assertThat(config.host()).isEqualTo(" spaced ");
            assertThat(config.natHost()).isEqualTo("None");
            assertThat(config.logLevel()).isEqualTo("DEBUG");
        }

        @Test
        void serverTypeBecomesAnEnum() {
            assertThat(env("PYRO_SERVERTYPE=multiplex").serverType()).isEqualTo(PyroConfig.ServerType.MULTIPLEX);
        }

        @ParameterizedTest
        @ValueSource(strings = {"239.255.90.91", "224.0.0.1", "ff02::1", "FF05::1:3"})
        void multicastGroupsMayBeIpv4OrIpv6(String group) {
            assertThat(env("PYRO_NS_MCGROUP=" + group).nsMcGroup()).isEqualTo(group);
        }

        @Test
        void codeMayPassTypedValues() {
            PyroConfig config = PyroConfig.defaults()
                    .with("NS_PORT", 9999L)
                    .with("SSL", true)
                    .with("NS_AUTOCLEAN", Duration.ofSeconds(30))
                    .with("NS_LOOKUP_DELAY", 3)
                    .with("BROADCAST_ADDRS", List.of("10.0.0.255"))
                    .with("NATHOST", "public.example");

            assertThat(config.nsPort()).isEqualTo(9999);
            assertThat(config.ssl()).isTrue();
            assertThat(config.nsAutoclean()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.nsLookupDelay()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.broadcastAddrs()).containsExactly("10.0.0.255");
            assertThat(config.natHost()).isEqualTo("public.example");
            assertThat(config.with("NATHOST", null).natHost()).isNull();
        }

        @Test
        void codeMayPassTextParsedLikeTheEnvironment() {
            PyroConfig config = PyroConfig.defaults()
                    .with("NS_PORT", "9999")
                    .with("SSL", "yes")
                    .with("COMMTIMEOUT", "2.5")
                    .with("BROADCAST_ADDRS", "a, b");

            assertThat(config).isEqualTo(env(
                    "PYRO_NS_PORT=9999", "PYRO_SSL=yes", "PYRO_COMMTIMEOUT=2.5", "PYRO_BROADCAST_ADDRS=a, b"));
        }

        @Test
        void typedWithersSetTheCommonItems() {
            PyroConfig config = PyroConfig.defaults()
                    .withHost("0.0.0.0")
                    .withNsHost("ns.example")
                    .withNsPort(9999)
                    .withCommTimeout(Duration.ofMillis(1500))
                    .withMaxRetries(2)
                    .withMaxMessageSize(1024);

            assertThat(config.host()).isEqualTo("0.0.0.0");
            assertThat(config.nsHost()).isEqualTo("ns.example");
            assertThat(config.nsPort()).isEqualTo(9999);
            assertThat(config.commTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(config.get("COMMTIMEOUT")).isEqualTo(1.5);
            assertThat(config.maxRetries()).isEqualTo(2);
            assertThat(config.maxMessageSize()).isEqualTo(1024);
            assertThat(config.source("MAX_MESSAGE_SIZE")).isEqualTo("code");
        }

        @Test
        void hugeTimeoutsSaturateInsteadOfOverflowing() {
            assertThat(PyroConfig.defaults().with("COMMTIMEOUT", 1e300).commTimeout())
                    .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
        }
    }

    @Nested
    class Errors {
        @Test
        void unknownEnvironmentVariableIsFatalWithPyrosMessage() {
            assertThatThrownBy(() -> env("PYRO_ONEWAY_THREADED=1"))
                    .isInstanceOf(ConfigException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid Pyro environment config variable: PYRO_ONEWAY_THREADED");
        }

        @Test
        void unknownSystemPropertyIsFatalToo() {
            assertThatThrownBy(() -> PyroConfig.load(Map.of(), Map.of("PYRO_NS_PROT", "1")))
                    .hasMessage("invalid Pyro environment config variable: PYRO_NS_PROT");
        }

        @ParameterizedTest
        @EnumSource(InapplicableItem.class)
        void pyro5ItemsWithoutMeaningHereAreFatalWithAReason(InapplicableItem item) {
            String variable = "PYRO_" + item.name();

            assertThatThrownBy(() -> env(variable + "=1"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(variable + " is a Pyro5 setting that does not apply to Pyromesh: ");
            assertThatThrownBy(() -> PyroConfig.load(Map.of(), Map.of(variable, "1")))
                    .hasMessageStartingWith(variable + " is a Pyro5 setting");
            assertThatThrownBy(() -> PyroConfig.defaults().with(item.name().toLowerCase(), "1"))
                    .hasMessageStartingWith(item.name() + " is a Pyro5 setting that does not apply to Pyromesh: ");
        }

        @Test
        void inapplicableItemsSayWhy() {
            assertThatThrownBy(() -> env("PYRO_SERIALIZER=json")).hasMessage(
                    "PYRO_SERIALIZER is a Pyro5 setting that does not apply to Pyromesh: "
                            + "values always travel as protobuf Values, so there is no serializer to choose");
            assertThatThrownBy(() -> env("PYRO_SOCK_NODELAY=1")).hasMessageEndingWith("gRPC always sets TCP_NODELAY");
            assertThatThrownBy(() -> env("PYRO_ITER_STREAM_LINGER=5"))
                    .hasMessageContaining("a gRPC stream ends with its call, so there is nothing to linger");
            assertThatThrownBy(() -> PyroConfig.defaults().get("POLLTIMEOUT")).hasMessageContaining("event-driven");
        }

        @Test
        void badIntegerNamesVariableAndValue() {
            assertThatThrownBy(() -> env("PYRO_NS_PORT=12x"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid value for PYRO_NS_PORT: '12x' is not an integer");
            assertThatThrownBy(() -> env("PYRO_MAX_RETRIES=1.0"))
                    .hasMessage("invalid value for PYRO_MAX_RETRIES: '1.0' is not an integer");
            assertThatThrownBy(() -> env("PYRO_MAX_RETRIES="))
                    .hasMessage("invalid value for PYRO_MAX_RETRIES: '' is not an integer");
        }

        @Test
        void badBooleanUsesPyrosWording() {
            assertThatThrownBy(() -> env("PYRO_SSL=maybe"))
                    .hasMessage("invalid value for PYRO_SSL: invalid boolean value: maybe");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2,5", "abc", "inf", "nan", "2.5d", "0x10", "", "1e"})
        void badFloatIsNotANumber(String text) {
            assertThatThrownBy(() -> env("PYRO_COMMTIMEOUT=" + text))
                    .hasMessage("invalid value for PYRO_COMMTIMEOUT: '" + text + "' is not a number");
        }

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource(delimiter = '|', value = {
            "NS_PORT              | 65536       | 65536 is not between 0 and 65535",
            "NS_BCPORT            | -1          | -1 is not between 0 and 65535",
            "NATPORT              | 70000       | 70000 is not between 0 and 65535",
            "THREADPOOL_SIZE      | 0           | 0 is less than 1",
            "THREADPOOL_SIZE_MIN  | 0           | 0 is less than 1",
            "MAX_PENDING_CALLS    | 0           | 0 is less than 1",
            "MAX_RETRIES          | -1          | -1 is negative",
            "MAX_RETRIES          | 99999999999 | 99999999999 is out of range (at most 2147483647)",
            "MAX_RETRIES          | 99999999999999999999 | '99999999999999999999' is out of range",
            "MAX_MESSAGE_SIZE     | 0           | 0 is not between 1 and 2147483647 (gRPC message size limits are ints)",
            "MAX_MESSAGE_SIZE     | 2147483648  | 2147483648 is not between 1 and 2147483647 (gRPC message size limits are ints)",
            "SERVERTYPE           | Thread      | 'Thread' is not one of thread, multiplex",
            "PREFER_IP_VERSION    | 5           | 5 is not one of 0, 4, 6",
            "NS_AUTOCLEAN         | 2.9         | 2.9 is neither 0 (off) nor at least 3 seconds",
            "NS_AUTOCLEAN         | -3          | -3.0 is neither 0 (off) nor at least 3 seconds",
            "NS_LOOKUP_DELAY      | -0.5        | -0.5 is negative",
            "COMMTIMEOUT          | -1          | -1.0 is negative",
            "COMMTIMEOUT          | 1e999       | '1e999' is out of range",
            "ITER_STREAM_LIFETIME | -1          | -1.0 is negative",
            "SESSION_TIMEOUT      | 0           | 0.0 is not greater than 0",
            "NS_MCGROUP           | 10.0.0.1    | '10.0.0.1' is not a multicast group address",
            "NS_MCGROUP           | 239.256.0.1 | '239.256.0.1' is not a multicast group address",
            "NS_MCGROUP           | fe80::1     | 'fe80::1' is not a multicast group address",
            "NS_MCGROUP           | ffzz::1     | 'ffzz::1' is not a multicast group address",
            "NS_MCGROUP           | ff.example  | 'ff.example' is not a multicast group address",
            "SIDECAR              | localhost   | 'localhost' is not host:port",
            "SIDECAR              | ./u:/run/s  | './u:/run/s' is not host:port",
            "SIDECAR              | a@b:9101    | 'a@b:9101' is not host:port",
            "SIDECAR              | a:b:9101    | 'a:b:9101' is not host:port"})
        void outOfRangeValuesNameVariableValueAndLimit(String item, String text, String problem) {
            assertThatThrownBy(() -> env("PYRO_" + item + "=" + text))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid value for PYRO_" + item + ": " + problem);
        }

        @Test
        void acceptsTheEdgesOfEachRange() {
            PyroConfig config = env("PYRO_NS_PORT=0", "PYRO_NATPORT=65535", "PYRO_NS_AUTOCLEAN=3",
                    "PYRO_THREADPOOL_SIZE=1", "PYRO_THREADPOOL_SIZE_MIN=1", "PYRO_MAX_MESSAGE_SIZE=2147483647",
                    "PYRO_PREFER_IP_VERSION=6", "PYRO_SESSION_TIMEOUT=0.001");

            assertThat(config.nsPort()).isZero();
            assertThat(config.natPort()).isEqualTo(65535);
            assertThat(config.nsAutoclean()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.maxMessageSize()).isEqualTo(Integer.MAX_VALUE);
            assertThat(config.preferIpVersion()).isEqualTo(6);
            assertThat(config.sessionTimeout()).isEqualTo(Duration.ofMillis(1));
        }

        @Test
        void theSidecarIsAHostAndPortAndNoneByDefault() {
            assertThat(PyroConfig.defaults().sidecar()).isNull();
            assertThat(env("PYRO_SIDECAR=localhost:9101").sidecar()).isEqualTo("localhost:9101");
            assertThat(env("PYRO_SIDECAR=[::1]:9101").sidecar()).isEqualTo("[::1]:9101");
        }

        @Test
        void threadpoolMinimumAboveMaximumIsRefusedWithBothNames() {
            assertThatThrownBy(() -> env("PYRO_THREADPOOL_SIZE=2"))
                    .hasMessage("invalid value for THREADPOOL_SIZE_MIN: 4 is greater than PYRO_THREADPOOL_SIZE (2)");
            assertThatThrownBy(() -> PyroConfig.defaults().with("THREADPOOL_SIZE_MIN", 81))
                    .hasMessage("invalid value for THREADPOOL_SIZE_MIN: 81 is greater than THREADPOOL_SIZE (80)");
        }

        @Test
        void shrinkingThePoolInCodeLowersTheMinimumFirst() {
            PyroConfig config = PyroConfig.defaults().with("THREADPOOL_SIZE_MIN", 1).with("THREADPOOL_SIZE", 2);

            assertThat(config.threadpoolSize()).isEqualTo(2);
            assertThat(config.threadpoolSizeMin()).isEqualTo(1);
        }

        @Test
        void systemPropertyErrorsNameTheVariable() {
            assertThatThrownBy(() -> PyroConfig.load(Map.of(), Map.of("PYRO_NS_PORT", "x")))
                    .hasMessage("invalid value for PYRO_NS_PORT: 'x' is not an integer");
        }

        @Test
        void badEnvironmentValueIsFatalEvenWhenASystemPropertyOverridesIt() {
            assertThatThrownBy(() -> PyroConfig.load(Map.of("PYRO_NS_PORT", "x"), Map.of("PYRO_NS_PORT", "9999")))
                    .hasMessage("invalid value for PYRO_NS_PORT: 'x' is not an integer");
        }

        @Test
        void badValuesInCodeNameTheItem() {
            PyroConfig config = PyroConfig.defaults();

            assertThatThrownBy(() -> config.withNsPort(70000))
                    .hasMessage("invalid value for NS_PORT: 70000 is not between 0 and 65535");
            assertThatThrownBy(() -> config.with("ns_port", 2.5))
                    .hasMessage("invalid value for NS_PORT: 2.5 is not an integer");
            assertThatThrownBy(() -> config.with("SSL", "maybe"))
                    .hasMessage("invalid value for SSL: invalid boolean value: maybe");
            assertThatThrownBy(() -> config.with("SSL", 1))
                    .hasMessage("invalid value for SSL: invalid boolean value: 1");
            assertThatThrownBy(() -> config.with("COMMTIMEOUT", Double.NaN))
                    .hasMessage("invalid value for COMMTIMEOUT: NaN is not a finite number of seconds");
            assertThatThrownBy(() -> config.withCommTimeout(Duration.ofSeconds(-1)))
                    .hasMessage("invalid value for COMMTIMEOUT: -1.0 is negative");
            assertThatThrownBy(() -> config.with("BROADCAST_ADDRS", List.of(1, 2)))
                    .hasMessage("invalid value for BROADCAST_ADDRS: [1, 2] is not a list of strings");
            assertThatThrownBy(() -> config.withHost(null))
                    .hasMessage("invalid value for HOST: None is not allowed");
        }

        @Test
        void wronglyTypedPasswordIsNotEchoed() {
            assertThatThrownBy(() -> PyroConfig.defaults().with("SSL_SERVERKEYPASSWD", 123456))
                    .hasMessage("invalid value for SSL_SERVERKEYPASSWD: a value of type Integer is not a string");
        }
    }

    @Nested
    class Dump {
        @Test
        void listsEveryItemSortedByName() {
            assertThat(PyroConfig.defaults().dump().keySet())
                    .containsExactlyElementsOf(Arrays.stream(Item.values()).map(Item::name).sorted().toList())
                    .hasSize(38)
                    .startsWith("BROADCAST_ADDRS", "COMMTIMEOUT", "COMPRESSION", "CONSUL_ADDR");
        }

        @Test
        void printsValuesLikePyroCheckConfig() {
            Map<String, String> dump = PyroConfig.defaults().dump();

            assertThat(dump).containsEntry("NATHOST", "None")
                    .containsEntry("SSL", "False")
                    .containsEntry("ITER_STREAMING", "True")
                    .containsEntry("BROADCAST_ADDRS", "<broadcast>, 0.0.0.0")
                    .containsEntry("NS_PORT", "9090")
                    .containsEntry("SESSION_TIMEOUT", "600.0")
                    .containsEntry("MAX_PENDING_CALLS", "100000")
                    .containsEntry("SERVERTYPE", "thread")
                    .containsEntry("SSL_CACERTS", "");
        }

        @Test
        void masksPasswordsThatAreSet() {
            PyroConfig config = PyroConfig.defaults().with("SSL_SERVERKEYPASSWD", "hunter2");

            assertThat(config.dump()).containsEntry("SSL_SERVERKEYPASSWD", "***")
                    .containsEntry("SSL_CLIENTKEYPASSWD", "");
            assertThat(config.toString()).doesNotContain("hunter2");
            assertThat(config.sslServerKeyPassword()).isEqualTo("hunter2");
        }

        @Test
        void printedValuesReadBackAsTheSameConfig() {
            PyroConfig config = PyroConfig.defaults().withNsHost("ns.example").with("COMMTIMEOUT", 1e10)
                    .with("SSL", true).with("BROADCAST_ADDRS", List.of("a", "b"));
            Map<String, String> asEnvironment = new HashMap<>();
            config.dump().forEach((item, printed) -> {
                if (config.get(item) != null) {
                    asEnvironment.put("PYRO_" + item, printed);
                }
            });

            assertThat(PyroConfig.load(asEnvironment, Map.of())).isEqualTo(config);
        }

        @Test
        void isUnmodifiable() {
            assertThatThrownBy(() -> PyroConfig.defaults().dump().put("HOST", "x"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class ValueSemantics {
        @Test
        void withReturnsANewConfigAndLeavesTheOriginalAlone() {
            PyroConfig original = PyroConfig.defaults();

            PyroConfig changed = original.with("HOST", "0.0.0.0");

            assertThat(changed).isNotSameAs(original).isNotEqualTo(original);
            assertThat(original.host()).isEqualTo("localhost");
            assertThat(original.source("HOST")).isEqualTo("default");
            assertThat(PyroConfig.defaults().host()).isEqualTo("localhost");
        }

        @Test
        void withTheSameValueStillReturnsANewConfig() {
            PyroConfig original = PyroConfig.defaults();

            assertThat(original.withNsPort(9090)).isNotSameAs(original).isEqualTo(original);
        }

        @Test
        void listsCannotBeChangedThroughTheConfig() {
            List<String> given = new ArrayList<>(List.of("a"));
            PyroConfig config = PyroConfig.defaults().with("BROADCAST_ADDRS", given);
            given.add("b");

            assertThat(config.broadcastAddrs()).containsExactly("a");
            assertThatThrownBy(() -> config.broadcastAddrs().add("c"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void equalityIsByValueWhateverTheSource() {
            PyroConfig fromEnvironment = env("PYRO_NS_PORT=9999");
            PyroConfig fromCode = PyroConfig.defaults().withNsPort(9999);

            assertThat(fromEnvironment).isEqualTo(fromCode).hasSameHashCodeAs(fromCode);
        }
    }
}
