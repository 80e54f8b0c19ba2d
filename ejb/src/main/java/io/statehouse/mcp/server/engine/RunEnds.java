package io.statehouse.mcp.server.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.bpmn.behavior.ErrorEndEventActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;

import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.engine.AfterCommit;

/**
 * Tells the tool calls waiting on this node that their run has ended, once the end is committed.
 * Installed as a parse listener, so it hears the end of every process instance.
 */
@ApplicationScoped
public class RunEnds extends AbstractBpmnParseListener implements ExecutionListener {

    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

    /** A future that completes with the process instance id when that run has ended and the end is committed. */
    CompletableFuture<String> await(String processInstanceId) {
        CompletableFuture<String> ended = waiting.computeIfAbsent(processInstanceId, id -> new CompletableFuture<>());
        ended.whenComplete((id, e) -> waiting.remove(processInstanceId, ended));
        return ended;
    }

    /** The run stopped where a person must act (an incident): whoever waits for its end is told so. */
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
        }
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (!execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        String id = execution.getProcessInstanceId();
        AfterCommit.run(() -> {
            CompletableFuture<String> ended = waiting.get(id);
            if (ended != null) {
                ended.complete(id);
            }
        });
    }
}
