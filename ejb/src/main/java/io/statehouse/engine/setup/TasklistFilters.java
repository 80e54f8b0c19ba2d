package io.statehouse.engine.setup;

import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.TaskQuery;

import io.statehouse.engine.EngineStarted;
import io.statehouse.persistence.InstallationRecord;
import io.statehouse.persistence.InstallationRecords;

/**
 * The Tasklist's filters that every user sees: without a filter the Tasklist shows no task at
 * all. Created once per installation (an operator may change or delete them afterwards).
 */
@Stateless
public class TasklistFilters {

    static final String RECORD_KEY = "tasklist.filters.created";
    private static final Logger LOG = Logger.getLogger(TasklistFilters.class.getName());

    @Inject
    InstallationRecords installation;

    /** Once the engine runs. */
    public void onEngineStarted(@Observes @Priority(EngineStarted.SETUP) EngineStarted started) {
        createOnce(started.engine());
    }

    /** Creates the shared filters unless this installation already has had them. */
    public void createOnce(ProcessEngine engine) {
        if (installation.find(RECORD_KEY).isPresent()) {
            return;
        }
        TaskQuery groups = engine.getTaskService().createTaskQuery()
                .taskCandidateGroupInExpression("${currentUserGroups()}").taskUnassigned();
        TaskQuery mine = engine.getTaskService().createTaskQuery().taskAssigneeExpression("${currentUser()}");
        TaskQuery all = engine.getTaskService().createTaskQuery();
        share(engine, "My groups", "Questions waiting for someone in my groups", -10, groups);
        share(engine, "My tasks", "Questions I have claimed", -5, mine);
        share(engine, "All tasks", "Every task I may see", 0, all);
        installation.record(new InstallationRecord(RECORD_KEY, "My groups, My tasks, All tasks", Instant.now()));
        LOG.info("Created the shared Tasklist filters 'My groups', 'My tasks' and 'All tasks'");
    }

    private static void share(ProcessEngine engine, String name, String description, int priority, TaskQuery query) {
        FilterService filters = engine.getFilterService();
        Filter filter = filters.newTaskFilter(name)
                .setQuery(query)
                .setProperties(Map.of("description", description, "priority", priority, "refresh", true));
        filters.saveFilter(filter);
        AuthorizationService authorizations = engine.getAuthorizationService();
        Authorization everyone = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
        everyone.setResource(Resources.FILTER);
        everyone.setResourceId(filter.getId());
        everyone.addPermission(Permissions.READ);
        authorizations.saveAuthorization(everyone);
    }
}
