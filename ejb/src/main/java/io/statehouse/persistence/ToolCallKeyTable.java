package io.statehouse.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code sh_tool_call_key}: the tool calls that start their run once. Every statement runs on the
 * connection it is given, in that connection's transaction: {@link #claim} and {@link #bind} in the
 * one that starts the run, so that a second call with the same key waits on the first's row and,
 * once that commits, fails to claim it and {@link #find finds} its run instead.
 */
public final class ToolCallKeyTable {

    /**
     * What an earlier call with the key started.
     *
     * @param call  the fingerprint of that call's tool and arguments
     * @param runId the run it started
     */
    public record Earlier(String call, String runId, Instant created) {
    }

    private ToolCallKeyTable() {
    }

    /**
     * Claims the key for a call that starts its run in this transaction; the key's row goes first if
     * it is older than {@code expired}, so that the key can be used anew.
     *
     * @throws SQLException with {@link OwnTransactions.DatabaseException#UNIQUE_VIOLATION} when another call holds the key
     */
    public static void claim(Connection connection, String key, String call, Instant now, Instant expired) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from sh_tool_call_key where key_ = ? and created_ms_ < ?")) {
            delete.setString(1, key);
            delete.setLong(2, expired.toEpochMilli());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into sh_tool_call_key (key_, call_, run_id_, created_ms_) values (?, ?, null, ?)")) {
            insert.setString(1, key);
            insert.setString(2, call);
            insert.setLong(3, now.toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** Records the run that the claiming call started, before its transaction commits. */
    public static void bind(Connection connection, String key, String runId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("update sh_tool_call_key set run_id_ = ? where key_ = ?")) {
            update.setString(1, runId);
            update.setString(2, key);
            if (update.executeUpdate() != 1) {
                throw new SQLException("The tool call key " + key + " was not claimed in this transaction", "02000");
            }
        }
    }

    /** Deletes the rows older than {@code expired}, in a transaction of their own. */
    public static int purge(Connection connection, Instant expired) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from sh_tool_call_key where created_ms_ < ?")) {
            delete.setLong(1, expired.toEpochMilli());
            return delete.executeUpdate();
        }
    }

    /** The committed call of the key, unless it is older than {@code expired}. */
    public static Optional<Earlier> find(Connection connection, String key, Instant expired) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select call_, run_id_, created_ms_ from sh_tool_call_key where key_ = ? and created_ms_ >= ? and run_id_ is not null")) {
            select.setString(1, key);
            select.setLong(2, expired.toEpochMilli());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Earlier(row.getString(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3)))) : Optional.empty();
            }
        }
    }
}
