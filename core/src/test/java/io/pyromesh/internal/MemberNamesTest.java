package io.pyromesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"_x", "__x", "__init__", "__call__", "__str__", "__getattr__", "___", "____", "__"})
    void privateNames(String name) {
        assertThat(MemberNames.isPrivate(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "echo", "__len__", "__dunder__", "x_", "a__b"})
    void publicNames(String name) {
        assertThat(MemberNames.isPrivate(name)).isFalse();
    }
}
