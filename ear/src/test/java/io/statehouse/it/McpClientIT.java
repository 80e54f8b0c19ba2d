package io.statehouse.it;

import static io.statehouse.it.Http.API;
import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
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
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).isEqualTo("Echo: hello from Statehouse");
    }

    @Test
    void resultLongerThanAStringVariableHoldsArrivesWhole() {
        setUp();
        String message = "expense line; ".repeat(500);
        // Arguments this long are a Json variable: a String variable holds 4000 characters.
        HttpResponse<String> started = demo.postJson(ENGINE_REST + "/process-definition/key/" + RUN_PROCESS + "/start",
                body(Json.createObjectBuilder().add("server", value(SERVER)).add("tool", value("echo")).add("review", value("none")).add("provider", value("human"))
                        .add("arguments", Json.createObjectBuilder().add("type", "Json")
                                .add("value", Json.createObjectBuilder().add("message", message).build().toString()))));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String run = object(started).getString("id");
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).isEqualTo("Echo: " + message);
    }

    @Test
    void argumentsTemplateStaysValidJsonWhateverThePersonTyped() {
        setUp();
        String message = "Taxi \"airport\"\nand back\\home";
        HttpResponse<String> started = demo.postJson(ENGINE_REST + "/process-definition/key/McpClientItTemplateProcess/start",
                body(Json.createObjectBuilder().add("message", value(message))));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String run = object(started).getString("id");
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).isEqualTo("Echo: " + message);
    }

    @Test
    void demoExpenseAgentRecordsAnalysesAndReportsWithPeopleAnsweringInTheTaskApi() {
        HttpResponse<String> started = demo.postJson(ENGINE_REST + "/process-definition/key/" + ExpenseAgent.PROCESS_KEY + "/start",
                body(Json.createObjectBuilder().add(ExpenseAgent.VAR_NOTE, value("Taxi to the client"))));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String run = object(started).getString("id");

        JsonObject question = awaitTask(callOf(run), McpToolCall.TASK_ANSWER_ELICITATION);
        HttpResponse<String> answered = complete(question, "accept",
                "{\"amount\": 42.5, \"currency\": \"EUR\", \"category\": \"travel\", \"date\": \"2026-11-25\","
                        + " \"description\": \"Taxi to the client\", \"billable\": true, \"tags\": [\"client-visit\"]}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(204);

        AtomicReference<JsonObject> found = new AtomicReference<>();
        Http.await("the analysis to ask for a model's reply", Duration.ofSeconds(30), () -> {
            for (JsonObject call : array(demo.get(ENGINE_REST + "/process-instance?superProcessInstance=" + run)).getValuesAs(JsonObject.class)) {
                JsonArray tasks = array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call.getString("id")
                        + "&taskDefinitionKey=" + McpToolCall.TASK_WRITE_MODEL_REPLY));
                if (!tasks.isEmpty()) {
                    found.set(tasks.getJsonObject(0));
                }
            }
            return found.get() != null;
        });
        JsonObject sampling = found.get();
        HttpResponse<String> replied = demo.postJson(ENGINE_REST + "/task/" + sampling.getString("id") + "/complete",
                body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))
                        .add(McpToolCall.VAR_REPLY, value("Travel dominates this month."))));
        assertThat(replied.statusCode()).as(replied.body()).isEqualTo(204);

        awaitEnded(run);
        assertThat(historic(run, ExpenseAgent.VAR_RECORDED_EXPENSE)).contains("\"recorded\":true").contains("Taxi to the client");
        assertThat(historic(run, ExpenseAgent.VAR_SPENDING_ANALYSIS)).contains("Travel dominates this month.");
        assertThat(historic(run, ExpenseAgent.VAR_MONTHLY_REPORT)).isNotBlank();
        assertThat(historicNumber(run, McpToolCall.VAR_PROGRESS)).isEqualTo(5.0);
    }

    @Test
    void formElicitationBecomesATaskWhoseCheckedAnswerGoesBackToTheServer() {
        String run = startRun("trigger-elicitation-request", "{}");
        String call = callOf(run);
        JsonObject task = awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
        JsonObject variables = object(demo.get(ENGINE_REST + "/task/" + task.getString("id") + "/variables"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_MESSAGE).getString("value")).contains("Please provide inputs");
        assertThat(variables.getJsonObject(McpToolCall.VAR_REQUESTED_SCHEMA).getString("value")).contains("\"required\"");
        JsonArray links = array(demo.get(ENGINE_REST + "/task/" + task.getString("id") + "/identity-links"));
        assertThat(links.getValuesAs(JsonObject.class)).anyMatch(l -> "reviewers".equals(l.getString("groupId", null)));

        HttpResponse<String> violating = complete(task, "accept", "{\"name\": \"Ayu\", \"integer\": 1000, \"email\": \"not-an-email\"}");
        assertThat(violating.statusCode()).as(violating.body()).isEqualTo(400);
        assertThat(violating.body()).contains("does not fit").contains("integer: Integer must be at most 100")
                .contains("email: String with email format must be an email address");
        assertThat(array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call))).hasSize(1);

        HttpResponse<String> accepted = complete(task, "accept",
                "{\"name\": \"Ayu Lestari\", \"check\": true, \"integer\": 7, \"email\": \"ayu@example.org\","
                        + " \"untitledMultipleSelectEnum\": [\"Piano\", \"Drums\"], \"titledSingleSelectEnum\": \"hero-3\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
        awaitEnded(run);
        String result = historic(run, "toolResult");
        assertThat(result).contains("User provided the requested information").contains("Ayu Lestari").contains("Favorite Integer: 7")
                .contains("\"Piano\"").contains("hero-3");
    }

    @Test
    void declinedAndCancelledElicitationsAreToldToTheServer() {
        String declinedRun = startRun("trigger-elicitation-request", "{}");
        String cancelledRun = startRun("trigger-elicitation-request", "{}");
        assertThat(complete(awaitTask(callOf(declinedRun), McpToolCall.TASK_ANSWER_ELICITATION), "decline", null).statusCode()).isEqualTo(204);
        assertThat(complete(awaitTask(callOf(cancelledRun), McpToolCall.TASK_ANSWER_ELICITATION), "cancel", null).statusCode()).isEqualTo(204);
        awaitEnded(declinedRun);
        awaitEnded(cancelledRun);
        assertThat(historic(declinedRun, "toolResult")).contains("User declined");
        assertThat(historic(cancelledRun, "toolResult")).contains("User cancelled");
    }

    @Test
    void urlElicitationShowsTheUrlAndClosesWhenThePersonIsDone() {
        String run = startRun("trigger-url-elicitation",
                "{\"url\": \"https://example.org/connect\", \"message\": \"Connect your calendar\", \"elicitationId\": \"it-url-1\"}");
        JsonObject task = awaitTask(callOf(run), McpToolCall.TASK_VISIT_URL);
        JsonObject variables = object(demo.get(ENGINE_REST + "/task/" + task.getString("id") + "/variables"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_URL).getString("value")).isEqualTo("https://example.org/connect");
        assertThat(variables.getJsonObject(McpToolCall.VAR_ELICITATION_ID).getString("value")).isEqualTo("it-url-1");
        assertThat(complete(task, "accept", null).statusCode()).isEqualTo(204);
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).contains("accept");
    }

    @Test
    void urlRequiredErrorBecomesATaskAndTheCallIsMadeAgainOnceItIsDone() {
        String run = startRun("trigger-url-elicitation",
                "{\"url\": \"https://example.org/authorize\", \"message\": \"Authorize the calendar\", \"errorPath\": true}");
        String call = callOf(run);
        JsonObject prerequisite = awaitTask(call, McpToolCall.TASK_VISIT_URL);
        assertThat(object(demo.get(ENGINE_REST + "/task/" + prerequisite.getString("id") + "/variables"))
                .getJsonObject(McpToolCall.VAR_URL).getString("value")).isEqualTo("https://modelcontextprotocol.io");
        assertThat(complete(prerequisite, "accept", null).statusCode()).isEqualTo(204);

        AtomicReference<JsonObject> retried = new AtomicReference<>();
        Http.await("the retried call's own URL question", Duration.ofSeconds(30), () -> {
            JsonArray tasks = array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call + "&taskDefinitionKey=" + McpToolCall.TASK_VISIT_URL));
            tasks.getValuesAs(JsonObject.class).stream().filter(t -> !t.getString("id").equals(prerequisite.getString("id")))
                    .findFirst().ifPresent(retried::set);
            return retried.get() != null;
        });
        assertThat(complete(retried.get(), "accept", null).statusCode()).isEqualTo(204);
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).contains("User completed the URL elicitation flow").contains("https://example.org/authorize");
    }

    @Test
    void urlQuestionClosesWhenTheServerReportsItComplete() throws IOException, InterruptedException {
        setUp();
        try (NodeMcpServer bench = NodeMcpServer.bench()) {
            assertThat(operator.putJson(API + "/mcp-servers/bench-url", "{\"url\": \"" + bench.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("bench-url", "url_then_complete", "{}");
            String call = callOf(run);
            awaitEnded(run);
            assertThat(historic(run, "toolResult")).contains(": accept");
            JsonArray tasks = array(demo.get(ENGINE_REST + "/history/task?processInstanceId=" + call + "&taskDefinitionKey=" + McpToolCall.TASK_VISIT_URL));
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
            String call = callOf(run);

            // Round 1 asks two things at once: the same question and sampling tasks as on a stateful server.
            JsonObject traveller = awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            JsonObject pitch = awaitTask(call, McpToolCall.TASK_WRITE_MODEL_REPLY);
            assertThat(traveller.getString("name")).isNotBlank();
            assertThat(complete(traveller, "accept", "{\"name\": \"Ayu\"}").statusCode()).isEqualTo(204);
            assertThat(ended(run)).as("the retry waits for every answer of the round").isFalse();
            assertThat(demo.postJson(ENGINE_REST + "/task/" + pitch.getString("id") + "/complete",
                    body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))
                            .add(McpToolCall.VAR_REPLY, value("Sun, surf and rice fields.")))).statusCode()).isEqualTo(204);

            // Round 2, after the retry with both answers and the server's requestState.
            JsonObject budget = awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
            assertThat(budget.getString("id")).isNotEqualTo(traveller.getString("id"));
            assertThat(complete(budget, "accept", "{\"euros\": 0}").statusCode()).as("the server's schema says at least 1").isEqualTo(400);
            assertThat(complete(budget, "accept", "{\"euros\": 900}").statusCode()).isEqualTo(204);

            awaitEnded(run);
            assertThat(historic(run, "toolResult")).contains("\"traveller\":\"Ayu\"").contains("\"euros\":900")
                    .contains("Sun, surf and rice fields.");
            assertThat(rounds.calls()).isEqualTo("[{\"round\":0,\"keys\":[]},{\"round\":1,\"keys\":[\"traveller\",\"pitch\"]},"
                    + "{\"round\":2,\"keys\":[\"budget\"]}]");
        }
    }

    @Test
    void samplingIsAnsweredByAPersonAsTheModel() {
        String run = startRun("trigger-sampling-request", "{\"prompt\": \"Summarise the quarter in one line\", \"maxTokens\": 50}");
        JsonObject task = awaitTask(callOf(run), McpToolCall.TASK_WRITE_MODEL_REPLY);
        JsonObject variables = object(demo.get(ENGINE_REST + "/task/" + task.getString("id") + "/variables"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_SAMPLING_REQUEST).getString("value"))
                .contains("Summarise the quarter in one line").contains("\"maxTokens\":50");

        HttpResponse<String> noReply = demo.postJson(ENGINE_REST + "/task/" + task.getString("id") + "/complete",
                body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))));
        assertThat(noReply.statusCode()).as(noReply.body()).isEqualTo(400);
        HttpResponse<String> replied = demo.postJson(ENGINE_REST + "/task/" + task.getString("id") + "/complete",
                body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))
                        .add(McpToolCall.VAR_REPLY, value("Revenue grew 12 %, costs held flat."))));
        assertThat(replied.statusCode()).as(replied.body()).isEqualTo(204);
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).contains("Revenue grew 12 %, costs held flat.").contains("statehouse-human:demo");
    }

    @Test
    void samplingReviewedBeforeAndAfterSendsTheAnswerAsTheReviewerEditedIt() {
        String run = startRun(SERVER, "trigger-sampling-request", "{\"prompt\": \"Name one risk\", \"maxTokens\": 20}", McpToolCall.REVIEW_BOTH);
        String call = callOf(run);
        JsonObject request = awaitTask(call, McpToolCall.TASK_REVIEW_SAMPLING_REQUEST);
        assertThat(complete(request, "accept", null).statusCode()).isEqualTo(204);
        JsonObject write = awaitTask(call, McpToolCall.TASK_WRITE_MODEL_REPLY);
        assertThat(demo.postJson(ENGINE_REST + "/task/" + write.getString("id") + "/complete",
                body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))
                        .add(McpToolCall.VAR_REPLY, value("Currency risk.")))).statusCode()).isEqualTo(204);
        JsonObject answer = awaitTask(call, McpToolCall.TASK_REVIEW_SAMPLING_ANSWER);
        JsonObject variables = object(demo.get(ENGINE_REST + "/task/" + answer.getString("id") + "/variables"));
        assertThat(variables.getJsonObject(McpToolCall.VAR_REPLY).getString("value")).isEqualTo("Currency risk.");
        assertThat(ended(run)).as("nothing is sent before the review").isFalse();
        assertThat(demo.postJson(ENGINE_REST + "/task/" + answer.getString("id") + "/complete",
                body(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value("accept"))
                        .add(McpToolCall.VAR_REPLY, value("Currency risk, hedged in Q3.")))).statusCode()).isEqualTo(204);
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).contains("Currency risk, hedged in Q3.").contains("statehouse-human:demo");
    }

    @Test
    void samplingByAConfiguredModelProviderAgainstAnOpenAiStandIn() throws Exception {
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            String run = startRun(SERVER, "trigger-sampling-request", "{\"prompt\": \"Name one risk\", \"maxTokens\": 20}",
                    McpToolCall.REVIEW_NONE, "standin");
            awaitEnded(run);
            assertThat(historic(run, "toolResult")).contains("Stand-in model reply to:").contains("Name one risk")
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
            seen.set(array(demo.get(ENGINE_REST + "/variable-instance?processInstanceIdIn=" + run + "&variableName=" + McpToolCall.VAR_PROGRESS)));
            return !seen.get().isEmpty() || ended(run);
        });
        awaitEnded(run);
        assertThat(historic(run, "toolResult")).contains("Long running operation completed");
        assertThat(historicNumber(run, McpToolCall.VAR_PROGRESS)).isEqualTo(5.0);
        assertThat(historicNumber(run, McpToolCall.VAR_PROGRESS_TOTAL)).isEqualTo(5.0);
    }

    @Test
    void toolErrorIsABpmnErrorTheModelCatches() {
        // server-everything answers arguments that fail its input schema with a tool result that has isError.
        String run = startRun("get-sum", "{\"a\": \"not a number\", \"b\": 2}");
        awaitEnded(run);
        JsonArray ended = array(demo.get(ENGINE_REST + "/history/activity-instance?processInstanceId=" + run + "&activityId=EndEvent_ToolFailed"));
        assertThat(ended).as("the run ended through its error boundary event").hasSize(1);
        assertThat(historic(run, "toolError")).contains("get-sum").contains("reported an error");
    }

    @Test
    void serverThatDiesWhileAPersonThinksClosesTheQuestionWithTheReasonAndFailsTheCall() throws Exception {
        setUp();
        String call;
        JsonObject task;
        try (NodeMcpServer doomed = NodeMcpServer.everything()) {
            assertThat(operator.putJson(API + "/mcp-servers/doomed", "{\"url\": \"" + doomed.url() + "\"}").statusCode()).isIn(200, 201);
            String run = startRun("doomed", "trigger-elicitation-request", "{}");
            call = callOf(run);
            task = awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
        }
        AtomicReference<JsonArray> incidents = new AtomicReference<>();
        Http.await("the lost session to end the call", Duration.ofSeconds(60), () -> {
            incidents.set(array(demo.get(ENGINE_REST + "/incident?processInstanceId=" + call)));
            return !incidents.get().isEmpty();
        });
        assertThat(incidents.get().getJsonObject(0).getString("incidentMessage")).contains("doomed").contains(McpToolCall.ERROR_SESSION_LOST);
        assertThat(array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call))).as("no question left open").isEmpty();
        JsonArray reason = array(demo.get(ENGINE_REST + "/history/variable-instance?taskIdIn=" + task.getString("id")
                + "&variableName=" + McpToolCall.VAR_CLOSED_REASON));
        JsonArray comments = array(demo.get(ENGINE_REST + "/task/" + task.getString("id") + "/comment"));
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
        String call = callOf(run);
        AtomicReference<JsonArray> incidents = new AtomicReference<>();
        Http.await("an incident on the call", Duration.ofSeconds(60), () -> {
            incidents.set(array(demo.get(ENGINE_REST + "/incident?processInstanceId=" + call)));
            return !incidents.get().isEmpty();
        });
        JsonObject incident = incidents.get().getJsonObject(0);
        assertThat(incident.getString("incidentType")).isEqualTo("failedExternalTask");
        assertThat(incident.getString("incidentMessage")).contains("nowhere").contains("cannot connect");
        assertThat(array(demo.get(ENGINE_REST + "/process-instance?processInstanceIds=" + run))).hasSize(1);
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
        String body = body(Json.createObjectBuilder()
                .add("server", value(server))
                .add("tool", value(tool))
                .add("arguments", value(arguments))
                .add("review", value(review))
                .add("provider", value(provider)));
        HttpResponse<String> started = demo.postJson(ENGINE_REST + "/process-definition/key/" + RUN_PROCESS + "/start", body);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return object(started).getString("id");
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
        HttpResponse<String> deployed = demo.postDeployment(ENGINE_REST + "/deployment/create", "it-mcp-client", "mcp-client-it.bpmn", RUN_MODEL);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
    }

    private String callOf(String run) {
        AtomicReference<String> call = new AtomicReference<>();
        Http.await("the MCP tool call of run " + run, Duration.ofSeconds(30), () -> {
            JsonArray calls = array(demo.get(ENGINE_REST + "/process-instance?superProcessInstance=" + run));
            if (!calls.isEmpty()) {
                call.set(calls.getJsonObject(0).getString("id"));
            }
            return call.get() != null;
        });
        return call.get();
    }

    private JsonObject awaitTask(String call, String taskKey) {
        AtomicReference<JsonObject> task = new AtomicReference<>();
        Http.await("task " + taskKey + " in call " + call, Duration.ofSeconds(30), () -> {
            JsonArray tasks = array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call + "&taskDefinitionKey=" + taskKey));
            if (!tasks.isEmpty()) {
                task.set(tasks.getJsonObject(0));
            }
            return task.get() != null;
        });
        return task.get();
    }

    private HttpResponse<String> complete(JsonObject task, String action, String content) {
        JsonObjectBuilder variables = Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, value(action));
        if (content != null) {
            variables.add(McpToolCall.VAR_CONTENT, value(content));
        }
        return demo.postJson(ENGINE_REST + "/task/" + task.getString("id") + "/complete", body(variables));
    }

    private boolean ended(String run) {
        String state = object(demo.get(ENGINE_REST + "/history/process-instance/" + run)).getString("state");
        return "COMPLETED".equals(state);
    }

    private void awaitEnded(String run) {
        Http.await("run " + run + " to end", Duration.ofSeconds(60), () -> ended(run));
    }

    private String historic(String run, String name) {
        JsonArray values = array(demo.get(ENGINE_REST + "/history/variable-instance?processInstanceId=" + run + "&variableName=" + name));
        assertThat(values).as("variable " + name + " of run " + run).isNotEmpty();
        return values.getJsonObject(0).getString("value");
    }

    private double historicNumber(String run, String name) {
        JsonArray values = array(demo.get(ENGINE_REST + "/history/variable-instance?processInstanceId=" + run + "&variableName=" + name));
        assertThat(values).as("variable " + name + " of run " + run).isNotEmpty();
        return values.getJsonObject(0).getJsonNumber("value").doubleValue();
    }

    private static JsonObjectBuilder value(String value) {
        return Json.createObjectBuilder().add("value", value).add("type", "String");
    }

    private static String body(JsonObjectBuilder variables) {
        return Json.createObjectBuilder().add("variables", variables).build().toString();
    }

    /** A run with one "MCP tool call" element, as the element template in bpmn/element-templates writes it. */
    static final String RUN_MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              id="Definitions_McpClientIt" targetNamespace="https://statehouse.io/it">
              <bpmn:error id="Error_ToolFailed" name="Tool failed" errorCode="Err_McpToolFailed" />
              <bpmn:process id="McpClientItProcess" name="MCP client IT run" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="StartEvent_RunStarted" />
                <bpmn:sequenceFlow id="Flow_ToCallTool" sourceRef="StartEvent_RunStarted" targetRef="CallActivity_CallTool" />
                <bpmn:callActivity id="CallActivity_CallTool" name="Call the tool" calledElement="McpToolCallProcess" camunda:calledElementBinding="latest">
                  <bpmn:extensionElements>
                    <camunda:in sourceExpression="${server}" target="mcpServer" />
                    <camunda:in sourceExpression="${tool}" target="mcpTool" />
                    <camunda:in sourceExpression="${arguments}" target="mcpArguments" />
                    <camunda:in sourceExpression="reviewers" target="mcpCandidateGroups" />
                    <camunda:in sourceExpression="PT5M" target="mcpTimeout" />
                    <camunda:in sourceExpression="${review}" target="mcpSamplingReview" />
                    <camunda:in sourceExpression="${provider}" target="mcpSamplingProvider" />
                    <camunda:in sourceExpression="${execution.processInstanceId}" target="mcpRunId" />
                    <camunda:out source="mcpResult" target="toolResult" />
                  </bpmn:extensionElements>
                </bpmn:callActivity>
                <bpmn:boundaryEvent id="BoundaryEvent_ToolFailed" attachedToRef="CallActivity_CallTool">
                  <bpmn:errorEventDefinition errorRef="Error_ToolFailed" camunda:errorMessageVariable="toolError" />
                </bpmn:boundaryEvent>
                <bpmn:sequenceFlow id="Flow_ToToolFailed" sourceRef="BoundaryEvent_ToolFailed" targetRef="EndEvent_ToolFailed" />
                <bpmn:endEvent id="EndEvent_ToolFailed" />
                <bpmn:sequenceFlow id="Flow_ToToolCalled" sourceRef="CallActivity_CallTool" targetRef="EndEvent_ToolCalled" />
                <bpmn:endEvent id="EndEvent_ToolCalled" />
              </bpmn:process>
              <bpmn:process id="McpClientItTemplateProcess" name="MCP client IT run with a JSON template" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="StartEvent_TemplateRunStarted" />
                <bpmn:sequenceFlow id="Flow_ToEcho" sourceRef="StartEvent_TemplateRunStarted" targetRef="CallActivity_Echo" />
                <bpmn:callActivity id="CallActivity_Echo" calledElement="McpToolCallProcess">
                  <bpmn:extensionElements>
                    <camunda:in sourceExpression="everything" target="mcpServer" />
                    <camunda:in sourceExpression="echo" target="mcpTool" />
                    <camunda:in sourceExpression="{&quot;message&quot;: ${json(message)}}" target="mcpArguments" />
                    <camunda:out source="mcpResult" target="toolResult" />
                  </bpmn:extensionElements>
                </bpmn:callActivity>
                <bpmn:sequenceFlow id="Flow_ToEchoed" sourceRef="CallActivity_Echo" targetRef="EndEvent_Echoed" />
                <bpmn:endEvent id="EndEvent_Echoed" />
              </bpmn:process>
            </bpmn:definitions>
            """;
}
