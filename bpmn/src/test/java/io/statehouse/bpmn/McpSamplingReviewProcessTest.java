package io.statehouse.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

import java.util.HashMap;
import java.util.Map;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.McpToolCall;

/** The optional human review of a sampling request and of its answer, per calling element. */
@ExtendWith(ProcessEngineExtension.class)
@Deployment(resources = "io/statehouse/bpmn/mcp-tool-call.bpmn")
class McpSamplingReviewProcessTest {

    @BeforeEach
    void registerListeners() {
        Mocks.register("mcpToolCallRequested", (ExecutionListener) execution -> { });
        Mocks.register("mcpQuestionTasks", (TaskListener) task -> { });
        Mocks.register("mcpSamplingModel", (JavaDelegate) execution -> {
            execution.setVariable(McpToolCall.VAR_ACTION, "accept");
            execution.setVariable(McpToolCall.VAR_REPLY, "The model's reply");
        });
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    @Test
    void withoutReviewThePersonAsTheModelAnswersAtOnce() {
        ProcessInstance call = call(McpToolCall.REVIEW_NONE);
        sample(call);

        assertThat(call).isWaitingAt(McpToolCall.TASK_WRITE_MODEL_REPLY);
        complete(McpToolCall.TASK_WRITE_MODEL_REPLY, call, "accept");

        assertThat(call).hasPassed("EndEvent_ModelReplyWritten").hasNotPassed(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER);
    }

    @Test
    void bothReviewsComeBeforeAndAfterTheReply() {
        ProcessInstance call = call(McpToolCall.REVIEW_BOTH);
        sample(call);

        assertThat(call).isWaitingAt(McpToolCall.TASK_REVIEW_SAMPLING_REQUEST);
        complete(McpToolCall.TASK_REVIEW_SAMPLING_REQUEST, call, "accept");
        complete(McpToolCall.TASK_WRITE_MODEL_REPLY, call, "accept");
        assertThat(call).isWaitingAt(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER);
        complete(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER, call, "accept");

        assertThat(call).hasPassed("EndEvent_ModelReplyWritten").isWaitingAt(McpToolCall.TASK_CALL_TOOL);
    }

    @Test
    void aRejectedRequestNeverReachesTheProvider() {
        ProcessInstance call = call(McpToolCall.REVIEW_REQUEST);
        sample(call);

        complete(McpToolCall.TASK_REVIEW_SAMPLING_REQUEST, call, "decline");

        assertThat(call).hasPassed(McpToolCall.END_SAMPLING_REJECTED).hasNotPassed(McpToolCall.TASK_WRITE_MODEL_REPLY);
    }

    @Test
    void aRejectedAnswerIsNotSent() {
        ProcessInstance call = call(McpToolCall.REVIEW_ANSWER);
        sample(call);

        complete(McpToolCall.TASK_WRITE_MODEL_REPLY, call, "accept");
        complete(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER, call, "decline");

        assertThat(call).hasPassed(McpToolCall.END_SAMPLING_REJECTED).hasNotPassed("EndEvent_ModelReplyWritten");
    }

    @Test
    void aConfiguredModelAnswersOnTheJobExecutorAndAReviewerChecksItsAnswer() {
        ProcessInstance call = runtimeService().startProcessInstanceByKey(McpToolCall.PROCESS_KEY,
                Map.of(McpToolCall.IN_SAMPLING_REVIEW, McpToolCall.REVIEW_ANSWER, McpToolCall.IN_SAMPLING_PROVIDER, "claude"));
        sample(call);

        assertThat(call).isWaitingAt(McpToolCall.TASK_ASK_MODEL);
        BpmnAwareTests.execute(
                BpmnAwareTests.job(McpToolCall.TASK_ASK_MODEL, call));

        assertThat(call).hasNotPassed(McpToolCall.TASK_WRITE_MODEL_REPLY).isWaitingAt(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER);
        Task review = taskService().createTaskQuery().processInstanceId(call.getId()).taskDefinitionKey(McpToolCall.TASK_REVIEW_SAMPLING_ANSWER).singleResult();
        assertThat(taskService().getVariable(review.getId(), McpToolCall.VAR_REPLY)).isEqualTo("The model's reply");
    }

    private static ProcessInstance call(String review) {
        return runtimeService().startProcessInstanceByKey(McpToolCall.PROCESS_KEY, Map.of(McpToolCall.IN_SAMPLING_REVIEW, review));
    }

    private static void sample(ProcessInstance call) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_REQUEST_ID, "request-1");
        variables.put(McpToolCall.VAR_ACTION, null);
        variables.put(McpToolCall.VAR_REPLY, null);
        runtimeService().createProcessInstanceModification(call.getId()).startBeforeActivity(McpToolCall.GATEWAY_REVIEW_REQUEST)
                .setVariablesLocal(variables).execute();
    }

    private static void complete(String taskKey, ProcessInstance call, String action) {
        Task task = taskService().createTaskQuery().processInstanceId(call.getId()).taskDefinitionKey(taskKey).singleResult();
        assertThat(task).as(taskKey).isNotNull();
        taskService().complete(task.getId(), Map.of(McpToolCall.VAR_ACTION, action, McpToolCall.VAR_REPLY, "A reply"));
        assertThat(runtimeService().getVariables(call.getId())).doesNotContainKeys(McpToolCall.VAR_ACTION, McpToolCall.VAR_REPLY);
    }
}
