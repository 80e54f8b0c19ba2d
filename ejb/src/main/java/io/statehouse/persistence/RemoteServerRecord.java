package io.statehouse.persistence;

import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the MCP server registry ({@code sh_mcp_server}). */
@Entity
@Table(name = "sh_mcp_server")
public class RemoteServerRecord {

    @Id
    @Column(name = "name_", length = 100)
    private String name;

    @Column(name = "url_", length = 2000, nullable = false)
    private String url;

    @Column(name = "authorization_", length = 4000)
    private String authorization;

    @Column(name = "source_", length = 20, nullable = false)
    private String source;

    @Column(name = "updated_at_", nullable = false)
    private Instant updatedAt;

    protected RemoteServerRecord() {
    }

    public RemoteServerRecord(String name) {
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    public void update(String url, String authorization, String source, Instant updatedAt) {
        this.url = Objects.requireNonNull(url, "url must not be null");
        this.authorization = authorization;
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt must not be null");
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public String authorization() {
        return authorization;
    }

    public String source() {
        return source;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
