package io.statehouse.engine.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;

import io.statehouse.engine.RunningEngine;

/**
 * Checks a user's password against the engine's users, for the endpoints that Camunda's own
 * authentication filter does not cover (the MCP endpoint). Camunda's login throttling applies.
 */
@ApplicationScoped
public class Credentials {

    @Inject
    RunningEngine runningEngine;

    public boolean check(String user, String password) {
        ProcessEngine engine = runningEngine.processEngine();
        return engine != null && user != null && password != null && engine.getIdentityService().checkPassword(user, password);
    }
}
