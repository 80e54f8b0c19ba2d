package io.statehouse.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.statehouse.sampling.SamplingLedger;

/**
 * The sampling ledger of every node: {@code sh_sampling_key} (a row per key, locked while a call is
 * admitted under it, with its totals) and {@code sh_sampling_call} (a row per call and key, for the
 * windows). Each operation is a transaction of its own, so a call counts even when the job that made
 * it rolls back; keys are locked in their natural order, so two admissions never deadlock.
 */
@ApplicationScoped
public class SamplingLedgerTable implements SamplingLedger {

    /** How {@link SamplingLedgerTable} runs a transaction of its own. */
    @FunctionalInterface
    public interface Transactions {
        <T> T run(OwnTransactions.Work<T> work);
    }

    private Transactions transactions;

    /** For the container's proxy. */
    protected SamplingLedgerTable() {
    }

    @Inject
    SamplingLedgerTable(OwnTransactions own) {
        this.transactions = own::run;
    }

    /** A ledger whose transactions are run by the caller (a test on a plain connection). */
    public SamplingLedgerTable(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public String admit(Map<String, Instant> windowStarts, Instant now, Consumer<Map<String, Spent>> check) {
        Set<String> keys = new TreeSet<>(windowStarts.keySet());
        String callId = UUID.randomUUID().toString();
        for (int attempt = 0; ; attempt++) {
            List<String> missing = transactions.run(connection -> {
                List<String> absent = lock(connection, keys);
                if (!absent.isEmpty()) {
                    return absent;
                }
                Map<String, Spent> spent = new LinkedHashMap<>();
                for (Map.Entry<String, Instant> window : windowStarts.entrySet()) {
                    evict(connection, window.getKey(), window.getValue());
                    spent.put(window.getKey(), spent(connection, window.getKey(), window.getValue()));
                }
                check.accept(spent);
                for (String key : keys) {
                    recordCall(connection, callId, key, now);
                }
                return List.of();
            });
            if (missing.isEmpty()) {
                return callId;
            }
            if (attempt > 0) {
                throw new IllegalStateException("The sampling keys " + missing + " are still missing from sh_sampling_key after they were created");
            }
            missing.forEach(this::create);
        }
    }

    @Override
    public void record(String callId, Set<String> keys, long tokens, Duration latency) {
        transactions.run(connection -> {
            try (PreparedStatement call = connection.prepareStatement("update sh_sampling_call set tokens_ = ? where call_id_ = ?")) {
                call.setLong(1, tokens);
                call.setString(2, callId);
                call.executeUpdate();
            }
            try (PreparedStatement key = connection.prepareStatement(
                    "update sh_sampling_key set total_tokens_ = total_tokens_ + ?, total_latency_ms_ = total_latency_ms_ + ? where key_ = ?")) {
                for (String name : new TreeSet<>(keys)) {
                    key.setLong(1, tokens);
                    key.setLong(2, latency.toMillis());
                    key.setString(3, name);
                    key.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public Spent spent(String key, Instant since) {
        return transactions.run(connection -> spent(connection, key, since));
    }

    @Override
    public Totals totals(String key) {
        return transactions.run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select total_calls_, total_tokens_, total_latency_ms_ from sh_sampling_key where key_ = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? new Totals(row.getLong(1), row.getLong(2), Duration.ofMillis(row.getLong(3))) : Totals.NONE;
                }
            }
        });
    }

    /** Locks the keys' rows in order; returns the keys that have none yet. */
    private static List<String> lock(Connection connection, Set<String> keys) throws SQLException {
        List<String> absent = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("select key_ from sh_sampling_key where key_ = ? for update")) {
            for (String key : keys) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        absent.add(key);
                    }
                }
            }
        }
        return absent;
    }

    /** A key's row, unless another node created it first. */
    private void create(String key) {
        try {
            transactions.run(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into sh_sampling_key (key_, total_calls_, total_tokens_, total_latency_ms_) values (?, 0, 0, 0)")) {
                    insert.setString(1, key);
                    return insert.executeUpdate();
                }
            });
        } catch (OwnTransactions.DatabaseException e) {
            if (!OwnTransactions.DatabaseException.UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw e;
            }
        }
    }

    private static void evict(Connection connection, String key, Instant windowStart) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from sh_sampling_call where key_ = ? and at_ms_ <= ?")) {
            delete.setString(1, key);
            delete.setLong(2, windowStart.toEpochMilli());
            delete.executeUpdate();
        }
    }

    private static Spent spent(Connection connection, String key, Instant since) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(*), coalesce(sum(tokens_), 0), min(at_ms_) from sh_sampling_call where key_ = ? and at_ms_ > ?")) {
            select.setString(1, key);
            select.setLong(2, since.toEpochMilli());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long oldest = row.getLong(3);
                return new Spent(row.getLong(1), row.getLong(2), row.wasNull() ? null : Instant.ofEpochMilli(oldest));
            }
        }
    }

    private static void recordCall(Connection connection, String callId, String key, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into sh_sampling_call (call_id_, key_, at_ms_, tokens_) values (?, ?, ?, 0)")) {
            insert.setString(1, callId);
            insert.setString(2, key);
            insert.setLong(3, now.toEpochMilli());
            insert.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement("update sh_sampling_key set total_calls_ = total_calls_ + 1 where key_ = ?")) {
            update.setString(1, key);
            update.executeUpdate();
        }
    }
}
