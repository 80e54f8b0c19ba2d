package io.statehouse.mcp.client.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.statehouse.mcp.client.Answer;

/**
 * The server's questions that wait for an answer on this node: a future per question, keyed by the
 * id that its task carries ({@code mcpRequestId}). This is the part of a call that only memory can
 * hold; a restart loses it, and the worker then ends the call as a lost session.
 */
@ApplicationScoped
public class PendingQuestions {

    private final Map<String, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();

    CompletableFuture<Answer> open(String requestId) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        pending.put(requestId, answer);
        answer.whenComplete((a, e) -> pending.remove(requestId, answer));
        return answer;
    }

    /** @return false when nobody waits for this answer any more (the call ended, or the node restarted) */
    boolean answer(String requestId, Answer answer) {
        CompletableFuture<Answer> future = pending.get(requestId);
        return future != null && future.complete(answer);
    }

    /** The question cannot be answered: the server gets this as its request's error. */
    boolean fail(String requestId, Throwable reason) {
        CompletableFuture<Answer> future = pending.get(requestId);
        return future != null && future.completeExceptionally(reason);
    }

    boolean isOpen(String requestId) {
        return pending.containsKey(requestId);
    }
}
