package io.statehouse.mcp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class DemoMcpServerListenerTest {

    private static final Supplier<String> DATABASE_MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("the database was asked although the operator configured the demo profile");
    };

    @Test
    void onTheEmbeddedH2TheDemoServerIsOn() {
        assertThat(DemoMcpServerListener.decide(Optional.empty(), () -> "H2"))
                .isEqualTo(new DemoMcpServerListener.Decision(true, "database H2"));
    }

    @Test
    void onAnyOtherDatabaseItIsOff() {
        assertThat(DemoMcpServerListener.decide(Optional.empty(), () -> "PostgreSQL").on()).isFalse();
        assertThat(DemoMcpServerListener.decide(Optional.empty(), () -> "unknown").on()).isFalse();
    }

    @Test
    void whatTheOperatorConfiguredWinsWithoutAskingTheDatabase() {
        assertThat(DemoMcpServerListener.decide(Optional.of(true), DATABASE_MUST_NOT_BE_ASKED))
                .isEqualTo(new DemoMcpServerListener.Decision(true, "statehouse.demo=true"));
        assertThat(DemoMcpServerListener.decide(Optional.of(false), DATABASE_MUST_NOT_BE_ASKED).on()).isFalse();
    }
}
