package io.statehouse.engine.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.identity.Authentication;

import io.statehouse.engine.RunningEngine;

/**
 * Who calls Statehouse's own REST API: the engine user that the authentication filter in front of
 * it has set for this request.
 */
@ApplicationScoped
public class CurrentUser {

    @Inject
    RunningEngine runningEngine;

    /** The authenticated user's id, or null. */
    public String id() {
        Authentication authentication = authentication();
        return authentication == null ? null : authentication.getUserId();
    }

    /** Whether the authenticated user belongs to {@code camunda-admin}. */
    public boolean isAdministrator() {
        Authentication authentication = authentication();
        return authentication != null && authentication.getGroupIds() != null
                && authentication.getGroupIds().contains(Groups.CAMUNDA_ADMIN);
    }

    private Authentication authentication() {
        ProcessEngine engine = runningEngine.processEngine();
        return engine == null ? null : engine.getIdentityService().getCurrentAuthentication();
    }
}
