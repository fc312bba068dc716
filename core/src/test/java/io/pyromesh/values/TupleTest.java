package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TupleTest {
    @Test
    void holdsItsItemsInOrderIncludingNull() {
        Tuple tuple = Tuple.of(1, "a", null);

        assertThat(tuple).containsExactly(1, "a", null);
        assertThat(tuple.size()).isEqualTo(3);
        assertThat(tuple.get(2)).isNull();
    }

    @Test
    void isImmutable() {
        Tuple tuple = Tuple.of(1, 2);

        assertThatThrownBy(() -> tuple.add(3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tuple.set(0, 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> tuple.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(tuple::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void doesNotSeeLaterChangesToWhatItWasMadeFrom() {
        Object[] array = {1, 2};
        List<Object> list = new ArrayList<>(List.of(1, 2));
        Tuple fromArray = Tuple.of(array);
        Tuple fromList = Tuple.copyOf(list);

        array[0] = 99;
        list.set(0, 99);
        fromArray.toArray()[1] = 99;

        assertThat(fromArray).containsExactly(1, 2);
        assertThat(fromList).containsExactly(1, 2);
    }

    @Test
    void equalsAListWithTheSameItems() {
        assertThat(Tuple.of(1, "a")).isEqualTo(Arrays.asList(1, "a")).hasSameHashCodeAs(List.of(1, "a"));
        assertThat(Tuple.of(1, "a")).isNotEqualTo(Tuple.of("a", 1));
    }

    @Test
    void printsLikeAPythonTuple() {
        assertThat(Tuple.of(1, "a")).hasToString("(1, a)");
        assertThat(Tuple.of(1)).hasToString("(1,)");
        assertThat(Tuple.of()).hasToString("()");
        assertThat(Tuple.of(Tuple.of(1, null))).hasToString("((1, null),)");
    }
}
