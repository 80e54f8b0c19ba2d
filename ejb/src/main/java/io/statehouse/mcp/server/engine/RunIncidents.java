package io.statehouse.mcp.server.engine;

import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.runtime.Incident;


/**
 * Hears the incidents of runs (beside the engine's own handler, which records them): a tool call
 * that waits for a run that stops at an incident ends with {@code isError} and the incident's
 * message, instead of waiting for an operator. The run itself stays, to be retried in Cockpit.
 */
public final class RunIncidents implements IncidentHandler {

    private final String type;
    private final RunEnds runEnds;

    public RunIncidents(String type, RunEnds runEnds) {
        this.type = type;
        this.runEnds = runEnds;
    }

    @Override
    public String getIncidentHandlerType() {
        return type;
    }

    @Override
    public Incident handleIncident(IncidentContext context, String message) {
        if (context.getExecutionId() == null) {
            return null;
        }
        ExecutionEntity execution = Context.getCommandContext().getExecutionManager().findExecutionById(context.getExecutionId());
        if (execution == null) {
            return null;
        }
        ExecutionEntity root = execution.getProcessInstance();
        while (root.getSuperExecution() != null) {
            root = root.getSuperExecution().getProcessInstance();
        }
        String runId = root.getId();
        String activity = context.getActivityId();
        runEnds.stopping(runId, why(activity, message));
        return null;
    }

    /** What the caller of a run that stopped at an incident is told. */
    static String why(String activity, String message) {
        return "stopped at an incident in activity " + activity + ": " + message;
    }

    @Override
    public void resolveIncident(IncidentContext context) {
        // An operator's retry goes on with the run; the call that waited has already been answered.
    }

    @Override
    public void deleteIncident(IncidentContext context) {
        // Nothing waits on a deleted incident.
    }
}
