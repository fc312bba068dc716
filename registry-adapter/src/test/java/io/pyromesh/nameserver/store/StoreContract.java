package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} does, as examples. A store's test extends this class and says how to make an
 * empty store; persistent stores extend {@link PersistentStoreContract}. Public because stores in other
 * modules (Consul) run it from this module's test-jar.
 */
public abstract class StoreContract {
    /** A lease end with a fraction of a second, which every store must keep. */
    protected static final Instant LEASE = Instant.parse("2030-01-01T12:00:00.250Z");

    /** The store under test, fresh for each test and closed after it. */
    protected Store store;

    /** A new, empty store. */
    protected abstract Store newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A registration without a lease. */
    protected static Registration registration(String name, String... tags) {
        return new Registration(name, "PYRO:obj@localhost:9090", Set.of(tags));
    }

    protected static List<String> names(List<Registration> registrations) {
        return registrations.stream().map(Registration::name).toList();
    }

    /** Puts registrations without tags under these names. */
    protected void putNames(String... names) {
        for (String name : names) {
            store.put(registration(name));
        }
    }

    @Test
    void getReturnsWhatWasPut() {
        Registration warehouse = new Registration("example.warehouse", "PYRO:obj_1@localhost:51234",
                Set.of("class:example.Warehouse", "region:eu"), LEASE);
        store.put(warehouse);

        assertThat(store.get("example.warehouse")).contains(warehouse);
        assertThat(store.get("example.unknown")).isEmpty();
    }

