package io.statehouse.engine.tools;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.util.xml.Element;

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
    public void parseProcess(Element processElement, org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity processDefinition) {
        processDefinition.addListener(ExecutionListener.EVENTNAME_END, this);
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (!execution.getId().equals(execution.getProcessInstanceId())) {
            return;
        }
        String id = execution.getProcessInstanceId();
        Context.getCommandContext().getTransactionContext().addTransactionListener(TransactionState.COMMITTED, commandContext -> {
            CompletableFuture<String> ended = waiting.get(id);
            if (ended != null) {
                ended.complete(id);
            }
        });
    }
}
