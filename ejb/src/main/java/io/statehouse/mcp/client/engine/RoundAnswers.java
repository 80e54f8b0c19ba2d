package io.statehouse.mcp.client.engine;

import jakarta.json.Json;

import org.camunda.bpm.engine.delegate.DelegateExecution;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.InputResponses;

/**
 * The answers to a round of questions (MCP 2026-07-28) kept on the call's instance, in the
 * transaction that gives them: a call whose node stopped before the round was complete finds them
 * there when it goes on (see {@link McpToolCallWorker}).
 */
final class RoundAnswers {

    private RoundAnswers() {
    }

    /** Keeps the answer when the question is one of a round; nothing otherwise. */
    static void keep(DelegateExecution question, Answer answer) {
        Object key = question.getVariable(McpToolCall.VAR_INPUT_KEY);
        Object method = question.getVariable(McpToolCall.VAR_INPUT_METHOD);
        if (key == null || method == null) {
            return;
        }
        String response = Json.createObjectBuilder(InputResponses.of(method.toString(), answer)).build().toString();
        question.getProcessInstance().setVariableLocal(McpToolCall.VAR_INPUT_RESPONSE_PREFIX + key, McpToolCallWorker.text(response));
    }
}