    @Test
    void putReplacesTheRegistrationOfTheSameName() {
        store.put(new Registration("svc", "PYRO:old@localhost:1", Set.of("old"), LEASE));
        Registration replacement = new Registration("svc", "PYRO:new@localhost:2", Set.of("new"));
        store.put(replacement);

        assertThat(store.get("svc")).contains(replacement);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.withAnyMetadata(Set.of("old"))).isEmpty();
        assertThat(store.withAnyMetadata(Set.of("new"))).containsExactly(replacement);
        assertThat(store.expiredAt(LEASE)).as("the old lease went with the old registration").isEmpty();
    }

    @Test
    void putIfAbsentAddsOnlyAnUnregisteredName() {
        Registration first = registration("svc", "first");

        assertThat(store.putIfAbsent(first)).isTrue();
        assertThat(store.putIfAbsent(registration("svc", "second"))).isFalse();
        assertThat(store.get("svc")).contains(first);
        assertThat(store.withAnyMetadata(Set.of("second"))).isEmpty();
    }

    @Test
    void removeSaysWhetherTheNameWasRegisteredAndLeavesNoTrace() {
        store.put(new Registration("svc", "PYRO:obj@localhost:1", Set.of("tag"), LEASE));

        assertThat(store.remove("svc")).isTrue();
        assertThat(store.remove("svc")).isFalse();
        assertThat(store.get("svc")).isEmpty();
        assertThat(store.withPrefix("")).isEmpty();
        assertThat(store.withAnyMetadata(Set.of("tag"))).isEmpty();
        assertThat(store.expiredAt(LEASE)).isEmpty();
    }

    @Test
    void removeAllCountsOnlyTheNamesThatWereRegistered() {
        putNames("a", "b", "c");

        assertThat(store.removeAll(List.of("a", "c", "unknown"))).isEqualTo(2);
        assertThat(names(store.withPrefix(""))).containsExactly("b");
        assertThat(store.removeAll(List.of())).isZero();
    }

    @Test
    void countFollowsPutsAndRemoves() {
        assertThat(store.count()).isZero();
        putNames("a", "b", "c");
        store.put(registration("b", "replaced"));
        assertThat(store.count()).isEqualTo(3);
        store.remove("a");
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void theEmptyPrefixListsEverythingSortedByName() {
        putNames("zeta", "Alpha", "alpha", "beta");

        assertThat(names(store.withPrefix(""))).containsExactly("Alpha", "alpha", "beta", "zeta");
    }

    @Test
    void aPrefixIsAStringPrefixNotAPathInAHierarchy() {
        putNames("demo", "demo.a", "demo.a.b", "demonstration", "dem", "other.demo");

        assertThat(names(store.withPrefix("demo"))).containsExactly("demo", "demo.a", "demo.a.b", "demonstration");
        assertThat(names(store.withPrefix("demo."))).containsExactly("demo.a", "demo.a.b");
        assertThat(names(store.withPrefix("demo.a.b.c"))).isEmpty();
    }

    @Test
    void aPrefixIsCaseSensitive() {
        putNames("Demo.x", "demo.x", "DEMO.x");

        assertThat(names(store.withPrefix("demo"))).containsExactly("demo.x");
    }

    @Test
    void percentAndUnderscoreInAPrefixAreOrdinaryCharacters() {
        putNames("100%", "100%.a", "1000", "100", "a_b", "axb", "a_", "a");

        assertThat(names(store.withPrefix("100%"))).containsExactly("100%", "100%.a");
        assertThat(names(store.withPrefix("a_"))).containsExactly("a_", "a_b");
    }

    @Test
    void aPrefixMatchesAnyUnicodeExactly() {
        // U+FFFF ends the Basic Multilingual Plane; U+1F600 and U+10FFFF are surrogate pairs in Java
        putNames("emoji.\uD83D\uDE00", "emoji.\uD83D\uDE00.more", "emoji.\uD83D\uDE01", "emoji.\uFFFF",
                "emoji.\uFFFF\uFFFF", "emoji.\uDBFF\uDFFF", "emoji", "emojj", "caf\u00e9", "cafe\u0301");

        assertThat(names(store.withPrefix("emoji.\uD83D\uDE00")))
                .containsExactly("emoji.\uD83D\uDE00", "emoji.\uD83D\uDE00.more");
        assertThat(names(store.withPrefix("emoji.\uFFFF"))).containsExactly("emoji.\uFFFF", "emoji.\uFFFF\uFFFF");
        assertThat(names(store.withPrefix("emoji.\uDBFF\uDFFF"))).containsExactly("emoji.\uDBFF\uDFFF");
        assertThat(names(store.withPrefix("caf\u00e9"))).as("no Unicode normalisation").containsExactly("caf\u00e9");
    }

    @Test
    void namesSortByCodePointAsPythonSortsThem() {
        // String.compareTo would put U+1F600 (a surrogate pair, 0xD83D...) before U+E000 and U+FFFD
        putNames("\uD83D\uDE00", "\uFFFD", "\uE000", "z", "\uD7FF");

        assertThat(names(store.withPrefix(""))).containsExactly("z", "\uD7FF", "\uE000", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void withAllMetadataFindsTheRegistrationsHoldingEveryTag() {
        store.put(registration("xyz", "x", "y", "z"));
        store.put(registration("xy", "x", "y"));
        store.put(registration("x", "x"));
        store.put(registration("none"));

        assertThat(names(store.withAllMetadata(Set.of("x", "y")))).containsExactly("xy", "xyz");
        assertThat(names(store.withAllMetadata(Set.of("x")))).containsExactly("x", "xy", "xyz");
        assertThat(names(store.withAllMetadata(Set.of("x", "unknown")))).isEmpty();
    }

    @Test
    void withAnyMetadataFindsTheRegistrationsHoldingSomeTag() {
        store.put(registration("xyz", "x", "y", "z"));
        store.put(registration("xy", "x", "y"));
        store.put(registration("x", "x"));
        store.put(registration("none"));

        assertThat(names(store.withAnyMetadata(Set.of("y", "unknown")))).containsExactly("xy", "xyz");
        assertThat(names(store.withAnyMetadata(Set.of("x", "z")))).as("each once").containsExactly("x", "xy", "xyz");
        assertThat(names(store.withAnyMetadata(Set.of("unknown")))).isEmpty();
    }

    @Test
    void noTagsMatchNothingAndARegistrationWithoutTagsIsNeverFound() {
        store.put(registration("untagged"));
        store.put(registration("tagged", "t"));

        assertThat(store.withAllMetadata(Set.of())).isEmpty();
        assertThat(store.withAnyMetadata(Set.of())).isEmpty();
        assertThat(names(store.withAnyMetadata(Set.of("t", "")))).containsExactly("tagged");
    }

    @Test
    void metadataSearchResultsAreSortedByName() {
        for (String name : List.of("d", "c", "b", "a")) {
            store.put(registration(name, "common", "own:" + name));
        }

        assertThat(names(store.withAllMetadata(Set.of("common")))).containsExactly("a", "b", "c", "d");
        assertThat(names(store.withAnyMetadata(Set.of("own:d", "own:b")))).containsExactly("b", "d");
    }

    @Test
    void tagsMatchExactly() {
        store.put(registration("lower", "class:a"));
        store.put(registration("upper", "class:A"));
        store.put(registration("wild", "class:%", "class:_"));

        assertThat(names(store.withAnyMetadata(Set.of("class:a")))).containsExactly("lower");
        assertThat(names(store.withAnyMetadata(Set.of("class:%")))).containsExactly("wild");
        assertThat(names(store.withAnyMetadata(Set.of("class:"))))
                .as("a tag is not a prefix").isEmpty();
    }

    @Test
    void setMetadataReplacesTheTagsAndKeepsTheRest() {
        store.put(new Registration("svc", "PYRO:obj@localhost:1", Set.of("old", "kept"), LEASE));

        assertThat(store.setMetadata("svc", Set.of("kept", "new"))).isTrue();

        assertThat(store.get("svc")).contains(
                new Registration("svc", "PYRO:obj@localhost:1", Set.of("kept", "new"), LEASE));
        assertThat(store.withAnyMetadata(Set.of("old"))).isEmpty();
        assertThat(names(store.withAllMetadata(Set.of("kept", "new")))).containsExactly("svc");
    }

    @Test
    void searchesReturnRegistrationsAsTheyAreNow() {
        store.put(new Registration("svc", "PYRO:old@localhost:1", Set.of("a", "b"), LEASE));
        store.put(new Registration("svc", "PYRO:new@localhost:1", Set.of("a", "b"), LEASE));
        store.setExpires("svc", LEASE.plusSeconds(60));
        store.setMetadata("svc", Set.of("a", "b", "c"));

        Registration now = new Registration("svc", "PYRO:new@localhost:1", Set.of("a", "b", "c"), LEASE.plusSeconds(60));
        assertThat(store.withAllMetadata(Set.of("a", "b"))).containsExactly(now);
        assertThat(store.withAnyMetadata(Set.of("c"))).containsExactly(now);
        assertThat(store.expiredAt(LEASE.plusSeconds(60))).containsExactly(now);
    }

    @Test
    void setMetadataWithNoTagsClearsThem() {
        store.put(registration("svc", "tag"));

        assertThat(store.setMetadata("svc", Set.of())).isTrue();

        assertThat(store.get("svc").orElseThrow().metadata()).isEmpty();
        assertThat(store.withAnyMetadata(Set.of("tag"))).isEmpty();
    }

    @Test
    void setMetadataOfAnUnregisteredNameIsFalse() {
        assertThat(store.setMetadata("unknown", Set.of("tag"))).isFalse();
        assertThat(store.count()).isZero();
    }

    @Test
    void aLeaseHasExpiredAtOrAfterItsEnd() {
        store.put(registration("unleased"));
        putNames("b", "a");
        store.setExpires("b", LEASE);
        store.setExpires("a", LEASE.minusSeconds(60));

        assertThat(names(store.expiredAt(LEASE.minusSeconds(61)))).isEmpty();
        assertThat(names(store.expiredAt(LEASE.minusMillis(1)))).containsExactly("a");
        assertThat(names(store.expiredAt(LEASE))).containsExactly("a", "b");
        assertThat(names(store.expiredAt(LEASE.plusSeconds(3600)))).containsExactly("a", "b");
    }

    @Test
    void setExpiresKeepsUriAndTags() {
        Registration svc = registration("svc", "tag");
        store.put(svc);

        assertThat(store.setExpires("svc", LEASE)).isTrue();

        assertThat(store.get("svc")).contains(svc.withExpires(LEASE));
    }

    @Test
    void aClearedLeaseNoLongerExpires() {
        store.put(registration("svc").withExpires(LEASE));

        assertThat(store.setExpires("svc", null)).isTrue();

        assertThat(store.expiredAt(LEASE.plusSeconds(3600))).isEmpty();
        assertThat(store.get("svc").orElseThrow().expires()).isNull();
    }

    @Test
    void setExpiresOfAnUnregisteredNameIsFalse() {
        assertThat(store.setExpires("unknown", LEASE)).isFalse();
        assertThat(store.expiredAt(LEASE)).isEmpty();
    }

    @Test
    void theEmptyStringIsAName() {
        store.put(registration("", "tag"));
        putNames("a");

        assertThat(store.get("")).contains(registration("", "tag"));
        assertThat(names(store.withPrefix(""))).containsExactly("", "a");
        assertThat(names(store.withAnyMetadata(Set.of("tag")))).containsExactly("");
        assertThat(store.remove("")).isTrue();
        assertThat(names(store.withPrefix(""))).containsExactly("a");
    }

    @Test
    void namesAndTagsMayBeTenThousandCharactersLong() {
        String longName = "n".repeat(10_000);
        String longTag = "t".repeat(10_000);
        store.put(registration(longName + ".a", longTag));
        store.put(registration(longName + ".b"));
        putNames("n");

        assertThat(store.get(longName + ".a")).contains(registration(longName + ".a", longTag));
        assertThat(names(store.withPrefix(longName))).containsExactly(longName + ".a", longName + ".b");
        assertThat(names(store.withAllMetadata(Set.of(longTag)))).containsExactly(longName + ".a");
    }

    @Test
    void aRegistrationMayCarryAThousandTags() {
        String[] tags = IntStream.range(0, 1000).mapToObj(i -> "tag:" + i).toArray(String[]::new);
        store.put(registration("many", tags));
        store.put(registration("few", "tag:0", "tag:999"));

        assertThat(store.get("many").orElseThrow().metadata()).hasSize(1000);
        assertThat(names(store.withAllMetadata(Set.of(tags)))).containsExactly("many");
        assertThat(names(store.withAnyMetadata(Set.of(tags)))).containsExactly("few", "many");
    }

    /**
     * How many registrations the case of a tag on thousands of them uses. A store whose backend pays for
     * every registration it holds on every write (a Consul agent's) may use fewer, so that the suite runs
     * in seconds rather than minutes; the case is the same.
     */
    protected int manyRegistrations() {
        return 5000;
    }

    @Test
    void aTagOnThousandsOfRegistrationsFindsThemAllAlsoAfterMostAreRemoved() {
        List<String> all = IntStream.range(0, manyRegistrations()).mapToObj(i -> String.format("svc.%04d", i)).toList();
        for (String name : all) {
            store.put(registration(name, "common"));
        }
        assertThat(names(store.withAnyMetadata(Set.of("common")))).isEqualTo(all);

        assertThat(store.removeAll(all.subList(10, all.size()))).isEqualTo(all.size() - 10);
        assertThat(names(store.withAnyMetadata(Set.of("common")))).isEqualTo(all.subList(0, 10));

        store.removeAll(all.subList(1, 10));
        assertThat(names(store.withAllMetadata(Set.of("common")))).containsExactly("svc.0000");
    }
}
