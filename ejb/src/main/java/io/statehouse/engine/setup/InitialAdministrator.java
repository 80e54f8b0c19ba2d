package io.statehouse.engine.setup;

import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.User;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.engine.EngineStarted;
import io.statehouse.engine.identity.Identities;

/**
 * The first administrator of a production installation, from configuration
 * ({@code statehouse.admin.user} and {@code statehouse.admin.password}), so that an operator need
 * not race anyone to Camunda's Admin setup page. Created when missing; an existing user is left as
 * it is, password included.
 */
@Stateless
public class InitialAdministrator {

    private static final Logger LOG = Logger.getLogger(InitialAdministrator.class.getName());

    @Inject
    @ConfigProperty(name = "statehouse.admin.user")
    Optional<String> user;

    @Inject
    @ConfigProperty(name = "statehouse.admin.password")
    Optional<String> password;

    /** Once the engine runs. */
    public void onEngineStarted(@Observes @Priority(EngineStarted.SETUP + 10) EngineStarted started) {
        createIfConfigured(started.engine());
    }

    /** Creates the configured administrator unless it exists; does nothing when none is configured. */
    public void createIfConfigured(ProcessEngine engine) {
        if (user.isEmpty() || user.get().isBlank()) {
            return;
        }
        String id = user.get().trim();
        if (password.isEmpty() || password.get().isBlank()) {
            throw new IllegalStateException("statehouse.admin.user (STATEHOUSE_ADMIN_USER) is set to '" + id
                    + "' but statehouse.admin.password (STATEHOUSE_ADMIN_PASSWORD) is not");
        }
        IdentityService identity = engine.getIdentityService();
        Identities.ensureAdministratorGroup(identity);
        if (identity.createUserQuery().userId(id).count() > 0) {
            LOG.info(() -> "Administrator '" + id + "' exists; left as it is");
            return;
        }
        User admin = identity.newUser(id);
        admin.setFirstName(id);
        admin.setLastName("(administrator)");
        admin.setPassword(password.get());
        identity.saveUser(admin);
        identity.createMembership(id, Groups.CAMUNDA_ADMIN);
        LOG.info(() -> "Created administrator '" + id + "' in group '" + Groups.CAMUNDA_ADMIN
                + "' from statehouse.admin.user");
    }
}
