package io.statehouse.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** {@link SamplingLedger#inMemory()}: one monitor for every key, windows as queues of calls. */
final class InMemorySamplingLedger implements SamplingLedger {

    private static final class Call {
        final String id;
        final Instant at;
        long tokens;

        Call(String id, Instant at) {
            this.id = id;
            this.at = at;
        }
    }

    private static final class Ledger {
        final Deque<Call> window = new ArrayDeque<>();
        long totalCalls;
        long totalTokens;
        Duration totalLatency = Duration.ZERO;

        void evict(Instant start) {
            while (!window.isEmpty() && !window.peekFirst().at.isAfter(start)) {
                window.removeFirst();
            }
        }

        Spent spent(Instant since) {
            long calls = 0;
            long tokens = 0;
            Instant oldest = null;
            for (Call call : window) {
                if (call.at.isAfter(since)) {
                    calls++;
                    tokens += call.tokens;
                    oldest = oldest == null ? call.at : oldest;
                }
            }
            return new Spent(calls, tokens, oldest);
        }
    }

    private final Map<String, Ledger> ledgers = new HashMap<>();

    @Override
    public synchronized String admit(Map<String, Instant> windowStarts, Instant now, Consumer<Map<String, Spent>> check) {
        Map<String, Spent> spent = new LinkedHashMap<>();
        windowStarts.forEach((key, start) -> {
            Ledger ledger = ledger(key);
            ledger.evict(start);
            spent.put(key, ledger.spent(start));
        });
        check.accept(spent);
        String id = UUID.randomUUID().toString();
        for (String key : windowStarts.keySet()) {
            Ledger ledger = ledger(key);
            ledger.window.addLast(new Call(id, now));
            ledger.totalCalls++;
        }
        return id;
    }

    @Override
    public synchronized void record(String callId, Set<String> keys, long tokens, Duration latency) {
        for (String key : keys) {
            Ledger ledger = ledger(key);
            for (Call call : ledger.window) {
                if (call.id.equals(callId)) {
                    call.tokens = tokens;
                }
            }
            ledger.totalTokens += tokens;
            ledger.totalLatency = ledger.totalLatency.plus(latency);
        }
    }

    @Override
    public synchronized Spent spent(String key, Instant since) {
        Ledger ledger = ledger(key);
        ledger.evict(since);
        return ledger.spent(since);
    }

    @Override
    public synchronized Totals totals(String key) {
        Ledger ledger = ledger(key);
        return new Totals(ledger.totalCalls, ledger.totalTokens, ledger.totalLatency);
    }

    private Ledger ledger(String key) {
        return ledgers.computeIfAbsent(key, k -> new Ledger());
    }
}
