package io.statehouse.bpmn;

import java.util.List;

/**
 * The process models that Statehouse deploys at start, as classpath resources of this module.
 * A test keeps this list and the files in {@code io/statehouse/bpmn/} in step.
 */
public final class ProcessModels {

    /** The deployment's name in the engine's repository (Cockpit shows it). */
    public static final String DEPLOYMENT_NAME = "statehouse";

    public static final List<String> RESOURCES = List.of(
            "io/statehouse/bpmn/ask-person.bpmn",
            "io/statehouse/bpmn/mcp-tool-call.bpmn",
            McpToolCall.FORM_ELICITATION,
            McpToolCall.FORM_URL_ELICITATION,
            McpToolCall.FORM_SAMPLING,
            McpToolCall.FORM_SAMPLING_REVIEW);

    /**
     * The demo profile's own deployment: models that call the demo MCP server in the web module, and
     * the MCP catalog that Statehouse's own MCP server offers beside them (the expense policy, a prompt
     * that reviews an expense).
     */
    public static final String DEMO_DEPLOYMENT_NAME = "statehouse-demo";

    public static final List<String> DEMO_RESOURCES = List.of(
            "io/statehouse/bpmn/demo/expense-agent.bpmn",
            "io/statehouse/bpmn/demo/expenses.mcp.json",
            "io/statehouse/bpmn/demo/expense-policy.md");

    private ProcessModels() {
    }

    /**
     * "Expense agent (demo)": three MCP tool calls on the demo MCP server (record, analyse, report),
     * the agent run a newcomer starts from the Tasklist.
     */
    public static final class ExpenseAgent {
        public static final String PROCESS_KEY = "ExpenseAgentProcess";
        public static final String CALL_RECORD_EXPENSE = "CallActivity_RecordExpense";
        public static final String CALL_ANALYSE_SPENDING = "CallActivity_AnalyseSpending";
        public static final String CALL_GENERATE_REPORT = "CallActivity_GenerateReport";
        public static final String END_REPORT_READY = "EndEvent_ReportReady";
        public static final String VAR_NOTE = "note";
        public static final String VAR_RECORDED_EXPENSE = "recordedExpense";
        public static final String VAR_SPENDING_ANALYSIS = "spendingAnalysis";
        public static final String VAR_MONTHLY_REPORT = "monthlyReport";

        private ExpenseAgent() {
        }
    }

    /**
     * "Ask a person": an agent run asks a question and waits, durably, for a person to answer it
     * in the Tasklist.
     */
    public static final class AskPerson {
        public static final String PROCESS_KEY = "AskPersonProcess";
        public static final String TASK_ANSWER_QUESTION = "Task_AnswerQuestion";
        public static final String END_ANSWERED = "EndEvent_QuestionAnswered";
        public static final String END_EXPIRED = "EndEvent_QuestionExpired";
        public static final String TIMER_NO_ANSWER = "BoundaryEvent_NoAnswerInTime";
        /** Who may answer: the group that the demo user belongs to. */
        public static final String CANDIDATE_GROUP = "reviewers";

        public static final String VAR_QUESTION = "question";
        public static final String VAR_CONTEXT = "context";
        public static final String VAR_ANSWER = "answer";

        private AskPerson() {
        }
    }

    /**
     * "Call an MCP tool": the reusable process behind the Modeler's "MCP tool call" element (a call
     * activity). Its external service task calls the tool on a registered MCP server; while the call
     * runs, every question the server asks becomes a user task in this process instance, so that it
     * sits in the Tasklist and in Cockpit under the run that made the call.
     *
     * <p>Variables named {@code IN_*} are what the calling run passes in ({@code camunda:in}),
     * {@code OUT_*} what it takes back ({@code camunda:out}); the element template in
     * {@code bpmn/element-templates/} writes both.
     */
    public static final class McpToolCall {
        public static final String PROCESS_KEY = "McpToolCallProcess";
        public static final String TASK_CALL_TOOL = "Task_CallTool";
        /** The external task topic that Statehouse's in-process worker serves. */
        public static final String TOPIC = "statehouse-mcp-tool-call";
        public static final String END_TOOL_CALLED = "EndEvent_ToolCalled";

