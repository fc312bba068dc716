package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.nameserver.consul.CatalogMirror.Health;
import io.pyromesh.nameserver.store.Registration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogMirrorTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final CatalogMirror mirror = new CatalogMirror();

    private static Instance instance(String id, String node, int second, String name) {
        return new Instance(id, node, T.plusSeconds(second), new Registration(name, "PYRO:" + id + "@h:1", Set.of()));
    }

    @Test
    void ofTwoInstancesOfOneNameTheNewerIsVisible() {
        mirror.replaceHealth(Map.of("a", new Health(true, Set.of()), "b", new Health(true, Set.of())));
        mirror.replaceNode("a", List.of(instance("old", "a", 1, "svc")));
        Set<String> changed = mirror.replaceNode("b", List.of(instance("new", "b", 2, "svc")));

        assertThat(changed).containsExactly("svc");
        assertThat(mirror.visible("svc").map(Instance::id)).contains("new");
        assertThat(mirror.instances("svc")).hasSize(2);
    }

    @Test
    void aFailingCheckHidesItsInstanceAndAFailingNodeHidesAllOfIts() {
        mirror.replaceHealth(Map.of("a", new Health(true, Set.of())));
        mirror.replaceNode("a", List.of(instance("i1", "a", 1, "one"), instance("i2", "a", 1, "two")));

        assertThat(mirror.replaceHealth(Map.of("a", new Health(true, Set.of("i1"))))).containsExactly("one");
        assertThat(mirror.visible("one")).isEmpty();
        assertThat(mirror.visible("two")).isPresent();

        assertThat(mirror.replaceHealth(Map.of("a", new Health(false, Set.of("i1"))))).containsExactlyInAnyOrder("one", "two");
        assertThat(mirror.visible("two")).isEmpty();
    }

    @Test
    void aNodeThatLeavesTakesItsInstancesWithIt() {
        mirror.replaceHealth(Map.of("a", new Health(true, Set.of()), "b", new Health(true, Set.of())));
        mirror.replaceNode("b", List.of(instance("i1", "b", 1, "svc")));

        assertThat(mirror.replaceHealth(Map.of("a", new Health(true, Set.of())))).containsExactly("svc");
        assertThat(mirror.instances("svc")).isEmpty();
        assertThat(mirror.nodes()).containsExactly("a");
    }

    @Test
    void anUnchangedAnswerChangesNothing() {
        mirror.replaceHealth(Map.of("a", new Health(true, Set.of())));
        mirror.replaceNode("a", List.of(instance("i1", "a", 1, "svc")));

        assertThat(mirror.replaceNode("a", List.of(instance("i1", "a", 1, "svc")))).isEmpty();
        assertThat(mirror.replaceHealth(Map.of("a", new Health(true, Set.of())))).isEmpty();
    }
}
