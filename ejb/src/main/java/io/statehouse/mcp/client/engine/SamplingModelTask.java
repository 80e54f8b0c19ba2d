package io.statehouse.mcp.client.engine;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.protocol.SamplingRequests;
import io.statehouse.sampling.SamplingException;
import io.statehouse.sampling.SamplingModels;
import io.statehouse.sampling.SamplingResult;
import io.statehouse.sampling.SamplingService;

/**
 * {@code ${mcpSamplingModel}}: "Ask the model" asks the element's sampling provider, on the job
 * executor of whichever node takes the job. The reply goes to the call after commit (on this node or
 * the one that holds it), unless a person reviews it first. A refusal,
 * an exhausted budget or content the provider cannot take is the request's error for the server; a
 * rate limit, timeout or unreachable provider fails the job (retries, then an incident).
 */
@ApplicationScoped
public class SamplingModelTask implements JavaDelegate {

    /** The name BPMN models use for this delegate. */
    public static final String BEAN = "mcpSamplingModel";

    private static final Logger LOG = Logger.getLogger(SamplingModelTask.class.getName());

    @Inject
    SamplingModels models;

    @Inject
    PendingQuestions pending;

    @Override
    public void execute(DelegateExecution execution) {
        String requestId = (String) execution.getVariable(McpToolCall.VAR_REQUEST_ID);
        String provider = (String) execution.getVariable(McpToolCall.IN_SAMPLING_PROVIDER);
        String server = (String) execution.getVariable(McpToolCall.IN_SERVER);
        SamplingService.ProviderReply answer;
        try {
            answer = models.service().sample(SamplingRequests.fromJson((String) execution.getVariable(McpToolCall.VAR_SAMPLING_REQUEST)),
                    provider, server);
        } catch (SamplingException e) {
            if (e.kind() == SamplingException.Kind.OVER_BUDGET || e.kind() == SamplingException.Kind.REFUSED
                    || e.kind() == SamplingException.Kind.UNSUPPORTED) {
                execution.setVariable(McpToolCall.VAR_ACTION, McpToolCall.ACTION_DECLINE);
                execution.setVariableLocal(McpToolCall.VAR_CLOSED_REASON, e.getMessage());
                pending.handOverRefusal(execution, requestId, e.getMessage(), () -> LOG.warning(() -> "The model's answer to sampling request "
                        + requestId + " was refused (" + e.getMessage() + "), but no MCP call waits for it any more"));
                return;
            }
            throw e;
        }
        SamplingResult result = answer.result();
        execution.setVariable(McpToolCall.VAR_ACTION, McpToolCall.ACTION_ACCEPT);
        execution.setVariable(McpToolCall.VAR_REPLY, result.text());
        execution.setVariable(McpToolCall.VAR_MODEL, result.model());
        execution.setVariableLocal(McpToolCall.VAR_STOP_REASON, result.stopReason());
        execution.setVariableLocal(McpToolCall.VAR_SAMPLING_USAGE, "provider " + answer.provider() + ", model " + result.model()
                + ", " + result.inputTokens() + " input and " + result.outputTokens() + " output tokens, " + result.latency().toMillis() + " ms");
        Object review = execution.getVariable(McpToolCall.IN_SAMPLING_REVIEW);
        if (McpToolCall.REVIEW_ANSWER.equals(review) || McpToolCall.REVIEW_BOTH.equals(review)) {
            return;
        }
        Answer reply = Answer.reply(result.text(), result.model(), result.stopReason());
        RoundAnswers.keep(execution, reply);
        pending.handOver(execution, requestId, reply,
                () -> LOG.warning(() -> "The model answered sampling request " + requestId + ", but no MCP call waits for it any more"));
    }


}