        public static final String SUBPROCESS_ELICITATION = "SubProcess_ElicitationRequested";
        public static final String TASK_ANSWER_ELICITATION = "Task_AnswerElicitation";
        public static final String SUBPROCESS_URL_ELICITATION = "SubProcess_UrlElicitationRequested";
        public static final String TASK_VISIT_URL = "Task_VisitUrl";
        public static final String SUBPROCESS_SAMPLING = "SubProcess_SamplingRequested";
        public static final String TASK_WRITE_MODEL_REPLY = "Task_WriteModelReply";
        /** A configured model provider answers the sampling request (asynchronously, on the job executor). */
        public static final String TASK_ASK_MODEL = "Task_AskModel";
        /** Optional human review of a sampling request before the provider answers it. */
        public static final String TASK_REVIEW_SAMPLING_REQUEST = "Task_ReviewSamplingRequest";
        /** Optional human review of the provider's answer before it goes back to the server. */
        public static final String TASK_REVIEW_SAMPLING_ANSWER = "Task_ReviewSamplingAnswer";
        public static final String END_SAMPLING_REJECTED = "EndEvent_SamplingRejected";
        /** Where a sampling request enters its subprocess: the gateway that decides on a review of the request. */
        public static final String GATEWAY_REVIEW_REQUEST = "Gateway_ReviewRequest";

        /** A tool result with {@code isError: true}; a boundary event on the call activity may catch it. */
        public static final String ERROR_TOOL_FAILED = "Err_McpToolFailed";
        /** The MCP session ended while the call ran (server restart, expiry, Statehouse restart). */
        public static final String ERROR_SESSION_LOST = "Err_McpSessionLost";

        public static final String FORM_ELICITATION = "io/statehouse/bpmn/forms/mcp-elicitation.html";
        public static final String FORM_URL_ELICITATION = "io/statehouse/bpmn/forms/mcp-url-elicitation.html";
        public static final String FORM_SAMPLING = "io/statehouse/bpmn/forms/mcp-sampling.html";
        public static final String FORM_SAMPLING_REVIEW = "io/statehouse/bpmn/forms/mcp-sampling-review.html";

        // Passed in by the calling run.
        /** Name of a registered MCP server. */
        public static final String IN_SERVER = "mcpServer";
        /** Name of the tool on that server. */
        public static final String IN_TOOL = "mcpTool";
        /** The tool's arguments: a JSON object as text, or a {@code java.util.Map}. */
        public static final String IN_ARGUMENTS = "mcpArguments";
        /** Who answers the server's questions; comma-separated, like Camunda's own attributes. */
        public static final String IN_ASSIGNEE = "mcpAssignee";
        public static final String IN_CANDIDATE_USERS = "mcpCandidateUsers";
        public static final String IN_CANDIDATE_GROUPS = "mcpCandidateGroups";
        /** Which sampling provider answers {@code sampling/createMessage}; {@code human} is the embedded default. */
        public static final String IN_SAMPLING_PROVIDER = "mcpSamplingProvider";
        /**
         * Human review of sampling: {@code none} (the default), {@code request} (a person approves the
         * request before the provider sees it), {@code answer} (a person approves or edits the answer
         * before it goes back) or {@code both}.
         */
        public static final String IN_SAMPLING_REVIEW = "mcpSamplingReview";
        public static final String REVIEW_NONE = "none";
        public static final String REVIEW_REQUEST = "request";
        public static final String REVIEW_ANSWER = "answer";
        public static final String REVIEW_BOTH = "both";
        /** ISO-8601 duration for the whole call, questions to people included (default {@code PT24H}). */
        public static final String IN_TIMEOUT = "mcpTimeout";
        /** The calling run's process instance: progress goes there too. */
        public static final String IN_RUN_ID = "mcpRunId";

        // Given back to the calling run.
        /** The tool result: the structured content as JSON text when there is some, else the text content. */
        public static final String OUT_RESULT = "mcpResult";
        /** The whole {@code CallToolResult} as JSON text. */
        public static final String OUT_RESULT_JSON = "mcpResultJson";

        // Progress, on the call and on the run.
        public static final String VAR_PROGRESS = "mcpProgress";
        public static final String VAR_PROGRESS_TOTAL = "mcpProgressTotal";
        public static final String VAR_PROGRESS_MESSAGE = "mcpProgressMessage";

