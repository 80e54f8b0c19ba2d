package io.statehouse.mcp.server.engine;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.persistence.InstallationRecord;
import io.statehouse.persistence.InstallationRecords;

/**
 * The key that signs the {@code requestState} of multi round-trip calls. An operator sets it
 * ({@code statehouse.mcp.request-state.key}, at least 32 bytes); otherwise the installation makes a
 * random one once and keeps it in its database, so that a client's retry is taken after a restart,
 * and by every node on the same database.
 */
@Stateless
public class RequestStateSecret {

    static final String RECORD_KEY = "mcp.request-state.key";
    private static final int GENERATED_BYTES = 32;
    private static final Logger LOG = Logger.getLogger(RequestStateSecret.class.getName());

    @Inject
    InstallationRecords installation;

    @Inject
    @ConfigProperty(name = "statehouse.mcp.request-state.key")
    Optional<String> configured;

    /** The configured key, else the installation's own, made now if it has none. */
    public byte[] key() {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().getBytes(StandardCharsets.UTF_8);
        }
        Optional<InstallationRecord> kept = installation.find(RECORD_KEY);
        if (kept.isPresent()) {
            return Base64.getDecoder().decode(kept.get().value());
        }
        byte[] key = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(key);
        installation.record(new InstallationRecord(RECORD_KEY, Base64.getEncoder().encodeToString(key), Instant.now()));
        LOG.info("Made this installation's key for signing MCP requestState (statehouse.mcp.request-state.key sets one instead)");
        return key;
    }
}
