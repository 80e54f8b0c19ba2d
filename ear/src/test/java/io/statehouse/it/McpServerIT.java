package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Statehouse as an MCP server at {@code /statehouse/mcp}, called by the MCP Java SDK's client:
 * processes marked as tools are listed and called; a call waits for the run's person; a deployment's
 * MCP catalog descriptor is served and followed; what a client without credentials, from a foreign
 * origin or with an unknown session gets.
 */
@ExtendWith(ArquillianExtension.class)
class McpServerIT {

    static final String ENDPOINT = "/statehouse/mcp";

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);
    private static boolean deployed;
    private static boolean catalogDeployed;
    private McpSyncClient client;

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    @Test
    void processesMarkedAsToolsAreListedWithTheirStartFormAsInputSchema() {
        McpSchema.Tool tool = awaitTool("greet");

        assertThat(tool.title()).isEqualTo("Greet someone");
        assertThat(tool.description()).isEqualTo("Greets a person by name, as often as asked.");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) tool.inputSchema().get("properties");
        assertThat(properties).containsKeys("name", "times");
        assertThat(tool.inputSchema().get("required")).isEqualTo(List.of("name"));
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).doesNotContain("AskPersonProcess", "McpToolCallProcess");
    }

    @Test
    void callStartsTheRunAsTheCallerAndAnswersWithItsOutputVariables() {
        awaitTool("greet");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("name", "Ayu", "times", 2)));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(result.structuredContent()).isEqualTo(Map.of("greeting", "Hello, Ayu (2)"));
        JsonArray runs = engine.historicRunsByQuery("processDefinitionKey=GreetToolProcess&startedBy=demo");
        assertThat(runs).isNotEmpty();
    }

    @Test
    void callWaitsForThePersonInTheRunAndAnswersWhenTheTaskIsDone() throws Exception {
        awaitTool("approve");

        CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(
                () -> client.callTool(new McpSchema.CallToolRequest("approve", Map.of("request", "New laptop"))));
        String[] task = new String[1];
        Http.await("the approval task", Duration.ofSeconds(30), () -> {
            JsonArray tasks = engine.tasksByQuery("processDefinitionKey=ApproveToolProcess");
            tasks.getValuesAs(JsonObject.class).stream().findFirst().ifPresent(t -> task[0] = t.getString("id"));
            return task[0] != null;
        });
        assertThat(call).isNotDone();
        HttpResponse<String> completed = engine.complete(task[0], EngineRest.variables("decision", "approved"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        McpSchema.CallToolResult result = call.get(30, TimeUnit.SECONDS);
        assertThat(result.structuredContent()).isEqualTo(Map.of("decision", "approved"));
    }

    @Test
    void aTaskMarkedForTheCallerIsAnsweredByTheClientsElicitationHandler() {
        deployTools();
        AtomicReference<McpSchema.ElicitFormRequest> asked = new AtomicReference<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.set(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "approved by the client"));
                })
                .build();
        client.initialize();
        Http.await("tool approve_by_caller to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("approve_by_caller")));

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("approve_by_caller", Map.of("request", "A new desk")));

        assertThat(result.structuredContent()).isEqualTo(Map.of("decision", "approved by the client"));
        assertThat(asked.get().message()).startsWith("Decide on the request");
        assertThat(asked.get().requestedSchema().toString()).contains("decision");
        JsonArray done = engine.historicTasksByQuery("processDefinitionKey=ApproveByCallerToolProcess&finished=true");
        assertThat(done).isNotEmpty();
    }

    @Test
    void withAProgressTokenEachCompletedActivityIsReportedToTheCaller() {
        deployTools();
        List<McpSchema.ProgressNotification> reports = new CopyOnWriteArrayList<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .progressConsumer(reports::add).build();
        client.initialize();
        Http.await("tool greet to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("greet")));

        client.callTool(McpSchema.CallToolRequest.builder("greet").arguments(Map.of("name", "Rina")).progressToken("greet-1").build());

        Http.await("progress for the start, the task and the end", Duration.ofSeconds(10), () -> reports.size() >= 3);
        assertThat(reports).allMatch(r -> "greet-1".equals(r.progressToken()));
        assertThat(reports).extracting(McpSchema.ProgressNotification::message).anyMatch(m -> m.contains("Task_Greet"));
    }

    @Test
    void theRunsProgressVariablesTakeOverItsProgressAndAlwaysGoForward() {
        deployTools();
        List<McpSchema.ProgressNotification> reports = new CopyOnWriteArrayList<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("go", true)))
                .progressConsumer(reports::add).build();
        client.initialize();
        Http.await("tool send_reminders to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("send_reminders")));

        McpSchema.CallToolResult result = client.callTool(
                McpSchema.CallToolRequest.builder("send_reminders").arguments(Map.of()).progressToken("reminders-1").build());

        assertThat(result.structuredContent()).isEqualTo(Map.of("go", true));
        Http.await("three progress reports", Duration.ofSeconds(10), () -> reports.size() >= 3);
        // The start event is a step; then the run's own scale (0 to 2 of 2), shifted past that step; activities after that are not progress.
        assertThat(reports).extracting(r -> r.progress() + " of " + r.total() + ": " + r.message()).containsExactlyInAnyOrder(
                "1.0 of null: Completed: Reminders asked",
                "2.0 of 4.0: Waiting for the go-ahead",
                "4.0 of 4.0: Sent");
    }

    @Test
    void aRunThatStopsAtAnIncidentEndsTheCallWithAnErrorAPersonCanActOn() {
        awaitTool("break");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("break", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("stopped at an incident in activity Task_Break").contains("retry it in Cockpit");
    }

    @Test
    void aSamplingTaskAsksTheCallersModelWhenItDeclaredSampling() {
        deployTools();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                        .content(new McpSchema.TextContent("Summary by the caller's model of: "
                                + ((McpSchema.TextContent) request.messages().get(0).content()).text()))
                        .model("caller-model").build())
                .build();
        client.initialize();
        Http.await("tool summarize to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("summarize")));

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("summarize", Map.of("text", "Q3 revenue rose")));

        assertThat(result.structuredContent()).isEqualTo(Map.of("samplingReply", "Summary by the caller's model of: Summarize: Q3 revenue rose",
                "samplingModel", "caller-model"));
    }

    @Test
    void aSamplingTaskAsksAConfiguredProviderWhenTheCallerHasNoModel() throws Exception {
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            awaitTool("summarize");

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("summarize", Map.of("text", "Q4 costs fell")));

            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(result.structuredContent().toString()).contains("Stand-in model reply to: Summarize: Q4 costs fell")
                    .contains("stand-in-model-stand-in");
        }
    }

    @Test
    void theTypeScriptSdkClientListsCallsAndAnswersTheRunsQuestion() throws Exception {
        awaitTool("approve_by_caller");

        JsonObject seen = typeScriptClient("basic").result(Duration.ofSeconds(60));

        assertThat(seen.getJsonArray("tools").toString()).contains("\"greet\"", "\"approve_by_caller\"");
        assertThat(seen.getJsonObject("greet").getString("greeting")).isEqualTo("Hello, Dewi (3)");
        assertThat(seen.getJsonObject("approve").getString("decision")).isEqualTo("approved by the TypeScript client");
        assertThat(seen.getJsonArray("asked").getString(0)).startsWith("Decide on the request");
    }

    @Test
    void whenTheTasklistAnswersFirstTheTypeScriptClientIsToldItsQuestionIsWithdrawn() throws Exception {
        awaitTool("approve_by_caller");
        NodeScript node = typeScriptClient("tasklist-wins");
        String task = engine.awaitOpenTask("ApproveByCallerToolProcess", "request", "A standing desk");
        Http.await("the client to be asked", Duration.ofSeconds(30), () -> node.output().contains("\"asked\":true"));

        HttpResponse<String> completed = engine.submitForm(task, EngineRest.variables("decision", "approved in the Tasklist"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        JsonObject seen = node.result(Duration.ofSeconds(60));
        assertThat(seen.getJsonObject("result").getString("decision")).isEqualTo("approved in the Tasklist");
        assertThat(seen.getString("withdrawn")).contains("answered in the Statehouse Tasklist");
    }

    @Test
    void whenTheTasklistAnswersFirstTheJavaClientsLateAnswerIsNotUsed() throws Exception {
        deployTools();
        CountDownLatch tasklistAnswered = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.countDown();
                    try {
                        tasklistAnswered.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "too late from the client"));
                })
                .build();
        client.initialize();
        Http.await("tool approve_by_caller to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("approve_by_caller")));
        CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(
                () -> client.callTool(new McpSchema.CallToolRequest("approve_by_caller", Map.of("request", "A quiet room"))));
        String task = engine.awaitOpenTask("ApproveByCallerToolProcess", "request", "A quiet room");
        assertThat(asked.await(30, TimeUnit.SECONDS)).as("the client was asked").isTrue();

        HttpResponse<String> completed = engine.submitForm(task, EngineRest.variables("decision", "decided in the Tasklist"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
        tasklistAnswered.countDown();
        McpSchema.CallToolResult result = call.get(30, TimeUnit.SECONDS);

        assertThat(result.structuredContent()).isEqualTo(Map.of("decision", "decided in the Tasklist"));
    }

    @Test
    void cancellingTheCallCancelsItsRun() throws Exception {
        awaitTool("approve");

        JsonObject seen = typeScriptClient("cancel").result(Duration.ofSeconds(60));

        assertThat(seen.getString("outcome")).as(seen.toString()).isEqualTo("aborted");
        Http.await("the run to be cancelled", Duration.ofSeconds(30), () -> {
            JsonArray runs = engine.historicRunsByQuery("processDefinitionKey=ApproveToolProcess"
                    + "&variables=request_eq_To%20be%20cancelled");
            return runs.size() == 1 && "EXTERNALLY_TERMINATED".equals(runs.getJsonObject(0).getString("state"))
                    && runs.getJsonObject(0).getString("deleteReason", "").contains("the agent changed its mind");
        });
        JsonArray open = engine.tasksByQuery("processDefinitionKey=ApproveToolProcess"
                + "&processVariables=request_eq_To%20be%20cancelled");
        assertThat(open).isEmpty();
    }

    @Test
    void theTypeScriptClientsModelAnswersASamplingTask() throws Exception {
        awaitTool("summarize");

        JsonObject seen = typeScriptClient("sampling").result(Duration.ofSeconds(60));

        assertThat(seen.getString("prompt")).isEqualTo("Summarize: Long text about tax forms");
        assertThat(seen.getJsonObject("result").getString("samplingReply")).isEqualTo("A short summary from the TypeScript caller");
        assertThat(seen.getJsonObject("result").getString("samplingModel")).isEqualTo("ts-caller-model");
    }

    @Test
    void theTypeScriptClientHearsProgressAndBadArgumentsAreAClearError() throws Exception {
        awaitTool("greet");

        JsonObject progress = typeScriptClient("progress").result(Duration.ofSeconds(60));
        JsonObject bad = typeScriptClient("bad-arguments").result(Duration.ofSeconds(60));

        assertThat(progress.getJsonArray("progress")).isNotEmpty();
        assertThat(progress.getJsonArray("progress").toString()).contains("Completed: ");
        assertThat(progress.getJsonObject("result").getString("greeting")).isEqualTo("Hello, Sari (1)");
        assertThat(bad.getBoolean("isError")).isTrue();
        assertThat(bad.getString("text")).contains("name");
    }

    @Test
    void theTypeScriptClientWithoutCredentialsOrWithAnUnknownSessionIsRefused() throws Exception {
        JsonObject anonymous = typeScriptClient("no-credentials").result(Duration.ofSeconds(30));
        JsonObject unknown = typeScriptClient("unknown-session").result(Duration.ofSeconds(30));

        assertThat(anonymous.getJsonObject("response").getInt("status")).isEqualTo(401);
        assertThat(unknown.getJsonObject("response").getInt("status")).isEqualTo(404);
        assertThat(unknown.getJsonObject("response").getString("body")).contains("initialize a new session");
    }

    /**
     * A caller whose connection dropped sends its {@code tools/call} again with the same id in its
     * session: it gets the run the first request started (and its result once a person answers), not
     * a second run; the same id for another call is refused, and in another session it is another call.
     */
    @Test
    void aRequestSentAgainInItsSessionGetsTheRunItStarted() throws Exception {
        awaitTool("approve");
        String session = initializeRaw();
        String request = "sent-twice-" + System.nanoTime();
        String call = "{\"jsonrpc\":\"2.0\",\"id\":\"retried-1\",\"method\":\"tools/call\",\"params\":{\"name\":\"approve\","
                + "\"arguments\":{\"request\":\"" + request + "\"}}}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> demo.postJson(BASE + ENDPOINT, call,
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session));
        String task = engine.awaitOpenTask("ApproveToolProcess", "request", request);
        CompletableFuture<HttpResponse<String>> again = CompletableFuture.supplyAsync(() -> demo.postJson(BASE + ENDPOINT, call,
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session));
        // Time for the repeated request to take up the waiting run; later, it would find the run ended, and get the same result.
        Thread.sleep(500);

        HttpResponse<String> conflict = demo.postJson(BASE + ENDPOINT, call.replace(request, request + "-other"),
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session);
        assertThat(conflict.body()).as("the same id in the session for another call").contains("-32602").contains("idempotency_conflict");

        assertThat(engine.submitForm(task, EngineRest.variables("decision", "approved once")).statusCode()).isEqualTo(204);
        assertThat(again.get(30, TimeUnit.SECONDS).body()).as("the repeated request's answer").contains("approved once");
        assertThat(first.get(30, TimeUnit.SECONDS).body()).as("the first request's answer").contains("approved once");
        assertThat(engine.historicRunsStartedWith("ApproveToolProcess", "request", request)).as("the runs the two requests started").hasSize(1);
        assertThat(engine.historicRunsStartedWith("ApproveToolProcess", "request", request + "-other")).as("runs of the refused request").isEmpty();

        String other = initializeRaw();
        HttpResponse<String> elsewhere = demo.postJson(BASE + ENDPOINT, call.replace("\"approve\"", "\"greet\"")
                .replace("\"request\":", "\"name\":"), "Accept", "application/json, text/event-stream", "Mcp-Session-Id", other);
        assertThat(elsewhere.body()).as("the same id in another session is another call").contains("Hello").doesNotContain("idempotency_conflict");
    }

    @Test
    void aClosedSessionCancelsNothingAndAnIdleOneExpires() throws Exception {
        awaitTool("approve");
        String closing = initializeRaw();
        String idle = initializeRaw();
        long idleSince = System.nanoTime();
        CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> Http.as("demo", "demo").postJson(BASE + ENDPOINT,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"approve\","
                        + "\"arguments\":{\"request\":\"outlives-its-session\"}}}",
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", closing));
        String task = engine.awaitOpenTask("ApproveToolProcess", "request", "outlives-its-session");

        HttpResponse<String> deleted = demo.delete(BASE + ENDPOINT, "Mcp-Session-Id", closing);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(call.get(30, TimeUnit.SECONDS).body()).doesNotContain("\"result\"");
        // The run goes on: its task is still in the Tasklist, and answering it completes the run.
        HttpResponse<String> done = engine.submitForm(task, EngineRest.variables("decision", "later"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
        Http.await("the run to complete", Duration.ofSeconds(30), () -> engine.historicRunsByQuery(
                "processDefinitionKey=ApproveToolProcess&completed=true&variables=request_eq_outlives-its-session").size() == 1);

        // The ITs' server lets sessions idle for 15 s (STATEHOUSE_MCP_SERVER_SESSION_IDLE_TIMEOUT) and sweeps every 3.75 s.
        // Asking earlier would use the session and keep it alive.
        Thread.sleep(Math.max(0, Duration.ofSeconds(22).toMillis() - Duration.ofNanos(System.nanoTime() - idleSince).toMillis()));
        HttpResponse<String> expired = demo.postJson(BASE + ENDPOINT, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}",
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", idle);
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(404);
        assertThat(expired.body()).contains("expired");
    }

    @Test
    void callsWaitingForPeopleHoldNoThreadsSoTheServerKeepsAnswering() throws Exception {
        awaitTool("approve");
        String session = initializeRaw();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int calls = 80;
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (100 + i) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"approve\","
                    + "\"arguments\":{\"request\":\"crowd-" + i + "\"}}}";
            waiting.add(http.sendAsync(HttpRequest.newBuilder(URI.create(BASE + ENDPOINT))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Mcp-Session-Id", session).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Http.await(calls + " runs to wait for a person", Duration.ofSeconds(90), () -> engine.tasksByQuery(
                "processDefinitionKey=ApproveToolProcess&processVariables=request_like_crowd-%25&maxResults=1000").size() == calls);

        // More calls wait than WildFly has worker threads: the REST API (and with it the Tasklist) still answers.
        // Asked over plain HTTP, as its status is what this test is about.
        HttpResponse<String> tasks = demo.get(ENGINE_REST + "/task?processDefinitionKey=ApproveToolProcess"
                + "&processVariables=request_like_crowd-%25&maxResults=1000");
        assertThat(tasks.statusCode()).isEqualTo(200);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        for (JsonObject task : array(tasks).getValuesAs(JsonObject.class)) {
            HttpResponse<String> done = engine.submitForm(task.getString("id"), EngineRest.variables("decision", "ok"));
            assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
        }
        for (CompletableFuture<HttpResponse<String>> call : waiting) {
            assertThat(call.get(60, TimeUnit.SECONDS).body()).contains("\"decision\":\"ok\"");
        }
    }

    @Test
    void argumentsThatDoNotFitTheSchemaAreAClearError() {
        awaitTool("greet");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("times", 2)));

        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("name");
    }

    @Test
    void withoutCredentialsThereIsNoSession() {
        HttpResponse<String> anonymous = Http.anonymous().postJson(BASE + ENDPOINT, initialize(), "Accept", "application/json, text/event-stream");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("Basic"));
        // Not demo: Camunda's login throttling would lock the user the other tests act as.
        HttpResponse<String> wrong = Http.as("mcp-stranger", "wrong-password-for-mcp").postJson(BASE + ENDPOINT, initialize(),
                "Accept", "application/json, text/event-stream");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void aForeignOriginAndAnUnknownSessionAreRefused() {
        HttpResponse<String> foreign = demo.postJson(BASE + ENDPOINT, initialize(), "Accept", "application/json, text/event-stream",
                "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = demo.postJson(BASE + ENDPOINT,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", "Accept", "application/json, text/event-stream",
                "Mcp-Session-Id", "no-such-session");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void theSdkClientWithAWrongPasswordCannotConnect() {
        McpSyncClient stranger = McpClient.sync(transport("mcp-stranger", "not-the-password")).requestTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(stranger::initialize).isInstanceOf(RuntimeException.class);
        stranger.close();
    }

    @Test
    void aCatalogDescriptorInADeploymentServesItsResourcesTemplatesPromptsAndCompletions() {
        deployCatalog();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        Http.await("prompt review_order to be listed", Duration.ofSeconds(30),
                () -> client.listPrompts().prompts().stream().anyMatch(p -> p.name().equals("review_order")));

        assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri).contains("it://handbook");
        McpSchema.TextResourceContents handbook = text(client.readResource(new McpSchema.ReadResourceRequest("it://handbook")));
        assertThat(handbook.mimeType()).isEqualTo("text/markdown");
        assertThat(handbook.text()).startsWith("# Order handbook");
        assertThat(client.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                .contains("it://orders/{order}/status");
        assertThat(text(client.readResource(new McpSchema.ReadResourceRequest("it://orders/A-200/status"))).text())
                .isEqualTo("{\"order\":\"A-200\",\"status\":\"shipped\"}");

        McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("review_order", Map.of("order", "A-100")));
        assertThat(prompt.messages()).extracting(m -> m.content()).satisfiesExactly(
                first -> assertThat(((McpSchema.TextContent) first).text()).isEqualTo("Review order A-100. Tone: "),
                second -> assertThat(((McpSchema.TextResourceContents) ((McpSchema.EmbeddedResource) second).resource()).text())
                        .isEqualTo(handbook.text()));
        assertThatThrownBy(() -> client.getPrompt(new McpSchema.GetPromptRequest("review_order", Map.of("tone", "brisk"))))
                .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS))
                .hasMessageContaining("needs the argument 'order'");

        McpSchema.CompleteResult orders = client.completeCompletion(new McpSchema.CompleteRequest(new McpSchema.PromptReference("review_order"),
                new McpSchema.CompleteRequest.CompleteArgument("order", "a")));
        assertThat(orders.completion().values()).containsExactly("A-100", "A-200");
        assertThat(orders.completion().total()).isEqualTo(2);
        McpSchema.CompleteResult variable = client.completeCompletion(new McpSchema.CompleteRequest(
                new McpSchema.ResourceReference("it://orders/{order}/status"), new McpSchema.CompleteRequest.CompleteArgument("order", "B")));
        assertThat(variable.completion().values()).containsExactly("B-300");
        assertThatThrownBy(() -> client.completeCompletion(new McpSchema.CompleteRequest(new McpSchema.PromptReference("no_such_prompt"),
                new McpSchema.CompleteRequest.CompleteArgument("order", "a"))))
                .isInstanceOf(McpError.class).hasMessageContaining("Unknown prompt 'no_such_prompt'");
    }

    @Test
    void aNewerDeploymentOfADescriptorTellsTheSubscribersOfAResourceItChanged() {
        String before = "first version " + System.nanoTime();
        deployWatched(before);
        List<McpSchema.ResourceContents> updates = new CopyOnWriteArrayList<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2)).resourcesUpdateConsumer(updates::addAll).build();
        client.initialize();
        Http.await("the first version to be served", Duration.ofSeconds(30), () -> before.equals(watched()));
        client.subscribeResource(new McpSchema.SubscribeRequest("it://watched"));

        String after = "second version " + System.nanoTime();
        deployWatched(after);

        Http.await("notifications/resources/updated with the second version", Duration.ofSeconds(30),
                () -> updates.stream().anyMatch(c -> c instanceof McpSchema.TextResourceContents t && t.text().equals(after)));
        assertThat(watched()).isEqualTo(after);
    }

    private McpSchema.Tool awaitTool(String name) {
        deployTools();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        McpSchema.Tool[] found = new McpSchema.Tool[1];
        Http.await("tool " + name + " to be listed", Duration.ofSeconds(30), () -> {
            client.listTools().tools().stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(t -> found[0] = t);
            return found[0] != null;
        });
        return found[0];
    }

    private static String initializeRaw() {
        HttpResponse<String> response = Http.as("demo", "demo").postJson(BASE + ENDPOINT, initialize(),
                "Accept", "application/json, text/event-stream");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = Http.as("demo", "demo").postJson(BASE + ENDPOINT,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Accept", "application/json, text/event-stream",
                "Mcp-Session-Id", session);
        assertThat(initialized.statusCode()).isEqualTo(202);
        return session;
    }

    /** The TypeScript SDK v2 client running one scenario of {@code ts-client.mjs}. */
    private static NodeScript typeScriptClient(String scenario) throws IOException {
        return NodeScript.start("ts-client.mjs", BASE + ENDPOINT, "demo", "demo", scenario);
    }

    private synchronized void deployTools() {
        if (deployed) {
            return;
        }
        HttpResponse<String> response = engine.deploy("it-mcp-server-tools", "tools.bpmn", Fixtures.text(TOOLS));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        deployed = true;
    }

    private synchronized void deployCatalog() {
        if (catalogDeployed) {
            return;
        }
        HttpResponse<String> response = engine.deploy("it-mcp-server-catalog", Map.of(
                "orders.mcp.json", CATALOG.getBytes(StandardCharsets.UTF_8),
                "handbook.md", "# Order handbook\nShip within two days.".getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        catalogDeployed = true;
    }

    private void deployWatched(String text) {
        String descriptor = "{\"resources\": [{\"uri\": \"it://watched\", \"name\": \"watched\", \"text\": \"" + text + "\"}]}";
        HttpResponse<String> response = engine.deploy("it-mcp-server-watched",
                Map.of("watched.mcp.json", descriptor.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The text of it://watched, or null while it is not served yet. */
    private String watched() {
        try {
            return text(client.readResource(new McpSchema.ReadResourceRequest("it://watched"))).text();
        } catch (McpError e) {
            return null;
        }
    }

    private static McpSchema.TextResourceContents text(McpSchema.ReadResourceResult result) {
        assertThat(result.contents()).hasSize(1).first().isInstanceOf(McpSchema.TextResourceContents.class);
        return (McpSchema.TextResourceContents) result.contents().get(0);
    }

    private static HttpClientStreamableHttpTransport transport(String user, String password) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClientStreamableHttpTransport.builder(BASE).endpoint(ENDPOINT)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", basic)).build();
    }

    private static String initialize() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";
    }


    /** An MCP catalog descriptor: a resource from a file of its deployment, a template and a prompt, with completions. */
    static final String CATALOG = """
            {
              "resources": [
                {"uri": "it://handbook", "name": "handbook", "description": "How orders are handled", "mimeType": "text/markdown",
                 "file": "handbook.md"}
              ],
              "resourceTemplates": [
                {"uriTemplate": "it://orders/{order}/status", "name": "order-status", "description": "An order's status",
                 "mimeType": "application/json", "text": "{\\"order\\":\\"{order}\\",\\"status\\":\\"shipped\\"}",
                 "completions": {"order": ["A-100", "A-200", "B-300"]}}
              ],
              "prompts": [
                {"name": "review_order", "description": "Review an order against the handbook",
                 "arguments": [{"name": "order", "required": true, "values": ["A-100", "A-200", "B-300"]}, {"name": "tone"}],
                 "messages": [{"text": "Review order {order}. Tone: {tone}"}, {"resource": {"uri": "it://handbook"}}]}
              ]
            }
            """;

    /**
     * Processes marked as tools: {@code greet} answers at once, {@code approve} waits for a person,
     * {@code approve_by_caller} and {@code send_reminders} ask their caller, {@code break} stops at an
     * incident, {@code summarize} asks a model.
     */
    static final String TOOLS = "fixtures/mcp-server-tools.bpmn";
}
