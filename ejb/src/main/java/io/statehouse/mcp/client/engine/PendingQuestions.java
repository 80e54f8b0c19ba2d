package io.statehouse.mcp.client.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.VariableInstance;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.cluster.ClusterSignals;
import io.statehouse.engine.AfterCommit;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.client.Answer;

/**
 * The server's questions that wait for an answer on this node: a future per question, keyed by the
 * id that its task carries ({@code mcpRequestId}). This is the part of a call that only memory can
 * hold; a restart loses it, and the worker then ends the call as a lost session.
 *
 * <p>In a cluster the question's task may be answered on another node: the answer is kept on the
 * call's instance ({@link McpToolCall#VAR_ANSWER_PREFIX}) and that node signals
 * {@link ClusterSignals.Topic#QUESTION_ANSWERED}; this node then reads it there, and a sweep does the
 * same for a signal that was lost. Whoever answers (a person's task on any node, the model's job on
 * whichever node's job executor took it) hands the answer over with {@link #handOver} or
 * {@link #handOverRefusal}.
 */
@ApplicationScoped
public class PendingQuestions {

    private static final Logger LOG = Logger.getLogger(PendingQuestions.class.getName());
    /** The sweep's query takes this many calls at a time. */
    private static final int SWEEP_BATCH = 200;

    /** One open question: the call's instance that keeps its answer, and the future the call waits on. */
    private record Open(String callInstanceId, CompletableFuture<Answer> answer) {
    }

    private final Map<String, Open> pending = new ConcurrentHashMap<>();

    @Inject
    ClusterSignals signals;

    @Inject
    RunningEngine runningEngine;

    @PostConstruct
    void listen() {
        signals.listen(ClusterSignals.Topic.QUESTION_ANSWERED, this::answeredElsewhere);
        signals.sweep(this::sweep);
    }

    CompletableFuture<Answer> open(String requestId, String callInstanceId) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Open open = new Open(callInstanceId, answer);
        pending.put(requestId, open);
        answer.whenComplete((a, e) -> pending.remove(requestId, open));
        return answer;
    }

    /** @return false when nobody waits for this answer here (the call ended, the node restarted, or another node holds it) */
    boolean answer(String requestId, Answer answer) {
        Open open = pending.get(requestId);
        return open != null && open.answer().complete(answer);
    }

    /** The question cannot be answered: the server gets this as its request's error. */
    boolean fail(String requestId, Throwable reason) {
        Open open = pending.get(requestId);
        return open != null && open.answer().completeExceptionally(reason);
    }

    /**
     * Hands the answer given in the current engine transaction to the call that waits for it, once
     * that commits: directly when the call waits on this node; otherwise (in a cluster) it is kept on
     * the call's instance and the node that holds the call is signalled. {@code nobodyWaits} runs
     * when the answer reaches this node's own futures and none waits for it (the call ended, the
     * node restarted).
     */
    void handOver(DelegateExecution question, String requestId, Answer answer, Runnable nobodyWaits) {
        deliver(question, requestId, AnswerJson.write(answer), () -> {
            if (requestId == null || !answer(requestId, answer)) {
                nobodyWaits.run();
            }
        });
    }

    /** As {@link #handOver}, for a request that cannot be answered: the server gets {@code reason} as its request's error. */
    void handOverRefusal(DelegateExecution question, String requestId, String reason, Runnable nobodyWaits) {
        deliver(question, requestId, AnswerJson.refusal(reason), () -> {
            if (requestId == null || !fail(requestId, new IllegalStateException(reason))) {
                nobodyWaits.run();
            }
        });
    }

    private void deliver(DelegateExecution question, String requestId, String kept, Runnable here) {
        if (requestId != null && signals.clustered()) {
            // The call may wait on another node: it reads the answer here once the signal (or its sweep) wakes it.
            question.getProcessInstance().setVariableLocal(McpToolCall.VAR_ANSWER_PREFIX + requestId, McpToolCallWorker.text(kept));
            if (!isOpen(requestId)) {
                signals.send(ClusterSignals.Topic.QUESTION_ANSWERED, signal(question.getProcessInstanceId(), requestId));
                return;
            }
        }
        AfterCommit.run(here);
    }

    /** Completes the call's future with what another node kept for it: an answer, or a refusal. */
    private static boolean settle(Open open, String kept) {
        String refusal = AnswerJson.refusalOf(kept);
        return refusal != null ? open.answer().completeExceptionally(new IllegalStateException(refusal))
                : open.answer().complete(AnswerJson.read(kept));
    }

    /** A signal's payload is {@code callInstanceId/requestId}. */
    static String signal(String callInstanceId, String requestId) {
        return callInstanceId + "/" + requestId;
    }

    private void answeredElsewhere(String payload) {
        String requestId = payload.substring(payload.indexOf('/') + 1);
        Open open = pending.get(requestId);
        ProcessEngine engine = runningEngine.processEngine();
        if (open == null || engine == null) {
            return;
        }
        Object kept = engine.getRuntimeService().getVariable(open.callInstanceId(), McpToolCall.VAR_ANSWER_PREFIX + requestId);
        if (kept != null && settle(open, kept.toString())) {
            LOG.fine(() -> "Question " + requestId + " was answered on another node");
        }
    }

    /** The answers kept on the calls' instances for questions this node still waits for. */
    private void sweep() {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null || pending.isEmpty()) {
            return;
        }
        List<String> calls = pending.values().stream().map(Open::callInstanceId).distinct().toList();
        for (int from = 0; from < calls.size(); from += SWEEP_BATCH) {
            List<String> batch = calls.subList(from, Math.min(calls.size(), from + SWEEP_BATCH));
            for (VariableInstance kept : engine.getRuntimeService().createVariableInstanceQuery()
                    .processInstanceIdIn(batch.toArray(String[]::new)).variableNameLike(McpToolCall.VAR_ANSWER_PREFIX + "%")
                    .disableCustomObjectDeserialization().list()) {
                String requestId = kept.getName().substring(McpToolCall.VAR_ANSWER_PREFIX.length());
                Open open = pending.get(requestId);
                if (open != null && kept.getValue() != null && settle(open, kept.getValue().toString())) {
                    LOG.info(() -> "Question " + requestId + " was answered on another node; the sweep found the answer");
                }
            }
        }
    }

    boolean isOpen(String requestId) {
        return pending.containsKey(requestId);
    }
}
