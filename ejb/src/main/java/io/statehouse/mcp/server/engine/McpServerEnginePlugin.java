package io.statehouse.mcp.server.engine;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Incident;

/**
 * What Statehouse as an MCP server adds to the engine, so that a tool call hears its run: the parse
 * listeners for the run's end, its tasks for the caller and its progress; the run's progress
 * variables from the history events (beside the engine's own history, kept in full); and its
 * incidents, beside the engine's own incident handlers.
 */
@ApplicationScoped
public class McpServerEnginePlugin extends AbstractProcessEnginePlugin {

    @Inject
    RunEnds runEnds;

    @Inject
    CallerQuestions callerQuestions;

    @Inject
    CallerProgress callerProgress;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.getCustomPostBPMNParseListeners().addAll(List.of(runEnds, callerQuestions, callerProgress));
        configuration.getCustomHistoryEventHandlers().add(callerProgress);
        configuration.getCustomIncidentHandlers().addAll(List.of(
                new RunIncidents(Incident.FAILED_JOB_HANDLER_TYPE, runEnds),
                new RunIncidents(Incident.EXTERNAL_TASK_HANDLER_TYPE, runEnds)));
    }
}
