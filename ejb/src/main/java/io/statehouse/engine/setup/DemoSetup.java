package io.statehouse.engine.setup;

import java.time.Instant;
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

import io.statehouse.bpmn.ProcessModels.AskPerson;
import io.statehouse.engine.DemoProfile;
import io.statehouse.engine.EngineStarted;
import io.statehouse.engine.identity.Identities;
import io.statehouse.persistence.InstallationRecord;
import io.statehouse.persistence.InstallationRecords;

/**
 * The embedded demo profile: creates the user {@value #DEMO_USER} (an administrator and a member of
 * the group that answers the shipped processes' questions) once per installation, and says so in
 * the log. Off on PostgreSQL unless the operator sets {@code statehouse.demo=true}.
 */
@Stateless
public class DemoSetup {

    static final String DEMO_USER = "demo";
    static final String RECORD_KEY = "demo.user.created";
    private static final Logger LOG = Logger.getLogger(DemoSetup.class.getName());

    @Inject
    @ConfigProperty(name = "statehouse.demo")
    Optional<Boolean> demoConfigured;

    @Inject
    InstallationRecords installation;

    /** Once the engine runs. */
    public void onEngineStarted(@Observes @Priority(EngineStarted.SETUP + 20) EngineStarted started) {
        seedIfEnabled(started.engine(), started.database());
    }

    /** Creates the demo user and groups if the profile is on and they were never created here. */
    public void seedIfEnabled(ProcessEngine engine, String databaseProductName) {
        if (!DemoProfile.enabled(demoConfigured, databaseProductName)) {
            LOG.info(() -> "Demo profile off (database " + databaseProductName
                    + "): no demo user. Set STATEHOUSE_DEMO=true to create one.");
            return;
        }
        Optional<InstallationRecord> created = installation.find(RECORD_KEY);
        if (created.isPresent()) {
            LOG.info(() -> "Demo profile on: the demo user was created on " + created.get().recordedAt()
                    + "; not creating it again.");
            return;
        }
        IdentityService identity = engine.getIdentityService();
        Identities.ensureAdministratorGroup(identity);
        Identities.ensureGroup(identity, AskPerson.CANDIDATE_GROUP, "Reviewers", Groups.GROUP_TYPE_WORKFLOW);
        if (identity.createUserQuery().userId(DEMO_USER).count() == 0) {
            User user = identity.newUser(DEMO_USER);
            user.setFirstName("Demo");
            user.setLastName("User");
            user.setEmail("demo@statehouse.invalid");
            user.setPassword(DEMO_USER);
            identity.saveUser(user);
        }
        for (String group : new String[] {Groups.CAMUNDA_ADMIN, AskPerson.CANDIDATE_GROUP}) {
            if (identity.createUserQuery().userId(DEMO_USER).memberOfGroup(group).count() == 0) {
                identity.createMembership(DEMO_USER, group);
            }
        }
        installation.record(new InstallationRecord(RECORD_KEY, DEMO_USER, Instant.now()));
        LOG.warning("Demo profile on: created user 'demo' with password 'demo' in groups '"
                + Groups.CAMUNDA_ADMIN + "' and '" + AskPerson.CANDIDATE_GROUP
                + "'. This is for the embedded H2 demo only; never use it in production.");
    }
}
