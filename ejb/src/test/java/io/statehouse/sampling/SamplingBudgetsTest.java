package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.statehouse.sampling.SamplingException.Kind;

/** The budget rules: calls and tokens per rolling window, per key, and the accounting. */
class SamplingBudgetsTest {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    final MovableClock clock = new MovableClock(T0);

    SamplingBudgets budgets(Map<String, String> config) {
        return new SamplingBudgets(new MapConfig(config), clock);
    }

    @Test
    void callsOverTheLimitInTheWindowAreRejectedWithTheLimitAndWhenItFrees() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.everything.calls", "2",
                "statehouse.sampling.budget.everything.window", "PT1M"));
        budgets.admit("everything").record(10, Duration.ofMillis(5));
        clock.now = T0.plusSeconds(10);
        budgets.admit("everything").record(10, Duration.ofMillis(5));
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> budgets.admit("everything"));
        assertThat(e.kind()).isEqualTo(Kind.OVER_BUDGET);
        assertThat(e).hasMessage("sampling budget 'everything' is spent: 2 calls in the last PT1M "
                + "(statehouse.sampling.budget.everything.calls=2); the next call is possible after 2026-01-01T10:01:00Z");
    }

    @Test
    void theWindowRollsSoOldCallsStopCounting() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.s.calls", "1",
                "statehouse.sampling.budget.s.window", "PT1M"));
        budgets.admit("s").record(0, Duration.ZERO);
        clock.now = T0.plusSeconds(59);
        assertThatThrownBy(() -> budgets.admit("s")).isInstanceOf(SamplingException.class);
        clock.now = T0.plusSeconds(60);
        budgets.admit("s");
    }

    @Test
    void tokensReachingTheLimitRejectTheNextCall() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.claude.tokens", "1000"));
        budgets.admit("claude").record(600, Duration.ofMillis(300));
        budgets.admit("claude").record(400, Duration.ofMillis(200));
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> budgets.admit("claude"));
        assertThat(e.kind()).isEqualTo(Kind.OVER_BUDGET);
        assertThat(e).hasMessageContaining("1000 tokens in the last PT1H").hasMessageContaining("statehouse.sampling.budget.claude.tokens=1000");
    }

    @Test
    void aCallIsCountedWhenAdmittedSoConcurrentCallsCannotOvershoot() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.s.calls", "1"));
        budgets.admit("s");
        assertThatThrownBy(() -> budgets.admit("s")).isInstanceOf(SamplingException.class);
    }

    @Test
    void aCallUnderTwoKeysIsAdmittedUnderBothOrNeither() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.server.calls", "1"));
        budgets.admit("claude", "server").record(5, Duration.ofMillis(1));
        assertThatThrownBy(() -> budgets.admit("claude", "server")).isInstanceOf(SamplingException.class);
        assertThat(budgets.usage("claude").totalCalls()).as("the rejected call is not counted for the provider").isEqualTo(1);
    }

    @Test
    void keysWithoutLimitsAreAccountedAndNeverRejected() {
        SamplingBudgets budgets = budgets(Map.of());
        for (int i = 0; i < 100; i++) {
            budgets.admit("openai", null).record(-1, Duration.ofMillis(10));
        }
        budgets.admit("openai").record(30, Duration.ofMillis(10));
        SamplingBudgets.Usage usage = budgets.usage("openai");
        assertThat(usage.totalCalls()).isEqualTo(101);
        assertThat(usage.totalTokens()).as("unknown token counts (-1) count as none").isEqualTo(30);
        assertThat(usage.totalLatency()).isEqualTo(Duration.ofMillis(1010));
        assertThat(usage.callsInWindow()).isEqualTo(101);
        assertThat(usage.tokensInWindow()).isEqualTo(30);
    }

    @Test
    void malformedLimitsNameTheProperty() {
        SamplingBudgets budgets = budgets(Map.of("statehouse.sampling.budget.s.window", "one hour",
                "statehouse.sampling.budget.s.calls", "3"));
        assertThatThrownBy(() -> budgets.admit("s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("statehouse.sampling.budget.s.window is 'one hour'");
        SamplingBudgets negative = budgets(Map.of("statehouse.sampling.budget.s.calls", "-3"));
        assertThatThrownBy(() -> negative.admit("s")).hasMessageContaining("statehouse.sampling.budget.s.calls is '-3'");
    }
}
