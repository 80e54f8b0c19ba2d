package io.statehouse.mcp.client.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.Authentication;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.elicitation.AnswerViolatesSchemaException;
import io.statehouse.elicitation.JsonAnswers;
import io.statehouse.mcp.client.Answer;

/**
 * {@code ${mcpQuestionTasks}}: the task listener of the tasks that an MCP server's questions
 * become. On create it assigns the task as the calling element says; on complete it checks the
 * answer (a form elicitation's content against its {@code requestedSchema}, field by field) and,
 * once the transaction has committed, so that the answer is in the engine's history first, hands it
 * to the call that waits for it.
 */
@ApplicationScoped
public class QuestionTasks implements TaskListener {

    /** The name BPMN models use for this listener. */
    public static final String BEAN = "mcpQuestionTasks";
    /** Who answers when the calling element names nobody. */
    public static final String DEFAULT_CANDIDATE_GROUP = "reviewers";

    private static final Logger LOG = Logger.getLogger(QuestionTasks.class.getName());

    @Inject
    PendingQuestions pending;

    @Override
    public void notify(DelegateTask task) {
        if (EVENTNAME_CREATE.equals(task.getEventName())) {
            assign(task);
        } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
            Answer answer = answerOf(task);
            if (answer == null) {
                // A step on the way (an approved request, a reply that a reviewer checks next): the server waits on.
                return;
            }
            String requestId = (String) task.getVariable(McpToolCall.VAR_REQUEST_ID);
            RoundAnswers.keep(task.getExecution(), answer);
            pending.handOver(task.getExecution(), requestId, answer, () -> LOG.warning(() -> "Task " + task.getId()
                    + " was answered, but no MCP call waits for it any more (the call ended or Statehouse restarted); "
                    + "the answer is kept in the run's history"));
        }
    }

    private static void assign(DelegateTask task) {
        String assignee = text(task.getVariable(McpToolCall.IN_ASSIGNEE));
        String users = text(task.getVariable(McpToolCall.IN_CANDIDATE_USERS));
        String groups = text(task.getVariable(McpToolCall.IN_CANDIDATE_GROUPS));
        if (assignee != null) {
            task.setAssignee(assignee);
        }
        if (users != null) {
            task.addCandidateUsers(split(users));
        }
        if (groups != null) {
            task.addCandidateGroups(split(groups));
        }
        if (assignee == null && users == null && groups == null) {
            task.addCandidateGroup(DEFAULT_CANDIDATE_GROUP);
        }
    }

    /** The answer for the server, or null when the task is a step before it. */
    private static Answer answerOf(DelegateTask task) {
        Answer.Action action = action(task);
        if (action != Answer.Action.ACCEPT) {
            return Answer.of(action);
        }
        switch (task.getTaskDefinitionKey()) {
            case McpToolCall.TASK_REVIEW_SAMPLING_REQUEST:
                return null;
            case McpToolCall.TASK_REVIEW_SAMPLING_ANSWER:
                String reviewed = text(task.getVariable(McpToolCall.VAR_REPLY));
                if (reviewed == null) {
                    throw new FormFieldValidationException(McpToolCall.VAR_REPLY, McpToolCall.VAR_REPLY + " (the reply to send) is required to accept");
                }
                return Answer.reply(reviewed, text(task.getVariable(McpToolCall.VAR_MODEL)));
            case McpToolCall.TASK_ANSWER_ELICITATION:
                String schema = (String) task.getVariable(McpToolCall.VAR_REQUESTED_SCHEMA);
                try {
                    return Answer.accepted(JsonAnswers.checkedContent(JsonAnswers.schema(schema), text(task.getVariable(McpToolCall.VAR_CONTENT))));
                } catch (AnswerViolatesSchemaException e) {
                    // The detail carries the violations field by field, for forms that show them next to their fields.
                    throw new FormFieldValidationException(e.violations(), "The answer does not fit what the server asked for: "
                            + e.violations().stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
                }
            case McpToolCall.TASK_WRITE_MODEL_REPLY:
                String reply = text(task.getVariable(McpToolCall.VAR_REPLY));
                if (reply == null) {
                    throw new FormFieldValidationException(McpToolCall.VAR_REPLY, McpToolCall.VAR_REPLY + " (the model's reply) is required to accept a sampling request");
                }
                Authentication who = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
                String model = "statehouse-human" + (who == null ? "" : ":" + who.getUserId());
                task.setVariable(McpToolCall.VAR_MODEL, model);
                return reviews(task, McpToolCall.REVIEW_ANSWER) ? null : Answer.reply(reply, model);
            default:
                return Answer.of(Answer.Action.ACCEPT);
        }
    }

    private static boolean reviews(DelegateTask task, String what) {
        Object review = task.getVariable(McpToolCall.IN_SAMPLING_REVIEW);
        return what.equals(review) || McpToolCall.REVIEW_BOTH.equals(review);
    }

    private static Answer.Action action(DelegateTask task) {
        String action = text(task.getVariable(McpToolCall.VAR_ACTION));
        if (action == null) {
            throw new FormFieldValidationException(McpToolCall.VAR_ACTION, McpToolCall.VAR_ACTION + " is required: accept, decline or cancel");
        }
        try {
            return Answer.Action.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FormFieldValidationException(McpToolCall.VAR_ACTION, McpToolCall.VAR_ACTION + " must be accept, decline or cancel, not '" + action + "'");
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
