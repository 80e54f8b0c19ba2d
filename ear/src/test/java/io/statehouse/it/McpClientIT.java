package io.statehouse.it;

import static io.statehouse.it.EngineRest.stringValue;
import static io.statehouse.it.Http.API;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.ExpenseAgent;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * Statehouse as an MCP client against the real {@code @modelcontextprotocol/server-everything} over
 * Streamable HTTP: a run with one "MCP tool call" element (a call activity, as the element template
 * writes it), whose server's questions are answered through the public task API.
 */
@ExtendWith(ArquillianExtension.class)
class McpClientIT {

    static final String RUN_PROCESS = "McpClientItProcess";
    static final String SERVER = "everything";

    private static NodeMcpServer everything;
    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (everything != null) {
            everything.close();
        }
    }

    @Test
    void echoResultLandsInTheResultVariable() {
        String run = startRun("echo", "{\"message\": \"hello from Statehouse\"}");
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).isEqualTo("Echo: hello from Statehouse");
    }

    @Test
    void resultLongerThanAStringVariableHoldsArrivesWhole() {
        setUp();
        String message = "expense line; ".repeat(500);
        // Arguments this long are a Json variable: a String variable holds 4000 characters.
        String run = engine.startRun(RUN_PROCESS,
                EngineRest.variables(Json.createObjectBuilder().add("server", stringValue(SERVER)).add("tool", stringValue("echo")).add("review", stringValue("none")).add("provider", stringValue("human"))
                        .add("arguments", Json.createObjectBuilder().add("type", "Json")
                                .add("value", Json.createObjectBuilder().add("message", message).build().toString()))));
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).isEqualTo("Echo: " + message);
    }

    @Test
    void argumentsTemplateStaysValidJsonWhateverThePersonTyped() {
        setUp();
        String message = "Taxi \"airport\"\nand back\\home";
        String run = engine.startRun("McpClientItTemplateProcess", EngineRest.variables(Json.createObjectBuilder().add("message", stringValue(message))));
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).isEqualTo("Echo: " + message);
    }

    @Test
    void demoExpenseAgentRecordsAnalysesAndReportsWithPeopleAnsweringInTheTaskApi() {
        String run = engine.startRun(ExpenseAgent.PROCESS_KEY, EngineRest.variables(Json.createObjectBuilder().add(ExpenseAgent.VAR_NOTE, stringValue("Taxi to the client"))));

        JsonObject question = engine.awaitTask(engine.awaitCall(run), McpToolCall.TASK_ANSWER_ELICITATION);
        HttpResponse<String> answered = complete(question, "accept",
                "{\"amount\": 42.5, \"currency\": \"EUR\", \"category\": \"travel\", \"date\": \"2026-11-25\","
                        + " \"description\": \"Taxi to the client\", \"billable\": true, \"tags\": [\"client-visit\"]}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(204);

        AtomicReference<JsonObject> found = new AtomicReference<>();
        Http.await("the analysis to ask for a model's reply", Duration.ofSeconds(30), () -> {
            for (JsonObject call : engine.calls(run).getValuesAs(JsonObject.class)) {
                JsonArray tasks = engine.tasks(call.getString("id"), McpToolCall.TASK_WRITE_MODEL_REPLY);
                if (!tasks.isEmpty()) {
                    found.set(tasks.getJsonObject(0));
                }
            }
            return found.get() != null;
        });
        JsonObject sampling = found.get();
        HttpResponse<String> replied = engine.complete(sampling.getString("id"),
                EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))
                        .add(McpToolCall.VAR_REPLY, stringValue("Travel dominates this month."))));
        assertThat(replied.statusCode()).as(replied.body()).isEqualTo(204);

        engine.awaitEnded(run);
        assertThat(engine.historicText(run, ExpenseAgent.VAR_RECORDED_EXPENSE)).contains("\"recorded\":true").contains("Taxi to the client");
        assertThat(engine.historicText(run, ExpenseAgent.VAR_SPENDING_ANALYSIS)).contains("Travel dominates this month.");
        assertThat(engine.historicText(run, ExpenseAgent.VAR_MONTHLY_REPORT)).isNotBlank();
        assertThat(engine.historicNumber(run, McpToolCall.VAR_PROGRESS)).isEqualTo(5.0);
    }

    @Test
    void formElicitationBecomesATaskWhoseCheckedAnswerGoesBackToTheServer() {
        String run = startRun("trigger-elicitation-request", "{}");
        String call = engine.awaitCall(run);
        JsonObject task = engine.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
        JsonObject variables = engine.taskVariables(task.getString("id"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_MESSAGE).getString("value")).contains("Please provide inputs");
        assertThat(variables.getJsonObject(McpToolCall.VAR_REQUESTED_SCHEMA).getString("value")).contains("\"required\"");
        JsonArray links = engine.identityLinks(task.getString("id"));
        assertThat(links.getValuesAs(JsonObject.class)).anyMatch(l -> "reviewers".equals(l.getString("groupId", null)));

        HttpResponse<String> violating = complete(task, "accept", "{\"name\": \"Ayu\", \"integer\": 1000, \"email\": \"not-an-email\"}");
        assertThat(violating.statusCode()).as(violating.body()).isEqualTo(400);
        assertThat(violating.body()).contains("does not fit").contains("integer: Integer must be at most 100")
                .contains("email: String with email format must be an email address");
        assertThat(engine.tasks(call)).hasSize(1);

        HttpResponse<String> accepted = complete(task, "accept",
                "{\"name\": \"Ayu Lestari\", \"check\": true, \"integer\": 7, \"email\": \"ayu@example.org\","
                        + " \"untitledMultipleSelectEnum\": [\"Piano\", \"Drums\"], \"titledSingleSelectEnum\": \"hero-3\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
        engine.awaitEnded(run);
        String result = engine.historicText(run, "toolResult");
        assertThat(result).contains("User provided the requested information").contains("Ayu Lestari").contains("Favorite Integer: 7")
                .contains("\"Piano\"").contains("hero-3");
    }

    @Test
    void declinedAndCancelledElicitationsAreToldToTheServer() {
        String declinedRun = startRun("trigger-elicitation-request", "{}");
        String cancelledRun = startRun("trigger-elicitation-request", "{}");
        assertThat(complete(engine.awaitTask(engine.awaitCall(declinedRun), McpToolCall.TASK_ANSWER_ELICITATION), "decline", null).statusCode()).isEqualTo(204);
        assertThat(complete(engine.awaitTask(engine.awaitCall(cancelledRun), McpToolCall.TASK_ANSWER_ELICITATION), "cancel", null).statusCode()).isEqualTo(204);
        engine.awaitEnded(declinedRun);
        engine.awaitEnded(cancelledRun);
        assertThat(engine.historicText(declinedRun, "toolResult")).contains("User declined");
        assertThat(engine.historicText(cancelledRun, "toolResult")).contains("User cancelled");
    }

    @Test
    void urlElicitationShowsTheUrlAndClosesWhenThePersonIsDone() {
        String run = startRun("trigger-url-elicitation",
                "{\"url\": \"https://example.org/connect\", \"message\": \"Connect your calendar\", \"elicitationId\": \"it-url-1\"}");
        JsonObject task = engine.awaitTask(engine.awaitCall(run), McpToolCall.TASK_VISIT_URL);
        JsonObject variables = engine.taskVariables(task.getString("id"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_URL).getString("value")).isEqualTo("https://example.org/connect");
        assertThat(variables.getJsonObject(McpToolCall.VAR_ELICITATION_ID).getString("value")).isEqualTo("it-url-1");
        assertThat(complete(task, "accept", null).statusCode()).isEqualTo(204);
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).contains("accept");
    }

    @Test
    void urlRequiredErrorBecomesATaskAndTheCallIsMadeAgainOnceItIsDone() {
        String run = startRun("trigger-url-elicitation",
                "{\"url\": \"https://example.org/authorize\", \"message\": \"Authorize the calendar\", \"errorPath\": true}");
        String call = engine.awaitCall(run);
        JsonObject prerequisite = engine.awaitTask(call, McpToolCall.TASK_VISIT_URL);
        assertThat(engine.taskVariables(prerequisite.getString("id"))
                .getJsonObject(McpToolCall.VAR_URL).getString("value")).isEqualTo("https://modelcontextprotocol.io");
        assertThat(complete(prerequisite, "accept", null).statusCode()).isEqualTo(204);

        AtomicReference<JsonObject> retried = new AtomicReference<>();
        Http.await("the retried call's own URL question", Duration.ofSeconds(30), () -> {
            JsonArray tasks = engine.tasks(call, McpToolCall.TASK_VISIT_URL);
            tasks.getValuesAs(JsonObject.class).stream().filter(t -> !t.getString("id").equals(prerequisite.getString("id")))
                    .findFirst().ifPresent(retried::set);
            return retried.get() != null;
        });
        assertThat(complete(retried.get(), "accept", null).statusCode()).isEqualTo(204);
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).contains("User completed the URL elicitation flow").contains("https://example.org/authorize");
    }

    @Test
    void urlQuestionClosesWhenTheServerReportsItComplete() throws IOException, InterruptedException {
        setUp();
        try (NodeMcpServer bench = NodeMcpServer.bench()) {
            assertThat(operator.putJson(API + "/mcp-servers/bench-url", "{\"url\": \"" + bench.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("bench-url", "url_then_complete", "{}");
            String call = engine.awaitCall(run);
            engine.awaitEnded(run);
            assertThat(engine.historicText(run, "toolResult")).contains(": accept");
            JsonArray tasks = engine.historicTasks(call, McpToolCall.TASK_VISIT_URL);
            assertThat(tasks).hasSize(1);
            assertThat(tasks.getJsonObject(0).containsKey("assignee") && !tasks.getJsonObject(0).isNull("assignee")).as("nobody had to act").isFalse();
        }
    }

    @Test
    void aServerOn2026AsksInRoundsAndTheSameModelAnswersThem() throws IOException, InterruptedException {
        setUp();
        try (NodeMcpServer rounds = NodeMcpServer.rounds()) {
            assertThat(operator.putJson(API + "/mcp-servers/rounds", "{\"url\": \"" + rounds.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("rounds", "plan_trip", "{\"destination\": \"Bali\"}");
            String call = engine.awaitCall(run);

            // Round 1 asks two things at once: the same question and sampling tasks as on a stateful server.
            JsonObject traveller = engine.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            JsonObject pitch = engine.awaitTask(call, McpToolCall.TASK_WRITE_MODEL_REPLY);
            assertThat(traveller.getString("name")).isNotBlank();
            assertThat(complete(traveller, "accept", "{\"name\": \"Ayu\"}").statusCode()).isEqualTo(204);
            assertThat(engine.ended(run)).as("the retry waits for every answer of the round").isFalse();
            assertThat(engine.complete(pitch.getString("id"),
                    EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))
                            .add(McpToolCall.VAR_REPLY, stringValue("Sun, surf and rice fields.")))).statusCode()).isEqualTo(204);

            // Round 2, after the retry with both answers and the server's requestState.
            JsonObject budget = engine.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            assertThat(budget.getString("id")).isNotEqualTo(traveller.getString("id"));
            assertThat(complete(budget, "accept", "{\"euros\": 0}").statusCode()).as("the server's schema says at least 1").isEqualTo(400);
            assertThat(complete(budget, "accept", "{\"euros\": 900}").statusCode()).isEqualTo(204);

            engine.awaitEnded(run);
            assertThat(engine.historicText(run, "toolResult")).contains("\"traveller\":\"Ayu\"").contains("\"euros\":900")
                    .contains("Sun, surf and rice fields.");
            assertThat(rounds.calls()).isEqualTo("[{\"round\":0,\"keys\":[]},{\"round\":1,\"keys\":[\"traveller\",\"pitch\"]},"
                    + "{\"round\":2,\"keys\":[\"budget\"]}]");
        }
    }

    /**
     * Statehouse as the requester of the tasks extension, against a TypeScript server that offers it
     * ({@code tasks-server.mjs}, on {@code @modelcontextprotocol/ext-tasks}): the call becomes a task on
     * the server, its id kept on the call's instance; the task's {@code input_required} request is the
     * same question task as a round's, and its answer goes back with {@code tasks/update}; the task's
     * result is the call's.
     */
    @Test
    void aRemoteToolThatBecomesATaskIsFollowedAndItsQuestionAnsweredInTheTasklist() throws IOException, InterruptedException {
        setUp();
        try (NodeMcpServer tasks = NodeMcpServer.tasks()) {
            assertThat(operator.putJson(API + "/mcp-servers/tasks", "{\"url\": \"" + tasks.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("tasks", "book_trip", "{\"destination\": \"Lombok\"}");
            String call = engine.awaitCall(run);

            JsonObject traveller = engine.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            String taskId = engine.variableJson(call, McpToolCall.VAR_REMOTE_TASK);
            assertThat(taskId).as("the remote task's id, kept on the call").isNotBlank();
            assertThat(complete(traveller, "accept", "{\"name\": \"Rina\"}").statusCode()).isEqualTo(204);

            engine.awaitEnded(run);
            assertThat(engine.historicText(run, "toolResult")).as("the task's result, its structured content").isEqualTo("{\"destination\":\"Lombok\",\"traveller\":\"Rina\"}");
            String seen = tasks.calls();
            assertThat(seen).as("what the server was sent").contains("tools/call").contains("tasks/get").contains("tasks/update")
                    .contains("traveller").doesNotContain("tasks/cancel");
        }
    }

    /** A run cancelled while its call follows a remote task (working, or asking a person): the task is cancelled on its server. */
    @Test
    void aRunCancelledWhileItsCallFollowsARemoteTaskCancelsTheTask() throws IOException, InterruptedException {
        setUp();
        try (NodeMcpServer tasks = NodeMcpServer.tasks()) {
            assertThat(operator.putJson(API + "/mcp-servers/tasks", "{\"url\": \"" + tasks.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("tasks", "slow_report", "{\"seconds\": 300}");
            String call = engine.awaitCall(run);
            Http.await("the call to follow its remote task", Duration.ofSeconds(30),
                    () -> !engine.variableInstances(call, McpToolCall.VAR_REMOTE_TASK).isEmpty());
            assertThat(engine.cancel(run).statusCode()).isEqualTo(204);
            Http.await("tasks/cancel on the server", Duration.ofSeconds(60), () -> tasks.calls().contains("tasks/cancel"));

            // Cancelled while the task's question waits for a person: the question's task goes with the run, and the task is cancelled all the same.
            String asking = startRun("tasks", "book_trip", "{\"destination\": \"Flores\"}");
            String askingCall = engine.awaitCall(asking);
            engine.awaitTask(askingCall, McpToolCall.TASK_ANSWER_ELICITATION);
            assertThat(engine.cancel(asking).statusCode()).isEqualTo(204);
            Http.await("a second tasks/cancel on the server", Duration.ofSeconds(60),
                    () -> tasks.calls().split("\"method\":\"tasks/cancel\"", -1).length == 3);
        }
    }

    @Test
    void samplingIsAnsweredByAPersonAsTheModel() {
        String run = startRun("trigger-sampling-request", "{\"prompt\": \"Summarise the quarter in one line\", \"maxTokens\": 50}");
        JsonObject task = engine.awaitTask(engine.awaitCall(run), McpToolCall.TASK_WRITE_MODEL_REPLY);
        JsonObject variables = engine.taskVariables(task.getString("id"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_SAMPLING_REQUEST).getString("value"))
                .contains("Summarise the quarter in one line").contains("\"maxTokens\":50");

        HttpResponse<String> noReply = engine.complete(task.getString("id"),
                EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))));
        assertThat(noReply.statusCode()).as(noReply.body()).isEqualTo(400);
        HttpResponse<String> replied = engine.complete(task.getString("id"),
                EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))
                        .add(McpToolCall.VAR_REPLY, stringValue("Revenue grew 12 %, costs held flat."))));
        assertThat(replied.statusCode()).as(replied.body()).isEqualTo(204);
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).contains("Revenue grew 12 %, costs held flat.").contains("statehouse-human:demo");
    }

    @Test
    void samplingReviewedBeforeAndAfterSendsTheAnswerAsTheReviewerEditedIt() {
        String run = startRun(SERVER, "trigger-sampling-request", "{\"prompt\": \"Name one risk\", \"maxTokens\": 20}", McpToolCall.REVIEW_BOTH);
        String call = engine.awaitCall(run);
        JsonObject request = engine.awaitTask(call, McpToolCall.TASK_REVIEW_SAMPLING_REQUEST);
        assertThat(complete(request, "accept", null).statusCode()).isEqualTo(204);
        JsonObject write = engine.awaitTask(call, McpToolCall.TASK_WRITE_MODEL_REPLY);
        assertThat(engine.complete(write.getString("id"),
                EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))
                        .add(McpToolCall.VAR_REPLY, stringValue("Currency risk.")))).statusCode()).isEqualTo(204);
        JsonObject answer = engine.awaitTask(call, McpToolCall.TASK_REVIEW_SAMPLING_ANSWER);
        JsonObject variables = engine.taskVariables(answer.getString("id"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_REPLY).getString("value")).isEqualTo("Currency risk.");
        assertThat(engine.ended(run)).as("nothing is sent before the review").isFalse();
        assertThat(engine.complete(answer.getString("id"),
                EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))
                        .add(McpToolCall.VAR_REPLY, stringValue("Currency risk, hedged in Q3.")))).statusCode()).isEqualTo(204);
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).contains("Currency risk, hedged in Q3.").contains("statehouse-human:demo");
    }

    @Test
    void samplingByAConfiguredModelProviderAgainstAnOpenAiStandIn() throws Exception {
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            String run = startRun(SERVER, "trigger-sampling-request", "{\"prompt\": \"Name one risk\", \"maxTokens\": 20}",
                    McpToolCall.REVIEW_NONE, "standin");
            engine.awaitEnded(run);
            assertThat(engine.historicText(run, "toolResult")).contains("Stand-in model reply to:").contains("Name one risk")
                    .contains("stand-in-model-stand-in");
            HttpResponse<String> usage = operator.get(API + "/sampling-usage");
            assertThat(usage.statusCode()).isEqualTo(200);
            assertThat(object(usage).getJsonObject("providers").getJsonObject("standin").getJsonNumber("tokens").longValue())
                    .as("the stand-in's 12 + 7 tokens per call are accounted").isGreaterThanOrEqualTo(19);
        }
    }

    @Test
    void progressBecomesVariablesOnTheRunAndTheLastReportIsKept() {
        String run = startRun("trigger-long-running-operation", "{\"duration\": 2, \"steps\": 5}");
        AtomicReference<JsonArray> seen = new AtomicReference<>();
        Http.await("progress on the running run", Duration.ofSeconds(30), () -> {
            seen.set(engine.variableInstances(run, McpToolCall.VAR_PROGRESS));
            return !seen.get().isEmpty() || engine.ended(run);
        });
        engine.awaitEnded(run);
        assertThat(engine.historicText(run, "toolResult")).contains("Long running operation completed");
        assertThat(engine.historicNumber(run, McpToolCall.VAR_PROGRESS)).isEqualTo(5.0);
        assertThat(engine.historicNumber(run, McpToolCall.VAR_PROGRESS_TOTAL)).isEqualTo(5.0);
    }

    @Test
    void toolErrorIsABpmnErrorTheModelCatches() {
        // server-everything answers arguments that fail its input schema with a tool result that has isError.
        String run = startRun("get-sum", "{\"a\": \"not a number\", \"b\": 2}");
        engine.awaitEnded(run);
        JsonArray ended = engine.historicActivities(run, "EndEvent_ToolFailed");
        assertThat(ended).as("the run ended through its error boundary event").hasSize(1);
        assertThat(engine.historicText(run, "toolError")).contains("get-sum").contains("reported an error");
    }

    @Test
    void serverThatDiesWhileAPersonThinksClosesTheQuestionWithTheReasonAndFailsTheCall() throws Exception {
        setUp();
        String call;
        JsonObject task;
        try (NodeMcpServer doomed = NodeMcpServer.everything()) {
            assertThat(operator.putJson(API + "/mcp-servers/doomed", "{\"url\": \"" + doomed.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("doomed", "trigger-elicitation-request", "{}");
            call = engine.awaitCall(run);
            task = engine.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
        }
        AtomicReference<JsonArray> incidents = new AtomicReference<>();
        Http.await("the lost session to end the call", Duration.ofSeconds(60), () -> {
            incidents.set(engine.incidents(call));
            return !incidents.get().isEmpty();
        });
        assertThat(incidents.get().getJsonObject(0).getString("incidentMessage")).contains("doomed").contains(McpToolCall.ERROR_SESSION_LOST);
        assertThat(engine.tasks(call)).as("no question left open").isEmpty();
        JsonArray reason = engine.historicTaskVariables(task.getString("id"), McpToolCall.VAR_CLOSED_REASON);
        JsonArray comments = engine.comments(task.getString("id"));
        assertThat(reason.toString() + comments).contains("doomed");
    }

    @Test
    void unreachableServerIsAnIncidentWithAClearMessage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpResponse<String> registered = operator.putJson(API + "/mcp-servers/nowhere",
                "{\"url\": \"http://127.0.0.1:" + closedPort + "/mcp\"}");
        assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        String run = startRun("nowhere", "echo", "{\"message\": \"anyone?\"}");
        String call = engine.awaitCall(run);
        AtomicReference<JsonArray> incidents = new AtomicReference<>();
        Http.await("an incident on the call", Duration.ofSeconds(60), () -> {
            incidents.set(engine.incidents(call));
            return !incidents.get().isEmpty();
        });
        JsonObject incident = incidents.get().getJsonObject(0);
        assertThat(incident.getString("incidentType")).isEqualTo("failedExternalTask");
        assertThat(incident.getString("incidentMessage")).contains("nowhere").contains("cannot connect");
        assertThat(engine.activeRun(run)).hasSize(1);
    }

    @Test
    void registryNeedsAnAdministratorToChangeItAndHidesSecrets() {
        HttpResponse<String> forbidden = Http.as("demo-not-admin", "x").get(API + "/mcp-servers");
        assertThat(forbidden.statusCode()).isEqualTo(401);
        assertThat(Http.anonymous().get(API + "/mcp-servers").statusCode()).isEqualTo(401);
        HttpResponse<String> bad = operator.putJson(API + "/mcp-servers/bad", "{\"url\": \"ftp://example.org\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(object(bad).getString("message")).contains("http or https");
        HttpResponse<String> secret = operator.putJson(API + "/mcp-servers/with-secret",
                "{\"url\": \"https://mcp.example.org/mcp\", \"authorization\": \"Bearer s3cr3t-value\"}");
        assertThat(secret.statusCode()).isIn(200, 201);
        HttpResponse<String> listed = demo.get(API + "/mcp-servers");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("with-secret").doesNotContain("s3cr3t-value");
        assertThat(operator.delete(API + "/mcp-servers/with-secret").statusCode()).isEqualTo(204);
        assertThat(operator.delete(API + "/mcp-servers/demo").statusCode()).as("configured entries stay").isEqualTo(409);
    }

    private String startRun(String tool, String arguments) {
        return startRun(SERVER, tool, arguments);
    }

    private String startRun(String server, String tool, String arguments) {
        return startRun(server, tool, arguments, McpToolCall.REVIEW_NONE);
    }

    private String startRun(String server, String tool, String arguments, String review) {
        return startRun(server, tool, arguments, review, "human");
    }

    private String startRun(String server, String tool, String arguments, String review, String provider) {
        setUp();
        return engine.startRun(RUN_PROCESS, runVariables(server, tool, arguments, review, provider));
    }

    /** The variables that start a run of {@link #RUN_MODEL}: one call of that tool, asked as a person answers. */
    static String runVariables(String server, String tool, String arguments) {
        return runVariables(server, tool, arguments, McpToolCall.REVIEW_NONE, "human");
    }

    /** The variables that start a run of {@link #RUN_MODEL}: one call of that tool, with that review and sampling provider. */
    static String runVariables(String server, String tool, String arguments, String review, String provider) {
        return EngineRest.variables(Json.createObjectBuilder()
                .add("server", stringValue(server))
                .add("tool", stringValue(tool))
                .add("arguments", stringValue(arguments))
                .add("review", stringValue(review))
                .add("provider", stringValue(provider)));
    }

    private synchronized void setUp() {
        if (everything != null) {
            return;
        }
        try {
            everything = NodeMcpServer.everything();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> registered = operator.putJson(API + "/mcp-servers/" + SERVER, "{\"url\": \"" + everything.url() + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        HttpResponse<String> deployed = engine.deploy("it-mcp-client", "mcp-client-it.bpmn", Fixtures.text(RUN_MODEL));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
    }

    private HttpResponse<String> complete(JsonObject task, String action, String content) {
        JsonObjectBuilder variables = Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue(action));
        if (content != null) {
            variables.add(McpToolCall.VAR_CONTENT, stringValue(content));
        }
        return engine.complete(task.getString("id"), EngineRest.variables(variables));
    }

    /**
     * Runs with one "MCP tool call" element, as the element template in bpmn/element-templates writes it:
     * {@value #RUN_PROCESS} and {@code McpClientItTemplateProcess}.
     */
    static final String RUN_MODEL = "fixtures/mcp-client-it.bpmn";
}
