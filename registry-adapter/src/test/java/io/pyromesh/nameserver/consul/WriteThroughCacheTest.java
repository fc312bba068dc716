package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store.ExternalChange;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteThroughCacheTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final long AFTER_GRACE = WriteThroughCache.GRACE.toNanos() + 1;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000);
    private final WriteThroughCache cache = new WriteThroughCache(nanos::get);

    private static Instance instance(String id, int second, String uri) {
        return new Instance(id, "node", T.plusSeconds(second), new Registration("svc", uri, Set.of()));
    }

    @Test
    void anOwnWriteIsReadAtOnceAndNotReportedWhenConsulShowsIt() {
        Instance mine = instance("mine", 10, "PYRO:mine@h:1");
        long before = nanos.get() - 1;
        cache.written(mine, mine.registered());

        assertThat(cache.view().get("svc")).contains(mine.registration());
        assertThat(cache.reconcile("svc", null, before)).as("an answer that predates the write").isEmpty();
        assertThat(cache.view().get("svc")).contains(mine.registration());
        assertThat(cache.reconcile("svc", mine, nanos.get())).isEmpty();
        assertThat(cache.unconfirmed("svc")).isFalse();
    }

    @Test
    void aLaterWriteBySomeoneElseWinsAtOnceAndIsReported() {
        Instance mine = instance("mine", 10, "PYRO:mine@h:1");
        cache.written(mine, mine.registered());
        Instance theirs = instance("theirs", 11, "PYRO:theirs@h:2");

        assertThat(cache.reconcile("svc", theirs, nanos.get())).contains(new ExternalChange("svc", theirs.registration()));
        assertThat(cache.view().get("svc")).contains(theirs.registration());
    }

    @Test
    void anAnswerAskedForWellAfterTheWriteThatDoesNotShowItWins() {
        Instance mine = instance("mine", 10, "PYRO:mine@h:1");
        cache.written(mine, mine.registered());

        assertThat(cache.overdue(nanos.get() + AFTER_GRACE)).containsExactly("svc");
        assertThat(cache.reconcile("svc", null, nanos.get() + AFTER_GRACE))
                .as("someone else removed it").contains(new ExternalChange("svc", null));
        assertThat(cache.view().get("svc")).isEmpty();
    }

    @Test
    void anOwnRemovalIsNotUndoneByAnAnswerThatPredatesIt() {
        Instance older = instance("older", 1, "PYRO:older@h:1");
        cache.reconcile("svc", older, nanos.get());
        cache.removed("svc", T.plusSeconds(10));

        assertThat(cache.reconcile("svc", older, nanos.get())).isEmpty();
        assertThat(cache.view().get("svc")).isEmpty();
        assertThat(cache.reconcile("svc", null, nanos.get())).isEmpty();
        assertThat(cache.unconfirmed("svc")).isFalse();
    }

    @Test
    void aChangeNoWriteExplainsIsReportedOnce() {
        Instance theirs = instance("theirs", 1, "PYRO:theirs@h:1");

        assertThat(cache.reconcile("svc", theirs, nanos.get())).contains(new ExternalChange("svc", theirs.registration()));
        assertThat(cache.reconcile("svc", theirs, nanos.get())).isEmpty();
        assertThat(cache.reconcile("svc", null, nanos.get())).contains(new ExternalChange("svc", null));
    }
}