        // Local to one question task.
        /** Statehouse's id of one pending request of the server (the key of its future). */
        public static final String VAR_REQUEST_ID = "mcpRequestId";
        /** The server's message to the person. */
        public static final String VAR_MESSAGE = "mcpMessage";
        /** The {@code requestedSchema} of a form-mode elicitation, as JSON text. */
        public static final String VAR_REQUESTED_SCHEMA = "mcpRequestedSchema";
        /** URL mode: the URL to visit, and the server's elicitation id. */
        public static final String VAR_URL = "mcpUrl";
        public static final String VAR_ELICITATION_ID = "mcpElicitationId";
        /** Sampling: the request ({@code CreateMessageRequest} as JSON text). */
        public static final String VAR_SAMPLING_REQUEST = "mcpSamplingRequest";
        /** Why Statehouse closed the task (session lost, call ended) when it did. */
        public static final String VAR_CLOSED_REASON = "mcpClosedReason";
        /**
         * Set on the call while the worker has it in flight: found at the next fetch, it means the
         * earlier attempt died with its node, and with it the MCP session.
         */
        public static final String VAR_CALL_IN_FLIGHT = "mcpCallInFlight";
        /**
         * The tasks extension: the id of the task its server made of the call (on the call's instance),
         * so that after a restart the call goes on following the same task.
         */
        public static final String VAR_REMOTE_TASK = "mcpRemoteTaskId";
        /** MCP 2026-07-28: the open round's {@code requestState}, as the server sent it (on the call's instance). */
        public static final String VAR_REQUEST_STATE = "mcpRequestState";
        /** MCP 2026-07-28: the open round's {@code inputRequests}, as JSON text (on the call's instance). */
        public static final String VAR_INPUT_REQUESTS = "mcpInputRequests";
        /** MCP 2026-07-28: a question's key in the round (on its task's scope). */
        public static final String VAR_INPUT_KEY = "mcpInputKey";
        /** MCP 2026-07-28: a question's method in the round (on its task's scope). */
        public static final String VAR_INPUT_METHOD = "mcpInputMethod";
        /** MCP 2026-07-28: the answer to a round's question, as JSON text, kept on the call's instance under this prefix and its key. */
        public static final String VAR_INPUT_RESPONSE_PREFIX = "mcpInputResponse.";
        /**
         * A question's answer as JSON text ({@code action}, {@code content}, {@code reply}, {@code model},
         * {@code stopReason}), kept on the call's instance under this prefix and the request id in the
         * transaction that gives it: the node that holds the call reads it there when the answer was
         * given on another node.
         */
        public static final String VAR_ANSWER_PREFIX = "mcpAnswer.";

        // What the person sets when completing a question task.
        /** {@code accept}, {@code decline} or {@code cancel}. */
        public static final String VAR_ACTION = "mcpAction";
        /** Elicitation: the accepted content, a JSON object as text, checked against the requested schema. */
        public static final String VAR_CONTENT = "mcpContent";
        /** Sampling: the reply text the person writes as the model (and a reviewer may edit). */
        public static final String VAR_REPLY = "mcpReply";
        /** Sampling: the name reported as the result's {@code model}: who or what wrote the reply. */
        public static final String VAR_MODEL = "mcpModel";
        /** Sampling by a model provider: the provider's stop reason, and tokens and latency for the record. */
        public static final String VAR_STOP_REASON = "mcpStopReason";
        public static final String VAR_SAMPLING_USAGE = "mcpSamplingUsage";

        public static final String ACTION_ACCEPT = "accept";
        public static final String ACTION_DECLINE = "decline";
        public static final String ACTION_CANCEL = "cancel";

        private McpToolCall() {
        }
    }

