package io.statehouse.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.Config;

import io.statehouse.sampling.SamplingException.Kind;

/**
 * Limits and accounting of sampling calls per key (a provider name, or an MCP server's name): at
 * most {@code statehouse.sampling.budget.<key>.calls} calls and {@code .tokens} tokens (read plus
 * written) in a rolling {@code .window} (ISO-8601, default one hour). A call is counted when it is
 * admitted, its tokens and latency when it ends. A key without limits is accounted, never refused.
 * Thread-safe; in memory on one node.
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

    /** What was spent under a key: in the current window and since start. */
    public record Usage(long callsInWindow, long tokensInWindow, long totalCalls, long totalTokens, Duration totalLatency) {
    }

    /** An admitted call; record what it cost when it ends, successful or not. */
    public interface Permit {
        void record(long tokens, Duration latency);
    }

    private final Config config;
    private final Clock clock;
    private final Map<String, Limit> limits = new ConcurrentHashMap<>();
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();

    /** Budgets read from the configuration when a key is first used. */
    public SamplingBudgets(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
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
    public synchronized Permit admit(String... keys) {
        Instant now = clock.instant();
        List<Entry> entries = new ArrayList<>();
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String key : keys) {
            if (key != null && !key.isBlank()) {
                distinct.add(key);
            }
        }
        for (String key : distinct) {
            ledger(key).check(key, limit(key), now);
        }
        for (String key : distinct) {
            entries.add(ledger(key).open(now));
        }
        return (tokens, latency) -> {
            synchronized (SamplingBudgets.this) {
                long spent = Math.max(0, tokens);
                for (int i = 0; i < entries.size(); i++) {
                    entries.get(i).tokens = spent;
                }
                for (String key : distinct) {
                    ledger(key).close(spent, latency);
                }
            }
        };
    }

    /** What was spent under a key. */
    public synchronized Usage usage(String key) {
        Ledger ledger = ledger(key);
        ledger.evict(limit(key).window(), clock.instant());
        long tokens = ledger.window.stream().mapToLong(e -> e.tokens).sum();
        return new Usage(ledger.window.size(), tokens, ledger.totalCalls, ledger.totalTokens, ledger.totalLatency);
    }

    private Ledger ledger(String key) {
        return ledgers.computeIfAbsent(key, k -> new Ledger());
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

    private static final class Entry {
        final Instant at;
        long tokens;

        Entry(Instant at) {
            this.at = at;
        }
    }

    private static final class Ledger {
        final Deque<Entry> window = new ArrayDeque<>();
        long totalCalls;
        long totalTokens;
        Duration totalLatency = Duration.ZERO;

        void evict(Duration length, Instant now) {
            Instant start = now.minus(length);
            while (!window.isEmpty() && !window.peekFirst().at.isAfter(start)) {
                window.removeFirst();
            }
        }

        void check(String key, Limit limit, Instant now) {
            evict(limit.window(), now);
            if (limit.isNone()) {
                return;
            }
            String prefix = ProviderSettings.PREFIX + "budget." + key;
            if (limit.calls() != null && window.size() >= limit.calls()) {
                throw new SamplingException(Kind.OVER_BUDGET, "sampling budget '" + key + "' is spent: " + window.size()
                        + " calls in the last " + limit.window() + " (" + prefix + ".calls=" + limit.calls()
                        + "); the next call is possible after " + window.peekFirst().at.plus(limit.window()), null);
            }
            long tokens = window.stream().mapToLong(e -> e.tokens).sum();
            if (limit.tokens() != null && tokens >= limit.tokens()) {
                throw new SamplingException(Kind.OVER_BUDGET, "sampling budget '" + key + "' is spent: " + tokens
                        + " tokens in the last " + limit.window() + " (" + prefix + ".tokens=" + limit.tokens()
                        + "); the next call is possible after " + window.peekFirst().at.plus(limit.window()), null);
            }
        }

        Entry open(Instant now) {
            Entry entry = new Entry(now);
            window.addLast(entry);
            totalCalls++;
            return entry;
        }

        void close(long tokens, Duration latency) {
            totalTokens += tokens;
            totalLatency = totalLatency.plus(latency);
        }
    }
}
