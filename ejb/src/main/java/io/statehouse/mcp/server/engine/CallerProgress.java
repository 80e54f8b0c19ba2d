package io.statehouse.mcp.server.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.cluster.ClusterSignals;
import io.statehouse.engine.AfterCommit;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.progress.CallProgress;
import io.statehouse.progress.Progress;

/**
 * What a run that a tool call started tells its caller as it goes, once each transaction has
 * committed and in the order it happened: every completed activity (a debug log message, and
 * progress), and every update of the run's progress variables ({@code mcpProgress}, with
 * {@code mcpProgressTotal} and {@code mcpProgressMessage}), which a script, a listener, or an MCP
 * tool call of the run itself (its remote server's progress) writes. {@link CallProgress} keeps the
 * reported value increasing.
 */
@ApplicationScoped
public class CallerProgress extends AbstractBpmnParseListener implements HistoryEventHandler {

    /** A completed step, in a {@link ClusterSignals.Topic#CALLER_PROGRESS} payload: {@code STEP\ncallerId\nactivity}. */
    private static final String STEP = "STEP";
    /** The run's progress variables were written, in a payload: {@code REPORT\ncallerId\nrunId}; the receiver reads them. */
    private static final String REPORT = "REPORT";

    @Inject
    CallerQuestions callerQuestions;

    @Inject
    ClusterSignals signals;

    @Inject
    RunningEngine runningEngine;

    private final Map<String, CallProgress> calls = new ConcurrentHashMap<>();

    @PostConstruct
    void listen() {
        signals.listen(ClusterSignals.Topic.CALLER_PROGRESS, this::reportedElsewhere);
    }

    /** The call is over: its progress is forgotten. */
    void close(String callerId) {
        calls.remove(callerId);
    }

    @Override
    public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        listenToEnds(processDefinition);
    }

    private void listenToEnds(ScopeImpl scope) {
        for (ActivityImpl activity : scope.getActivities()) {
            activity.addListener(ExecutionListener.EVENTNAME_END, activityEnded);
            listenToEnds(activity);
        }
    }

    private final ExecutionListener activityEnded = execution -> {
        Object callerId = execution.getVariable(ProcessTool.VAR_CALLER_ID);
        if (callerId == null) {
            return;
        }
        Optional<CallerChannel> caller = callerQuestions.caller(callerId);
        String activity = execution.getCurrentActivityName() != null ? execution.getCurrentActivityName() : execution.getCurrentActivityId();
        if (caller.isEmpty()) {
            if (signals.clustered()) {
                signals.send(ClusterSignals.Topic.CALLER_PROGRESS, STEP + "\n" + callerId + "\n" + activity);
            }
            return;
        }
        AfterCommit.run(() -> stepCompleted(caller.get(), callerId.toString(), activity));
    };

    private void stepCompleted(CallerChannel caller, String callerId, String activity) {
        progress(callerId).activityCompleted(activity).ifPresent(p -> send(caller, p));
        caller.log("Completed: " + activity);
    }

    /** What a run on another node reported for a caller that may wait here. */
    private void reportedElsewhere(String payload) {
        String[] parts = payload.split("\n", 3);
        if (parts.length < 3) {
            return;
        }
        Optional<CallerChannel> caller = callerQuestions.caller(parts[1]);
        ProcessEngine engine = runningEngine.processEngine();
        if (caller.isEmpty() || engine == null) {
            return;
        }
        if (STEP.equals(parts[0])) {
            stepCompleted(caller.get(), parts[1], parts[2]);
            return;
        }
        Map<String, Object> values = new HashMap<>();
        for (HistoricVariableInstance variable : engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(parts[2])
                .variableNameIn(McpToolCall.VAR_PROGRESS, McpToolCall.VAR_PROGRESS_TOTAL, McpToolCall.VAR_PROGRESS_MESSAGE).list()) {
            if (parts[2].equals(variable.getActivityInstanceId()) || variable.getActivityInstanceId() == null
                    || parts[2].equals(variable.getExecutionId())) {
                values.put(variable.getName(), variable.getValue());
            }
        }
        Double value = number(values.get(McpToolCall.VAR_PROGRESS));
        if (value != null) {
            Object message = values.get(McpToolCall.VAR_PROGRESS_MESSAGE);
            progress(parts[1]).reported(value, number(values.get(McpToolCall.VAR_PROGRESS_TOTAL)), message == null ? null : message.toString())
                    .ifPresent(p -> send(caller.get(), p));
        }
    }

    private static Double number(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            return value == null ? null : Double.valueOf(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void handleEvent(HistoryEvent event) {
        if (!(event instanceof HistoricVariableUpdateEventEntity update)
                || HistoryEventTypes.VARIABLE_INSTANCE_DELETE.getEventName().equals(update.getEventType())
                || !isProgressVariable(update.getVariableName()) || Context.getCommandContext() == null) {
            return;
        }
        ExecutionEntity run = Context.getCommandContext().getExecutionManager().findExecutionById(update.getProcessInstanceId());
        // Only the run a tool call started, not the processes it calls (an MCP tool call's own instance writes the same names).
        if (run == null || run.getSuperExecution() != null) {
            return;
        }
        Object callerId = run.getVariableLocal(ProcessTool.VAR_CALLER_ID);
        Optional<CallerChannel> caller = callerQuestions.caller(callerId);
        if (caller.isEmpty()) {
            if (callerId != null && signals.clustered()) {
                // PostgreSQL delivers identical notifications of one transaction once: one read of the variables per commit.
                signals.send(ClusterSignals.Topic.CALLER_PROGRESS, REPORT + "\n" + callerId + "\n" + run.getId());
            }
            return;
        }
        Report report = AfterCommit.gather(List.of(CallerProgress.class, run.getId()), Report::new, gathered -> {
            if (gathered.value != null) {
                progress(callerId.toString()).reported(gathered.value, gathered.total, gathered.message)
                        .ifPresent(p -> send(caller.get(), p));
            }
        });
        switch (update.getVariableName()) {
            case McpToolCall.VAR_PROGRESS -> report.value = number(update);
            case McpToolCall.VAR_PROGRESS_TOTAL -> report.total = number(update);
            default -> report.message = update.getTextValue();
        }
    }

    @Override
    public void handleEvents(List<HistoryEvent> events) {
        events.forEach(this::handleEvent);
    }

    private CallProgress progress(String callerId) {
        return calls.computeIfAbsent(callerId, id -> new CallProgress());
    }

    private static void send(CallerChannel caller, Progress progress) {
        caller.progress(progress.progress(), progress.total(), progress.message());
    }

    private static boolean isProgressVariable(String name) {
        return McpToolCall.VAR_PROGRESS.equals(name) || McpToolCall.VAR_PROGRESS_TOTAL.equals(name)
                || McpToolCall.VAR_PROGRESS_MESSAGE.equals(name);
    }

    /** A number variable as the history event holds it (double, integer or long), or a number in text. */
    private static Double number(HistoricVariableUpdateEventEntity update) {
        if (update.getDoubleValue() != null) {
            return update.getDoubleValue();
        }
        if (update.getLongValue() != null) {
            return update.getLongValue().doubleValue();
        }
        try {
            return update.getTextValue() == null ? null : Double.valueOf(update.getTextValue());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The progress variables one transaction wrote. */
    private static final class Report {
        volatile Double value;
        volatile Double total;
        volatile String message;
    }
}
