package io.statehouse.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;

/**
 * Checks a user's password against the engine's users, for the endpoints that Camunda's own
 * authentication filter does not cover (the MCP endpoint). Camunda's login throttling applies.
 */
@ApplicationScoped
public class Credentials {

    @Inject
    EngineBootstrap engineBootstrap;

    public boolean check(String user, String password) {
        ProcessEngine engine = engineBootstrap.processEngine();
        return engine != null && user != null && password != null && engine.getIdentityService().checkPassword(user, password);
    }
}
