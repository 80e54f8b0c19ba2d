package io.statehouse.mcp.client;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import io.statehouse.persistence.RemoteServerRecord;

/**
 * The registry of remote MCP servers, kept in {@code sh_mcp_server}. Entries from the server's
 * configuration are re-applied at every start and cannot be changed through the API; the others
 * are managed through {@code /statehouse/api/mcp-servers}.
 */
@ApplicationScoped
@Transactional
public class RemoteServerRegistry {

    private static final Logger LOG = Logger.getLogger(RemoteServerRegistry.class.getName());

    @PersistenceContext(unitName = "statehouse")
    EntityManager entityManager;

    public List<RemoteServer> all() {
        return entityManager.createQuery("select s from RemoteServerRecord s order by s.name", RemoteServerRecord.class)
                .getResultList().stream().map(RemoteServerRegistry::server).toList();
    }

    public Optional<RemoteServer> find(String name) {
        return Optional.ofNullable(name == null ? null : entityManager.find(RemoteServerRecord.class, name)).map(RemoteServerRegistry::server);
    }

    /** The entry, or an exception whose message lists the names that are registered. */
    public RemoteServer require(String name) {
        return find(name).orElseThrow(() -> new UnknownRemoteServerException(name, all().stream().map(RemoteServer::name).toList()));
    }

    /**
     * Adds or replaces an entry made through the API.
     *
     * @return true when it was new
     * @throws IllegalStateException when the name belongs to an entry from configuration
     */
    public boolean put(RemoteServer server) {
        if (server.source() != RemoteServer.Source.API) {
            throw new IllegalArgumentException("Only API entries are put through the API");
        }
        RemoteServerRecord record = entityManager.find(RemoteServerRecord.class, server.name());
        if (record != null && !RemoteServer.Source.API.id().equals(record.source())) {
            throw new IllegalStateException("MCP server '" + server.name() + "' comes from the server's configuration; change it there");
        }
        boolean created = record == null;
        if (created) {
            record = new RemoteServerRecord(server.name());
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
        RemoteServerRecord record = entityManager.find(RemoteServerRecord.class, name);
        if (record == null) {
            return false;
        }
        if (!RemoteServer.Source.API.id().equals(record.source())) {
            throw new IllegalStateException("MCP server '" + name + "' comes from the server's configuration; remove it there");
        }
        entityManager.remove(record);
        return true;
    }

    /**
     * Makes the configuration's entries the registry's: adds and updates them, and removes entries
     * from an earlier configuration that it no longer has. API entries of the same name are replaced.
     */
    public void applyConfiguration(List<RemoteServer> configured) {
        Set<String> names = new HashSet<>();
        for (RemoteServer server : configured) {
            names.add(server.name());
            RemoteServerRecord record = entityManager.find(RemoteServerRecord.class, server.name());
            if (record == null) {
                record = new RemoteServerRecord(server.name());
                record.update(server.url().toString(), server.authorization(), RemoteServer.Source.CONFIGURATION.id(), Instant.now());
                entityManager.persist(record);
            } else {
                record.update(server.url().toString(), server.authorization(), RemoteServer.Source.CONFIGURATION.id(), Instant.now());
            }
        }
        for (RemoteServerRecord record : entityManager.createQuery("select s from RemoteServerRecord s where s.source = :source", RemoteServerRecord.class)
                .setParameter("source", RemoteServer.Source.CONFIGURATION.id()).getResultList()) {
            if (!names.contains(record.name())) {
                entityManager.remove(record);
            }
        }
        LOG.info(() -> configured.isEmpty()
                ? "No MCP servers configured (" + RemoteServerConfiguration.SERVERS + "); the registry holds only API entries"
                : "MCP servers from configuration: " + configured);
    }

    private static RemoteServer server(RemoteServerRecord record) {
        return new RemoteServer(record.name(), RemoteServer.parseUrl(record.name(), record.url()), record.authorization(),
                RemoteServer.Source.valueOf(record.source().toUpperCase(Locale.ROOT)));
    }
}
