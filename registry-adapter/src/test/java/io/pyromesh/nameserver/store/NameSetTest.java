package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameSetTest {
    @Test
    void behavesLikeAHashSetThroughGrowthAndShrinking() {
        Random random = new Random(42);
        NameSet names = new NameSet();
        Set<String> expected = new HashSet<>();
        // few distinct names, so that removals hit members, and phases that grow, then empty the set
        for (int phase = 0; phase < 6; phase++) {
            int addPercent = phase % 2 == 0 ? 90 : 5;
            for (int i = 0; i < 20_000; i++) {
                String name = "n" + random.nextInt(3000);
                boolean add = random.nextInt(100) < addPercent;
                assertThat(add ? names.add(new Registration(name, "PYRO:x@h:1", Set.of())) : names.remove(name))
                        .isEqualTo(add ? expected.add(name) : expected.remove(name));
            }
            assertThat(names.size()).isEqualTo(expected.size());
            Set<String> members = new HashSet<>();
            names.forEach(member -> members.add(member.name()));
            assertThat(members).isEqualTo(expected);
            for (int i = 0; i < 3000; i++) {
                assertThat(names.contains("n" + i)).isEqualTo(expected.contains("n" + i));
            }
        }
    }

    @Test
    void addingANameAgainReplacesItsRegistration() {
        NameSet names = new NameSet();
        names.add(new Registration("a", "PYRO:old@h:1", Set.of()));
        names.add(new Registration("b", "PYRO:b@h:1", Set.of()));
        assertThat(names.add(new Registration("a", "PYRO:new@h:1", Set.of()))).isFalse();
        Set<String> uris = new HashSet<>();
        names.forEach(member -> uris.add(member.uri()));
        assertThat(uris).containsExactlyInAnyOrder("PYRO:new@h:1", "PYRO:b@h:1");
    }
}
