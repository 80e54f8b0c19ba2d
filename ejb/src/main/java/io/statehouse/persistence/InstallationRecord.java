package io.statehouse.persistence;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A fact about this installation that is recorded once, such as "the demo user was created", so
 * that a restart does not redo what an operator may since have undone.
 */
@Entity
@Table(name = "sh_installation")
public class InstallationRecord {

    @Id
    @Column(name = "key_", length = 100)
    private String key;

    @Column(name = "value_", length = 4000)
    private String value;

    @Column(name = "recorded_at_", nullable = false)
    private Instant recordedAt;

    protected InstallationRecord() {
    }

    public InstallationRecord(String key, String value, Instant recordedAt) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        this.value = value;
        this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt must not be null");
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public Instant recordedAt() {
        return recordedAt;
    }
}
