package io.statehouse.mcp.server.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.delegate.ExecutionListener;
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
import io.statehouse.engine.AfterCommit;
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

    @Inject
    CallerQuestions callerQuestions;

    private final Map<String, CallProgress> calls = new ConcurrentHashMap<>();

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
        Optional<CallerChannel> caller = callerQuestions.caller(callerId);
        if (caller.isEmpty()) {
            return;
        }
        String activity = execution.getCurrentActivityName() != null ? execution.getCurrentActivityName() : execution.getCurrentActivityId();
        AfterCommit.run(() -> {
            progress(callerId.toString()).activityCompleted(activity).ifPresent(p -> send(caller.get(), p));
            caller.get().log("Completed: " + activity);
        });
    };

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
