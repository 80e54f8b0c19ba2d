package io.statehouse.mcp.client;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import io.statehouse.persistence.McpServerRecord;

/**
 * The registry of remote MCP servers, kept in {@code sh_mcp_server}. Entries from the server's
 * configuration are re-applied at every start and cannot be changed through the API; the others
 * are managed through {@code /statehouse/api/mcp-servers}.
 */
@ApplicationScoped
@Transactional
public class McpServerRegistry {

    private static final Logger LOG = Logger.getLogger(McpServerRegistry.class.getName());

    @PersistenceContext(unitName = "statehouse")
    EntityManager entityManager;

    public List<McpServer> all() {
        return entityManager.createQuery("select s from McpServerRecord s order by s.name", McpServerRecord.class)
                .getResultList().stream().map(McpServerRegistry::server).toList();
    }

    public Optional<McpServer> find(String name) {
        return Optional.ofNullable(name == null ? null : entityManager.find(McpServerRecord.class, name)).map(McpServerRegistry::server);
    }

    /** The entry, or an exception whose message lists the names that are registered. */
    public McpServer require(String name) {
        return find(name).orElseThrow(() -> new UnknownMcpServerException(name, all().stream().map(McpServer::name).toList()));
    }

    /**
     * Adds or replaces an entry made through the API.
     *
     * @return true when it was new
     * @throws IllegalStateException when the name belongs to an entry from configuration
     */
    public boolean put(McpServer server) {
        if (server.source() != McpServer.Source.API) {
            throw new IllegalArgumentException("Only API entries are put through the API");
        }
        McpServerRecord record = entityManager.find(McpServerRecord.class, server.name());
        if (record != null && !McpServer.Source.API.id().equals(record.source())) {
            throw new IllegalStateException("MCP server '" + server.name() + "' comes from the server's configuration; change it there");
        }
        boolean created = record == null;
        if (created) {
            record = new McpServerRecord(server.name());
        }
        record.update(server.url().toString(), server.authorization(), server.source().id(), Instant.now());
        if (created) {
            entityManager.persist(record);
        }
        return created;
    }

    /**
     * Removes an API entry.
     *
     * @return false when there was none
     * @throws IllegalStateException when the name belongs to an entry from configuration
     */
    public boolean remove(String name) {
        McpServerRecord record = entityManager.find(McpServerRecord.class, name);
        if (record == null) {
            return false;
        }
        if (!McpServer.Source.API.id().equals(record.source())) {
            throw new IllegalStateException("MCP server '" + name + "' comes from the server's configuration; remove it there");
        }
        entityManager.remove(record);
        return true;
    }

    /**
     * Makes the configuration's entries the registry's: adds and updates them, and removes entries
     * from an earlier configuration that it no longer has. API entries of the same name are replaced.
     */
    public void applyConfiguration(List<McpServer> configured) {
        Set<String> names = new java.util.HashSet<>();
        for (McpServer server : configured) {
            names.add(server.name());
            McpServerRecord record = entityManager.find(McpServerRecord.class, server.name());
            if (record == null) {
                record = new McpServerRecord(server.name());
                record.update(server.url().toString(), server.authorization(), McpServer.Source.CONFIGURATION.id(), Instant.now());
                entityManager.persist(record);
            } else {
                record.update(server.url().toString(), server.authorization(), McpServer.Source.CONFIGURATION.id(), Instant.now());
            }
        }
        for (McpServerRecord record : entityManager.createQuery("select s from McpServerRecord s where s.source = :source", McpServerRecord.class)
                .setParameter("source", McpServer.Source.CONFIGURATION.id()).getResultList()) {
            if (!names.contains(record.name())) {
                entityManager.remove(record);
            }
        }
        LOG.info(() -> configured.isEmpty()
                ? "No MCP servers configured (statehouse.mcp.servers); the registry holds only API entries"
                : "MCP servers from configuration: " + configured);
    }

    private static McpServer server(McpServerRecord record) {
        return new McpServer(record.name(), McpServer.parseUrl(record.name(), record.url()), record.authorization(),
                McpServer.Source.valueOf(record.source().toUpperCase(Locale.ROOT)));
    }
}
