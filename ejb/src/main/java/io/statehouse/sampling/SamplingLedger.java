package io.statehouse.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where sampling calls are counted, each under every key it is admitted under (a provider's name, an
 * MCP server's name), with its tokens and latency once it ends. {@link SamplingBudgets} decides; a
 * ledger only counts, and makes "count, decide, record" one step that no other caller interleaves
 * with: in memory for one node ({@link #inMemory()}), in the database for every node of a cluster.
 */
public interface SamplingLedger {

    /** What a key spent since a window's start; {@code oldest} is the window's first call, null if none. */
    record Spent(long calls, long tokens, Instant oldest) {
        public static final Spent NONE = new Spent(0, 0, null);
    }

    /** What a key spent since its first call. */
    record Totals(long calls, long tokens, Duration latency) {
        public static final Totals NONE = new Totals(0, 0, Duration.ZERO);
    }

    /**
     * Reads what each key spent since its window's start, lets {@code check} refuse by throwing, then
     * records one call at {@code now} under every key; no other admission under one of these keys
     * comes between the reading and the recording.
     *
     * @param windowStarts each key (distinct, not blank) with the start of its window
     * @return the call's id, for {@link #record}
     */
    String admit(Map<String, Instant> windowStarts, Instant now, Consumer<Map<String, Spent>> check);

    /** What an admitted call cost, once it ended (successful or not), under the keys it was admitted under. */
    void record(String callId, Set<String> keys, long tokens, Duration latency);

    /** What a key spent since an instant. */
    Spent spent(String key, Instant since);

    /** What a key spent since its first call. */
    Totals totals(String key);

    /** A ledger in this node's memory: one node's count, lost with the node. */
    static SamplingLedger inMemory() {
        return new InMemorySamplingLedger();
    }
}
