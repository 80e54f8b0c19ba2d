package io.statehouse.mcp.server.engine;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Incident;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.bpmn.behavior.ErrorEndEventActivityBehavior;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityBehavior;
import org.camunda.bpm.engine.impl.pvm.delegate.ActivityExecution;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.cluster.ClusterSignals;
import io.statehouse.engine.AfterCommit;
import io.statehouse.engine.RunningEngine;

/**
 * Tells the tool calls waiting on this node that their run has ended, once the end is committed.
 * Installed as a parse listener, so it hears the end of every process instance.
 *
 * <p>In a cluster the run may end, or stop at an incident, on another node: that node signals
 * {@link ClusterSignals.Topic#RUN_ENDED} or {@link ClusterSignals.Topic#RUN_STOPPED} with the end's
 * transaction, and a sweep finds an end whose signal was lost in the history, and an incident whose
 * signal was lost among the incidents created since the sweep before.
 */
@ApplicationScoped
public class RunEnds extends AbstractBpmnParseListener implements ExecutionListener {

    private static final Logger LOG = Logger.getLogger(RunEnds.class.getName());

    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    /** When the sweep before began; incidents since then (and one sweep further back) are looked at. */
    private volatile long sweptAt;

    @Inject
    ClusterSignals signals;

    @Inject
    RunningEngine runningEngine;

    @PostConstruct
    void listen() {
        signals.listen(ClusterSignals.Topic.RUN_ENDED, this::ended);
        signals.listen(ClusterSignals.Topic.RUN_STOPPED, payload -> {
            int newline = payload.indexOf('\n');
            stopped(newline < 0 ? payload : payload.substring(0, newline), newline < 0 ? "stopped on another node" : payload.substring(newline + 1));
        });
        signals.sweep(this::sweep);
    }

    /** A future that completes with the process instance id when that run has ended and the end is committed. */
    CompletableFuture<String> await(String processInstanceId) {
        CompletableFuture<String> ended = waiting.computeIfAbsent(processInstanceId, id -> new CompletableFuture<>());
        ended.whenComplete((id, e) -> waiting.remove(processInstanceId, ended));
        return ended;
    }

    /**
     * The run stops at an incident, in the current engine transaction: whoever waits for its end, on
     * this node or another, is told so once it commits.
     */
    void stopping(String processInstanceId, String why) {
        if (!waiting.containsKey(processInstanceId) && signals.clustered()) {
            signals.send(ClusterSignals.Topic.RUN_STOPPED, processInstanceId + "\n" + why);
        } else {
            AfterCommit.run(() -> stopped(processInstanceId, why));
        }
    }

    /** The run stopped where a person must act (an incident): whoever waits for its end here is told so. */
    void stopped(String processInstanceId, String why) {
        CompletableFuture<String> ended = waiting.get(processInstanceId);
        if (ended != null) {
            ended.completeExceptionally(new RunStoppedException(why));
        }
    }

    /** Why a run did not reach its end. */
    static final class RunStoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunStoppedException(String message) {
            super(message);
        }
    }


    @Override
    public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        processDefinition.addListener(ExecutionListener.EVENTNAME_END, this);
    }

    @Override
    public void parseEndEvent(Element endEventElement, ScopeImpl scope,
            ActivityImpl activity) {
        if (activity.getActivityBehavior() instanceof ErrorEndEventActivityBehavior error
                && scope instanceof ProcessDefinitionEntity) {
            activity.addListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) execution -> {
                Object message = error.getErrorMessageExpression() == null ? null
                        : error.getErrorMessageExpression().getValue((VariableScope) execution);
                execution.getProcessInstance().setVariable(ProcessTool.VAR_BPMN_ERROR,
                        error.getErrorCode() + (message == null ? "" : ": " + message));
            });
            // The run of a tool call that ends at an error end event of its own, with no process above it to catch the error,
            // has ended with a tool error: its caller is told so as the tool's result (in a job too, where the engine would make
            // an unhandled error an incident). A called process's error still goes up to its caller's process.
            activity.setActivityBehavior(new ActivityBehavior() {
                @Override
                public void execute(ActivityExecution execution) throws Exception {
                    boolean root = ((ExecutionEntity) execution).getProcessInstance().getSuperExecution() == null;
                    if (root && execution.getVariable(ProcessTool.VAR_CALLER_USER) != null) {
                        execution.end(true);
                    } else {
                        error.execute(execution);
                    }
                }
            });
        }
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (!execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        String id = execution.getProcessInstanceId();
        if (!waiting.containsKey(id) && signals.clustered() && execution.getVariable(ProcessTool.VAR_CALLER_ID) != null) {
            // A tool call's run that ends on a node where its caller does not wait.
            signals.send(ClusterSignals.Topic.RUN_ENDED, id);
            return;
        }
        AfterCommit.run(() -> ended(id));
    }

    private void ended(String processInstanceId) {
        CompletableFuture<String> ended = waiting.get(processInstanceId);
        if (ended != null) {
            ended.complete(processInstanceId);
        }
    }

    /** The runs waited for here that have ended, as the history says. */
    private void sweep() {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null || waiting.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long since = sweptAt == 0 ? 0 : sweptAt - (now - sweptAt);
        sweptAt = now;
        for (HistoricProcessInstance run : engine.getHistoryService().createHistoricProcessInstanceQuery()
                .processInstanceIds(Set.copyOf(waiting.keySet())).finished().list()) {
            LOG.fine(() -> "Run " + run.getId() + " ended on another node; the sweep found it");
            ended(run.getId());
        }
        // A run's incident is on the run itself (the engine propagates it up from a called process); its root cause says why.
        Map<String, Incident> incidents = new HashMap<>();
        engine.getRuntimeService().createIncidentQuery().incidentTimestampAfter(new Date(since)).list()
                .forEach(incident -> incidents.put(incident.getId(), incident));
        for (Incident incident : incidents.values()) {
            if (waiting.containsKey(incident.getProcessInstanceId())) {
                Incident cause = incidents.getOrDefault(incident.getRootCauseIncidentId(), incident);
                LOG.fine(() -> "Run " + incident.getProcessInstanceId() + " stopped at an incident on another node; the sweep found it");
                stopped(incident.getProcessInstanceId(), RunIncidents.why(cause.getActivityId(), cause.getIncidentMessage()));
            }
        }
    }
}
