package io.statehouse.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.Config;

import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingLedger.Spent;
import io.statehouse.sampling.SamplingLedger.Totals;

/**
 * Limits and accounting of sampling calls per key (a provider name, or an MCP server's name): at
 * most {@code statehouse.sampling.budget.<key>.calls} calls and {@code .tokens} tokens (read plus
 * written) in a rolling {@code .window} (ISO-8601, default one hour). A call is counted when it is
 * admitted, its tokens and latency when it ends. A key without limits is accounted, never refused.
 * The counting is the {@link SamplingLedger}'s: in the database, every node of a cluster spends one
 * budget. Thread-safe.
 */
public final class SamplingBudgets {

    /** The window when limits are set without one. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    /** A key's limits; a null limit is none. */
    public record Limit(Long calls, Long tokens, Duration window) {
        static final Limit NONE = new Limit(null, null, DEFAULT_WINDOW);

        boolean isNone() {
            return calls == null && tokens == null;
        }
    }

    /** What was spent under a key: in the current window and since its first call. */
    public record Usage(long callsInWindow, long tokensInWindow, long totalCalls, long totalTokens, Duration totalLatency) {
    }

    /** An admitted call; record what it cost when it ends, successful or not. */
    public interface Permit {
        void record(long tokens, Duration latency);
    }

    private final Config config;
    private final Clock clock;
    private final SamplingLedger ledger;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();

    /** Budgets read from the configuration when a key is first used, counted in this node's memory. */
    public SamplingBudgets(Config config, Clock clock) {
        this(config, clock, SamplingLedger.inMemory());
    }

    /** Budgets read from the configuration when a key is first used, counted in the given ledger. */
    public SamplingBudgets(Config config, Clock clock, SamplingLedger ledger) {
        this.config = config;
        this.clock = clock;
        this.ledger = ledger;
    }

    /** The limits configured for a key. */
    public Limit limit(String key) {
        return limits.computeIfAbsent(key, this::readLimit);
    }

    /**
     * Admits one call under all the given keys (null keys are skipped), or none.
     *
     * @throws SamplingException {@code OVER_BUDGET}, naming the key, the limit and when a call is possible again
     */
    public Permit admit(String... keys) {
        Instant now = clock.instant();
        Map<String, Instant> windowStarts = new LinkedHashMap<>();
        for (String key : keys) {
            if (key != null && !key.isBlank()) {
                windowStarts.putIfAbsent(key, now.minus(limit(key).window()));
            }
        }
        String callId = ledger.admit(windowStarts, now, spent -> spent.forEach((key, usage) -> check(key, limit(key), usage)));
        return (tokens, latency) -> ledger.record(callId, windowStarts.keySet(), Math.max(0, tokens), latency);
    }

    /** What was spent under a key. */
    public Usage usage(String key) {
        Spent spent = ledger.spent(key, clock.instant().minus(limit(key).window()));
        Totals totals = ledger.totals(key);
        return new Usage(spent.calls(), spent.tokens(), totals.calls(), totals.tokens(), totals.latency());
    }

    private static void check(String key, Limit limit, Spent spent) {
        if (limit.isNone()) {
            return;
        }
        String prefix = ProviderSettings.PREFIX + "budget." + key;
        if (limit.calls() != null && spent.calls() >= limit.calls()) {
            throw new SamplingException(Kind.OVER_BUDGET, "sampling budget '" + key + "' is spent: " + spent.calls()
                    + " calls in the last " + limit.window() + " (" + prefix + ".calls=" + limit.calls()
                    + "); the next call is possible after " + spent.oldest().plus(limit.window()), null);
        }
        if (limit.tokens() != null && spent.tokens() >= limit.tokens()) {
            throw new SamplingException(Kind.OVER_BUDGET, "sampling budget '" + key + "' is spent: " + spent.tokens()
                    + " tokens in the last " + limit.window() + " (" + prefix + ".tokens=" + limit.tokens()
                    + "); the next call is possible after " + spent.oldest().plus(limit.window()), null);
        }
    }

    private Limit readLimit(String key) {
        String prefix = ProviderSettings.PREFIX + "budget." + key + ".";
        Optional<Long> calls = ProviderSettings.string(config, prefix + "calls").map(v -> ProviderSettings.positiveLong(prefix + "calls", v));
        Optional<Long> tokens = ProviderSettings.string(config, prefix + "tokens").map(v -> ProviderSettings.positiveLong(prefix + "tokens", v));
        Duration window = ProviderSettings.string(config, prefix + "window").map(v -> ProviderSettings.duration(prefix + "window", v))
                .orElse(DEFAULT_WINDOW);
        Limit limit = new Limit(calls.orElse(null), tokens.orElse(null), window);
        return limit.isNone() ? Limit.NONE : limit;
    }
}
