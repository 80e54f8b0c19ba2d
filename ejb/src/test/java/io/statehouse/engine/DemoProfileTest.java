package io.statehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DemoProfileTest {

    @Test
    void embeddedH2DatabaseTurnsTheDemoOn() {
        assertThat(DemoProfile.enabled(Optional.empty(), "H2")).isTrue();
    }

    @Test
    void postgresqlHasNoDemoUserUnlessTheOperatorAsks() {
        assertThat(DemoProfile.enabled(Optional.empty(), "PostgreSQL")).isFalse();
        assertThat(DemoProfile.enabled(Optional.of(true), "PostgreSQL")).isTrue();
    }

    @Test
    void operatorCanTurnTheDemoOffOnH2() {
        assertThat(DemoProfile.enabled(Optional.of(false), "H2")).isFalse();
    }
}
