package io.statehouse.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.externalTaskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * The "Call an MCP tool" process as the worker drives it: questions started in it by process
 * instance modification, each with its own variables, and the call's end closing what is open.
 */
@ExtendWith(ProcessEngineExtension.class)
@Deployment(resources = {"io/statehouse/bpmn/mcp-tool-call.bpmn", "io/statehouse/bpmn/mcp-tool-call-caller.bpmn"})
class McpToolCallProcessTest {

    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void registerListeners() {
        Mocks.register("mcpToolCallRequested", (ExecutionListener) execution -> { });
        Mocks.register("mcpQuestionTasks", (TaskListener) task -> created.add(task.getEventName() + ":" + task.getTaskDefinitionKey()));
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    @Test
    void callWaitsAtTheExternalTaskWithTheElementsVariables() {
        ProcessInstance run = runtimeService().startProcessInstanceByKey("McpToolCallCallerProcess", Map.of("note", "taxi"));
        ProcessInstance call = callOf(run);

        assertThat(call).isWaitingAt(McpToolCall.TASK_CALL_TOOL).variables()
                .containsEntry(McpToolCall.IN_SERVER, "demo")
                .containsEntry(McpToolCall.IN_ARGUMENTS, "{\"note\": \"taxi\"}")
                .containsEntry(McpToolCall.IN_RUN_ID, run.getId());
        List<LockedExternalTask> locked = externalTaskService().fetchAndLock(1, "test").topic(McpToolCall.TOPIC, 60_000).execute();
        assertThat(locked).hasSize(1);
    }

    @Test
    void eachQuestionIsATaskWithItsOwnVariablesAndAnAnswerStaysWithItsTask() {
        ProcessInstance call = callOf(runtimeService().startProcessInstanceByKey("McpToolCallCallerProcess", Map.of("note", "taxi")));

        ask(call, McpToolCall.TASK_ANSWER_ELICITATION, "request-1");
        ask(call, McpToolCall.TASK_WRITE_MODEL_REPLY, "request-2");

        List<Task> tasks = taskService().createTaskQuery().processInstanceId(call.getId()).orderByTaskName().asc().list();
        assertThat(tasks).hasSize(2);
        assertThat(created).containsExactlyInAnyOrder("create:" + McpToolCall.TASK_ANSWER_ELICITATION, "create:" + McpToolCall.TASK_WRITE_MODEL_REPLY);
        Task elicitation = taskService().createTaskQuery().processInstanceId(call.getId()).taskDefinitionKey(McpToolCall.TASK_ANSWER_ELICITATION).singleResult();
        assertThat(taskService().getVariable(elicitation.getId(), McpToolCall.VAR_REQUEST_ID)).isEqualTo("request-1");

        taskService().complete(elicitation.getId(), Map.of(McpToolCall.VAR_ACTION, "accept", McpToolCall.VAR_CONTENT, "{}"));

        assertThat(runtimeService().getVariables(call.getId())).doesNotContainKeys(McpToolCall.VAR_ACTION, McpToolCall.VAR_CONTENT);
        assertThat(call).hasPassed(McpToolCall.TASK_ANSWER_ELICITATION).isWaitingAt(McpToolCall.TASK_CALL_TOOL, McpToolCall.TASK_WRITE_MODEL_REPLY);
    }

    @Test
    void theCallsEndClosesQuestionsStillOpenAndReturnsTheResult() {
        ProcessInstance run = runtimeService().startProcessInstanceByKey("McpToolCallCallerProcess", Map.of("note", "taxi"));
        ProcessInstance call = callOf(run);
        ask(call, McpToolCall.TASK_VISIT_URL, "request-3");
        LockedExternalTask task = externalTaskService().fetchAndLock(1, "test").topic(McpToolCall.TOPIC, 60_000).execute().get(0);

        externalTaskService().complete(task.getId(), "test", Map.of(McpToolCall.OUT_RESULT, "Recorded"));

        assertThat(call).hasPassed(McpToolCall.END_TOOL_CALLED).isEnded();
        assertThat(run).hasPassed("EndEvent_ToolCalled").isEnded();
        assertThat(taskService().createTaskQuery().processInstanceId(call.getId()).count()).isZero();
    }

    @Test
    void aToolErrorReachesTheCallingElementsBoundaryEvent() {
        ProcessInstance run = runtimeService().startProcessInstanceByKey("McpToolCallCallerProcess", Map.of("note", "taxi"));
        LockedExternalTask task = externalTaskService().fetchAndLock(1, "test").topic(McpToolCall.TOPIC, 60_000).execute().get(0);

        externalTaskService().handleBpmnError(task.getId(), "test", McpToolCall.ERROR_TOOL_FAILED, "Tool 'record_expense' reported an error");

        assertThat(run).hasPassed("EndEvent_ToolFailed").isEnded().variables()
                .containsEntry("toolError", "Tool 'record_expense' reported an error");
    }

    private static ProcessInstance callOf(ProcessInstance run) {
        return runtimeService().createProcessInstanceQuery().superProcessInstanceId(run.getId()).singleResult();
    }

    private static void ask(ProcessInstance call, String taskActivity, String requestId) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_REQUEST_ID, requestId);
        variables.put(McpToolCall.VAR_ACTION, null);
        variables.put(McpToolCall.VAR_CONTENT, null);
        runtimeService().createProcessInstanceModification(call.getId()).startBeforeActivity(taskActivity).setVariablesLocal(variables).execute();
    }
}