    /**
     * A process-backed tool: a process that Statehouse's MCP server lists as a tool, the extension
     * properties a modeler sets on it and its elements, and the variables the server keeps on its run.
     */
    public static final class ProcessTool {
        /** Process property: {@code true} lists the process as a tool. */
        public static final String PROPERTY_TOOL = "statehouse.tool";
        /** Process property, optional: the tool's name (default: the process key). */
        public static final String PROPERTY_NAME = "statehouse.tool.name";
        /** Process property, optional: the variables that make up the result, comma-separated (default: all). */
        public static final String PROPERTY_OUTPUT = "statehouse.tool.output";
        /**
         * Process property, optional: client capabilities a caller must have declared, comma-separated:
         * {@code sampling}, {@code elicitation}, {@code tasks} (the MCP tasks extension of 2026-07-28: the
         * run takes long and is followed as a task).
         */
        public static final String PROPERTY_REQUIRES = "statehouse.tool.requires";
        /**
         * Process property, optional: {@value #TASK_IMMEDIATE} answers a caller that declared the MCP tasks
         * extension with a task at once, whose questions it then polls; by default a call asks its
         * questions in rounds first and becomes a task once its run goes on working.
         */
        public static final String PROPERTY_TASK = "statehouse.tool.task";
        /** See {@link #PROPERTY_TASK}. */
        public static final String TASK_IMMEDIATE = "immediate";
        /** User task property: {@value #ELICIT_CALLER} asks the calling client (and keeps the task in the Tasklist). */
        public static final String PROPERTY_ELICIT = "statehouse.elicit";
        /** See {@link #PROPERTY_ELICIT}. */
        public static final String ELICIT_CALLER = "caller";
        /** Form field property: a JSON object that refines the field's schema for the caller. */
        public static final String PROPERTY_SCHEMA = "statehouse.schema";

        /**
         * In the run, optional: the tool result's content, a JSON array of MCP content blocks (text,
         * image, audio, resource); always part of the result, whatever {@link #PROPERTY_OUTPUT} says.
         */
        public static final String VAR_RESULT_CONTENT = "mcpResultContent";
        /** The name {@link #VAR_RESULT_CONTENT} had before; still read, with a deprecation warning. */
        public static final String VAR_RESULT_CONTENT_DEPRECATED = "mcpContent";
        /** Kept by the server: the open call, so that the run's tasks find their caller. */
        public static final String VAR_CALLER_ID = "mcpCallerId";
        /** Kept by the server: the user who called the tool; a caller's answers are given as that user. */
        public static final String VAR_CALLER_USER = "mcpCallerUser";
        /** Kept by the server: the round of questions its caller was last sent (multi round-trip requests). */
        public static final String VAR_ROUND = "mcpRound";
        /** Kept by the server: the code of an error end event at the process's top level, which nothing can catch. */
        public static final String VAR_BPMN_ERROR = "mcpBpmnError";
        /** Kept by the server: the MCP task that follows the run (tasks extension), an unguessable id its caller polls. */
        public static final String VAR_TASK_ID = "mcpTaskId";
        /** Kept by the server: the questions of a task its caller declined, by key, comma-separated; they are not asked again. */
        public static final String VAR_TASK_DECLINED = "mcpTaskDeclined";

        private ProcessTool() {
        }
    }

    /**
     * A sampling task in a process-backed tool: an external service task on {@link #TOPIC}. When the
     * run was started by an MCP client that declared sampling, the client's model answers
     * ({@code sampling/createMessage}); otherwise a configured sampling provider does.
     */
    public static final class SamplingTask {
        public static final String TOPIC = "statehouse-sampling";
        /** In: what the model is asked (the user message). */
        public static final String VAR_PROMPT = "samplingPrompt";
        /** In, optional: the system prompt. */
        public static final String VAR_SYSTEM_PROMPT = "samplingSystemPrompt";
        /** In, optional: the most tokens the reply may have (default 500). */
        public static final String VAR_MAX_TOKENS = "samplingMaxTokens";
        /** Out: the model's reply. */
        public static final String VAR_REPLY = "samplingReply";
        /** Out: which model answered. */
        public static final String VAR_MODEL = "samplingModel";

        private SamplingTask() {
        }
    }

    /**
     * A roots task in a process-backed tool: an external service task on {@link #TOPIC} that asks the
     * MCP client that called the run for its roots ({@code roots/list}: the directories or files it
     * lets the run work on). A caller that did not declare roots has none.
     */
    public static final class RootsTask {
        public static final String TOPIC = "statehouse-roots";
        /** Out: the caller's roots, a JSON array of {@code {"uri": …, "name": …}}. */
        public static final String VAR_ROOTS = "mcpRoots";

        private RootsTask() {
        }
    }
}
