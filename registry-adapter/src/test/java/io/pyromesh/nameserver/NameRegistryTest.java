package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.nameserver.store.MemoryStore;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.testing.MutableClock;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The name server's rules and messages (PYRO-SEMANTICS §4.1), over the memory store. */
class NameRegistryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private NameRegistry registry;

    @BeforeEach
    void fresh() {
        registry = new NameRegistry(new MemoryStore(), clock);
        registry.registerSelf(PyroURI.parse("PYRO:Pyro.NameServer@localhost:9090"), Set.of("class:ns"));
    }

    private List<String> names(List<Registration> registrations) {
        return registrations.stream().map(Registration::name).toList();
    }

    @Test
    void registerAndLookUp() {
        registry.register("shop", "pyro:shop@host:9100", false, Set.of("kind:store"), null);
        Registration found = registry.lookup("shop");
        assertThat(found.uri()).as("canonical form").isEqualTo("PYRO:shop@host:9100");
        assertThat(found.metadata()).containsExactly("kind:store");
    }

    @Test
    void registeringAgainReplacesUnlessSafe() {
        registry.register("shop", "PYRO:a@h:1", false, null, null);
        registry.register("shop", "PYRO:b@h:1", false, null, null);
        assertThat(registry.lookup("shop").uri()).isEqualTo("PYRO:b@h:1");
        assertThatThrownBy(() -> registry.register("shop", "PYRO:c@h:1", true, null, null))
                .isInstanceOf(NamingError.class).hasMessage("name already registered: shop");
        assertThat(registry.lookup("shop").uri()).isEqualTo("PYRO:b@h:1");
    }

    @Test
    void unknownNamesAreNamingErrors() {
        assertThatThrownBy(() -> registry.lookup("nope")).isInstanceOf(NamingError.class).hasMessage("unknown name: nope");
        assertThatThrownBy(() -> registry.setMetadata("nope", Set.of("x"))).hasMessage("unknown name: nope");
        assertThat(registry.remove("nope")).isZero();
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> registry.register("", "PYRO:a@h:1", false, null, null)).isInstanceOf(NamingError.class)
                .hasMessage("a name must not be empty");
        String huge = "n".repeat(NameRegistry.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> registry.register(huge, "PYRO:a@h:1", false, null, null))
                .hasMessage("name too long: 1025 characters, at most 1024");
        assertThatThrownBy(() -> registry.register(null, "PYRO:a@h:1", false, null, null)).isInstanceOf(TypeError.class)
                .hasMessage("name must be a str");
        assertThatThrownBy(() -> registry.register("x", (String) null, false, null, null)).isInstanceOf(TypeError.class)
                .hasMessage("only URIs or strings can be registered");
        assertThatThrownBy(() -> registry.register("x", "not a uri", false, null, null)).isInstanceOf(PyroError.class)
                .hasMessage("invalid uri: not a uri");
        assertThatThrownBy(() -> registry.register("x", "PYRO:a@h:1", false, Set.of(""), null))
                .hasMessageStartingWith("a metadata tag must be 1 to 512 characters long");
        List<String> tooMany = Collections.nCopies(NameRegistry.MAX_TAGS + 1, "t").stream()
                .map(t -> t + Math.random()).toList();
        assertThatThrownBy(() -> registry.register("x", "PYRO:a@h:1", false, tooMany, null))
                .hasMessage("too many metadata tags: 65, at most 64");
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<String> notStrings = (List) Arrays.asList("ok", 42);
        assertThatThrownBy(() -> registry.register("x", "PYRO:a@h:1", false, notStrings, null)).isInstanceOf(TypeError.class)
                .hasMessage("metadata tags must be strings, not Integer");
    }

    @Test
    void listingByPrefixOrRegexButNotBoth() {
        registry.register("demo.a", "PYRO:a@h:1", false, null, null);
        registry.register("demo.b", "PYRO:b@h:1", false, null, null);
        registry.register("other", "PYRO:c@h:1", false, null, null);
        assertThat(names(registry.list(null, null))).containsExactly("Pyro.NameServer", "demo.a", "demo.b", "other");
        assertThat(names(registry.list("demo.", null))).containsExactly("demo.a", "demo.b");
        assertThat(names(registry.list(null, "d.*b"))).containsExactly("demo.b");
        assertThat(names(registry.list(null, "emo"))).as("anchored at the start, as re.match").isEmpty();
        assertThatThrownBy(() -> registry.list("demo", "d.*")).isInstanceOf(TypeError.class)
                .hasMessage("you can only filter on one thing at a time");
        assertThatThrownBy(() -> registry.list(null, "(unclosed")).isInstanceOf(NamingError.class)
                .hasMessageStartingWith("invalid regex: ");
    }

    @Test
    void aCatastrophicRegexIsStoppedNotWaitedFor() {
        registry.register("a".repeat(40) + "!", "PYRO:a@h:1", false, null, null);
        assertThatThrownBy(() -> registry.list(null, "((a*)*)*b")).isInstanceOf(NamingError.class)
                .hasMessage("regex took too long: ((a*)*)*b");
    }

    @Test
    void removingByNamePrefixOrRegexSparesTheNameServer() {
        registry.register("demo.a", "PYRO:a@h:1", false, null, null);
        registry.register("demo.b", "PYRO:b@h:1", false, null, null);
        registry.register("other", "PYRO:c@h:1", false, null, null);
        assertThat(registry.remove("demo.a")).isEqualTo(1);
        assertThat(registry.removePrefix("demo")).isEqualTo(1);
        assertThat(registry.removeRegex(".*")).isEqualTo(1);
        assertThat(registry.remove("Pyro.NameServer")).isZero();
        assertThat(names(registry.list(null, null))).containsExactly("Pyro.NameServer");
    }

    @Test
    void anEmptyPrefixOrRegexIsNoFilterAndRemovesNothing() {
        registry.register("demo.a", "PYRO:a@h:1", false, null, null);
        registry.register("other", "PYRO:c@h:1", false, null, null);
        assertThat(registry.removePrefix("")).isZero();
        assertThat(registry.removeRegex("")).isZero();
        assertThat(names(registry.list(null, null))).containsExactly("Pyro.NameServer", "demo.a", "other");
    }

    @Test
    void theNameServersOwnNameCannotBeTakenOver() {
        assertThatThrownBy(() -> registry.register("Pyro.NameServer", "PYRO:evil@attacker:1", false, null, null))
                .isInstanceOf(Refusal.class)
                .hasMessage("the name Pyro.NameServer is the name server's own and cannot be registered");
        assertThatThrownBy(() -> registry.register("Pyro.NameServer", PyroURI.parse("PYRO:evil@attacker:1"), true, null, null))
                .isInstanceOf(Refusal.class);
        assertThat(registry.lookup("Pyro.NameServer").uri()).isEqualTo("PYRO:Pyro.NameServer@localhost:9090");
    }

    @Test
    void aRegexEndsLikePythonsReMatch() {
        for (String name : List.of("a", "a\n", "a\r\n", "a\r", "a\u0085", "a\u2028", "a\u2029", "a\nb", "a\rb")) {
            registry.register(name, "PYRO:x@h:1", false, null, null);
        }
        assertThat(names(registry.list(null, "a$"))).as("$ matches at the end or before a final \\n only")
                .containsExactlyInAnyOrder("a", "a\n");
        assertThat(names(registry.list(null, "a\\Z"))).as("\\Z only at the very end").containsExactly("a");
        assertThat(names(registry.list(null, "a.b"))).as(". matches anything but \\n").containsExactly("a\rb");
        assertThat(registry.removeRegex("a$")).isEqualTo(2);
    }

    /** A search that runs into the regex time limit, on a thread of its own; get() gives its error. */
    private FutureTask<Throwable> slowSearch() {
        FutureTask<Throwable> search = new FutureTask<>(() -> {
            try {
                registry.list(null, "(.*a){20}$");
                return null;
            } catch (NamingError expected) {
                return expected;
            }
        });
        Thread thread = new Thread(search);
        thread.start();
        // until it is matching: java.util.regex is on its stack
        while (Arrays.stream(thread.getStackTrace()).noneMatch(frame -> frame.getClassName().startsWith("java.util.regex"))) {
            Thread.onSpinWait();
        }
        return search;
    }

    @Test
    void aSlowRegexHoldsUpNobodyElse() throws Exception {
        registry.register("a".repeat(30) + "!", "PYRO:a@h:1", false, null, null);
        registry.register("quick", "PYRO:q@h:1", false, null, null);
        FutureTask<Throwable> slow = slowSearch();
        assertThat(registry.lookup("quick").uri()).isEqualTo("PYRO:q@h:1");
        registry.register("meanwhile", "PYRO:m@h:1", false, null, null);
        assertThat(registry.remove("meanwhile")).isEqualTo(1);
        assertThat(slow.isDone()).as("the regex is still matching: nobody waited for it").isFalse();
        assertThat(slow.get()).hasMessage("regex took too long: (.*a){20}$");
    }

    @Test
    void onlyAFewRegexSearchesRunAtOnce() throws Exception {
        registry.register("a".repeat(30) + "!", "PYRO:a@h:1", false, null, null);
        List<FutureTask<Throwable>> slow = new ArrayList<>();
        for (int i = 0; i < NameRegistry.MAX_REGEX_SEARCHES; i++) {
            slow.add(slowSearch());
        }
        assertThatThrownBy(() -> registry.list(null, "a.*")).isInstanceOf(Refusal.class)
                .hasMessage("too many regex searches at once (at most 4); try again");
        assertThat(registry.list("a", null)).as("other searches go on").hasSize(1);
        for (FutureTask<Throwable> search : slow) {
            assertThat(search.get()).hasMessageStartingWith("regex took too long");
        }
        assertThat(names(registry.list(null, "a.*"))).hasSize(1);
    }

    @Test
    void metadataSearchAllOrAny() {
        registry.register("red.round", "PYRO:a@h:1", false, Set.of("red", "round"), null);
        registry.register("red.square", "PYRO:b@h:1", false, Set.of("red", "square"), null);
        registry.register("blue", "PYRO:c@h:1", false, Set.of("blue"), null);
        assertThat(names(registry.yplookup(Set.of("red", "round"), null))).containsExactly("red.round");
        assertThat(names(registry.yplookup(null, Set.of("round", "blue")))).containsExactly("blue", "red.round");
        assertThat(registry.yplookup(null, null)).isEmpty();
        assertThat(registry.yplookup(Set.of(), null)).isEmpty();
        assertThatThrownBy(() -> registry.yplookup(Set.of("red"), Set.of("blue"))).isInstanceOf(TypeError.class)
                .hasMessage("you can only filter on one thing at a time");
    }

    @Test
    void setMetadataReplacesOrClears() {
        registry.register("x", "PYRO:a@h:1", false, Set.of("old"), null);
        registry.setMetadata("x", Set.of("new", "newer"));
        assertThat(registry.lookup("x").metadata()).containsExactlyInAnyOrder("new", "newer");
        registry.setMetadata("x", null);
        assertThat(registry.lookup("x").metadata()).isEmpty();
    }

    @Test
    void aLeasedRegistrationDisappearsWhenItsLeaseEnds() {
        registry.register("leased", "PYRO:a@h:1", false, null, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(registry.lookup("leased").name()).isEqualTo("leased");
        assertThat(registry.leaseRemaining(registry.lookup("leased"))).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> registry.lookup("leased")).hasMessage("unknown name: leased");
        assertThat(names(registry.list(null, null))).containsExactly("Pyro.NameServer");
    }

    @Test
    void aLookupLeavesAnEndedLeaseToTheSweep() {
        registry.register("leased", "PYRO:a@h:1", false, null, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> registry.lookup("leased")).hasMessage("unknown name: leased");
        assertThat(registry.store().get("leased")).as("a lookup reads; on a shared store the entry may be another's").isPresent();
        assertThat(registry.expireLeases()).isEqualTo(1);
        assertThat(registry.store().get("leased")).isEmpty();
    }

    @Test
    void renewingKeepsALeaseAlive() {
        registry.register("leased", "PYRO:a@h:1", false, null, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(8));
            registry.renewLease("leased", Duration.ofSeconds(10));
            assertThat(registry.expireLeases()).as("a renewed lease must not be removed").isZero();
        }
        assertThat(registry.lookup("leased").uri()).isEqualTo("PYRO:a@h:1");
        clock.advance(Duration.ofSeconds(11));
        assertThat(registry.expireLeases()).isEqualTo(1);
        assertThatThrownBy(() -> registry.renewLease("leased", Duration.ofSeconds(10))).hasMessage("unknown name: leased");
    }

    @Test
    void theSweepRemovesOnlyExpiredLeases() {
        registry.register("short", "PYRO:a@h:1", false, null, Duration.ofSeconds(5));
        registry.register("long", "PYRO:b@h:1", false, null, Duration.ofSeconds(50));
        registry.register("forever", "PYRO:c@h:1", false, null, null);
        clock.advance(Duration.ofSeconds(6));
        assertThat(registry.expireLeases()).isEqualTo(1);
        assertThat(names(registry.list(null, null))).containsExactly("Pyro.NameServer", "forever", "long");
        assertThat(registry.count()).isEqualTo(3);
    }

    @Test
    void aRegistrationWithoutALeaseCannotBeGivenOne() {
        registry.register("forever", "PYRO:a@h:1", false, null, null);
        assertThatThrownBy(() -> registry.renewLease("forever", Duration.ofMillis(1))).isInstanceOf(NamingError.class)
                .hasMessage("the registration forever has no lease to renew");
        clock.advance(Duration.ofSeconds(1));
        assertThat(registry.expireLeases()).isZero();
        assertThat(registry.lookup("forever").expires()).isNull();
    }

    @Test
    void everyChangeIsLoggedWithItsCause() {
        long start = registry.changes().revision();
        registry.register("a", "PYRO:a@h:1", false, Set.of("t"), Duration.ofSeconds(5));
        registry.setMetadata("a", Set.of("u"));
        registry.renewLease("a", Duration.ofSeconds(5));
        registry.register("b", "PYRO:b@h:1", false, null, null);
        registry.remove("b");
        clock.advance(Duration.ofSeconds(6));
        registry.expireLeases();
        List<ChangeLog.Change> changes = registry.changes().after(start, 100);
        assertThat(changes).extracting(ChangeLog.Change::name, c -> c.current() == null, ChangeLog.Change::cause).containsExactly(
                tuple("a", false, ChangeLog.Cause.CLIENT),
                tuple("a", false, ChangeLog.Cause.CLIENT),
                tuple("b", false, ChangeLog.Cause.CLIENT),
                tuple("b", true, ChangeLog.Cause.CLIENT),
                tuple("a", true, ChangeLog.Cause.LEASE_EXPIRED));
        assertThat(changes.get(1).current().metadata()).as("the new metadata").containsExactly("u");
        assertThat(changes).extracting(ChangeLog.Change::revision).containsExactly(start + 1, start + 2, start + 3, start + 4, start + 5);
    }

    @Test
    void aLeaseMustBePositive() {
        assertThatThrownBy(() -> registry.register("x", "PYRO:a@h:1", false, null, Duration.ZERO))
                .hasMessageStartingWith("a lease must be longer than 0 seconds");
    }
}
