package io.statehouse.mcp.server.engine;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.mcp.server.CallKeyConflictException;
import io.statehouse.persistence.OwnTransactions;
import io.statehouse.persistence.ToolCallKeyTable;

/**
 * Tool calls that start their run once: a call that carries the key of an earlier call of the same
 * user (within {@code statehouse.mcp.idempotency-window}, a day by default) gets that call's run.
 * The key is claimed in the transaction that starts the run, so that two calls with one key, on one
 * node or two, start one run between them: the second waits for the first's commit and then finds
 * its run.
 */
@ApplicationScoped
public class CallKeys {

    /**
     * A call's key as it is kept.
     *
     * @param hash the user's key (SHA-256 of the user and the key)
     * @param call the call it names (SHA-256 of the tool and its arguments, their keys sorted)
     */
    public record Key(String hash, String call) {
    }

    /** Another call with the same key started its run while this one tried: that run is the call's. */
    static final class TakenMeanwhile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenMeanwhile(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(CallKeys.class.getName());
    /** Expired keys are purged at most this often, by the node that claims a key then. */
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    @Inject
    OwnTransactions own;

    @Inject
    @ConfigProperty(name = "statehouse.mcp.idempotency-window", defaultValue = "P1D")
    Duration window;

    private final AtomicLong lastPurge = new AtomicLong();

    public Key key(String userId, String callKey, String tool, Map<String, Object> arguments) {
        return new Key(sha256(userId + "\u0000" + callKey), sha256(tool + "\u0000" + canonical(arguments == null ? Map.of() : arguments)));
    }

    /**
     * The run that an earlier call with this key started, if it is within the window.
     *
     * @throws CallKeyConflictException when that call named another tool or other arguments
     */
    public Optional<String> earlierRun(Key key) {
        Optional<ToolCallKeyTable.Earlier> earlier = own.run(connection -> ToolCallKeyTable.find(connection, key.hash(), expiredBefore()));
        if (earlier.isPresent() && !earlier.get().call().equals(key.call())) {
            throw new CallKeyConflictException("This key was used at " + earlier.get().created() + " for another call (another tool or other arguments); "
                    + "a key names one call, so send a new key for this one");
        }
        return earlier.map(ToolCallKeyTable.Earlier::runId);
    }

    /**
     * Starts the run with the key claimed, in one transaction.
     *
     * @throws TakenMeanwhile when another call with the key committed first: nothing was started here
     */
    ProcessInstance startOnce(Key key, Supplier<ProcessInstance> start) {
        Instant now = Instant.now();
        ProcessInstance run;
        try {
            run = own.run(connection -> {
                ToolCallKeyTable.claim(connection, key.hash(), key.call(), now, now.minus(window));
                ProcessInstance started = start.get();
                ToolCallKeyTable.bind(connection, key.hash(), started.getId());
                return started;
            });
        } catch (OwnTransactions.DatabaseException e) {
            // A unique violation, or (H2) a lock that the other call held past the lock timeout: which, its row tells.
            if (OwnTransactions.DatabaseException.UNIQUE_VIOLATION.equals(e.sqlState()) || earlierRun(key).isPresent()) {
                throw new TakenMeanwhile(e);
            }
            throw e;
        }
        purgeNowAndThen(now);
        return run;
    }

    private Instant expiredBefore() {
        return Instant.now().minus(window);
    }

    private void purgeNowAndThen(Instant now) {
        long last = lastPurge.get();
        if (now.toEpochMilli() - last < PURGE_EVERY.toMillis() || !lastPurge.compareAndSet(last, now.toEpochMilli())) {
            return;
        }
        try {
            int purged = own.run(connection -> ToolCallKeyTable.purge(connection, now.minus(window)));
            if (purged > 0) {
                LOG.fine(() -> purged + " tool call keys older than " + window + " were purged");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Expired tool call keys could not be purged; the next claim tries again", e);
            lastPurge.set(last);
        }
    }

    /** The arguments as one text: map keys sorted, every value with its type, so that equal arguments make equal text. */
    static String canonical(Object value) {
        StringBuilder text = new StringBuilder();
        write(text, value);
        return text.toString();
    }

    private static void write(StringBuilder text, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((name, each) -> sorted.put(String.valueOf(name), each));
            text.append('{');
            sorted.forEach((name, each) -> {
                text.append(quoted(name)).append(':');
                write(text, each);
                text.append(',');
            });
            text.append('}');
        } else if (value instanceof List<?> list) {
            text.append('[');
            list.forEach(each -> {
                write(text, each);
                text.append(',');
            });
            text.append(']');
        } else if (value instanceof Number number) {
            // 1, 1.0 and 1.00 are one number, as JSON has it.
            String digits = number.toString();
            try {
                digits = new BigDecimal(digits).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException notFinite) {
                // NaN or an infinity: as it is.
            }
            text.append('n').append(digits);
        } else if (value == null) {
            text.append("null");
        } else if (value instanceof Boolean bool) {
            text.append(bool);
        } else {
            text.append(quoted(value.toString()));
        }
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
