package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.StatelessMcp.VERSION;
import static io.statehouse.it.StatelessMcp.body;
import static io.statehouse.it.StatelessMcp.headers;
import static io.statehouse.it.StatelessMcp.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MCP 2026-07-28 at {@code /statehouse/mcp}: stateless requests, and a process-backed tool whose run
 * waits for its caller answering with multi round-trip requests. The caller is the TypeScript SDK v2
 * client (an independent implementation), and raw HTTP for what a client library would not send: a
 * tampered, replayed or malformed {@code requestState}, answers that violate the schema, a broken
 * envelope. The same BPMN models as the stateful era's ({@link McpServerIT#TOOLS}).
 */
@ExtendWith(ArquillianExtension.class)
class McpRoundsIT {

    private static final String URL = BASE + McpServerIT.ENDPOINT;
    /** A tool that no earlier deployment had; its process id is {@link #LISTEN_PROBE_KEY}, for the test to replace. */
    private static final String LISTEN_PROBE = "fixtures/listen-probe.bpmn";
    private static final String LISTEN_PROBE_KEY = "ListenProbeProcess";
    private static boolean deployed;

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @BeforeEach
    synchronized void deployTools() {
        if (!deployed) {
            HttpResponse<String> response = engine.deploy("it-mcp-rounds-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            deployed = true;
        }
        Http.await("tool approve_by_caller to be listed", Duration.ofSeconds(30),
                () -> post("tools/list", "{}", "{\"elicitation\":{}}").body().contains("approve_by_caller"));
    }

    @Test
    void theTypeScriptClientNegotiates2026AndAnswersTheRunsTaskInRounds() throws Exception {
        JsonObject seen = NodeScript.start("ts-client.mjs", URL, "demo", "demo", "rounds").result(Duration.ofSeconds(90));

        assertThat(seen.getString("era")).isEqualTo("modern");
        assertThat(seen.getJsonArray("tools").toString()).contains("approve_by_caller", "greet");
        assertThat(seen.getJsonObject("greet").getString("greeting")).isEqualTo("Hello, Wayan (2)");
        assertThat(seen.getJsonObject("approve").getString("decision")).isEqualTo("approved in rounds");
        assertThat(seen.getJsonArray("asked").getString(0)).startsWith("Decide on the request");
    }

    @Test
    void aRoundsStateIsTakenOnceAsSignedAndOnlyWithAnswersThatFitItsSchema() {
        JsonObject first = response(post("tools/call", "{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"A red chair\"}}", "{\"elicitation\":{}}"));
        JsonObject round = first.getJsonObject("result");
        assertThat(round.getString("resultType")).isEqualTo("input_required");
        JsonObject question = round.getJsonObject("inputRequests").getJsonObject("Task_Decide");
        assertThat(question.getString("method")).isEqualTo("elicitation/create");
        assertThat(question.getJsonObject("params").getJsonObject("requestedSchema").getJsonObject("properties").containsKey("decision")).isTrue();
        String state = round.getString("requestState");

        JsonObject tampered = response(retry("A red chair", state.substring(0, state.length() - 3) + "abc", "{\"decision\":\"yes\"}"));
        assertThat(tampered.getJsonObject("error").getInt("code")).isEqualTo(-32602);
        assertThat(tampered.getJsonObject("error").getJsonObject("data").getString("reason")).isEqualTo("invalid_request_state");

        JsonObject unfit = response(retry("A red chair", state, "{\"decision\":42,\"extra\":true}"));
        assertThat(unfit.getJsonObject("error").getString("message")).contains("Task_Decide").contains("extra");
        assertThat(engine.tasksByQuery("processDefinitionKey=ApproveByCallerToolProcess").toString()).contains("Decide on the request");

        JsonObject done = response(retry("A red chair", state, "{\"decision\":\"approved over HTTP\"}"));
        assertThat(done.getJsonObject("result").getString("resultType")).isEqualTo("complete");
        assertThat(done.getJsonObject("result").getJsonObject("structuredContent").getString("decision")).isEqualTo("approved over HTTP");

        JsonObject replayed = response(retry("A red chair", state, "{\"decision\":\"approved twice\"}"));
        assertThat(replayed.getJsonObject("error").getString("message")).contains("used already");
    }

    @Test
    void aCallerThatCannotAnswerWaitsForTheTasklistOnAnOpenStream() throws Exception {
        CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(
                () -> post("tools/call", "{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"A blue lamp\"}}", "{}"));
        String[] task = new String[1];
        Http.await("the task in the Tasklist", Duration.ofSeconds(30), () -> {
            engine.tasksByQuery("processDefinitionKey=ApproveByCallerToolProcess&processVariables=request_eq_A%20blue%20lamp")
                    .getValuesAs(JsonObject.class).stream().findFirst().ifPresent(t -> task[0] = t.getString("id"));
            return task[0] != null;
        });
        assertThat(call).isNotDone();
        HttpResponse<String> completed = engine.complete(task[0], EngineRest.variables("decision", "from the Tasklist"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        JsonObject result = response(call.get(30, TimeUnit.SECONDS)).getJsonObject("result");
        assertThat(result.getString("resultType")).isEqualTo("complete");
        assertThat(result.getJsonObject("structuredContent").getString("decision")).isEqualTo("from the Tasklist");
    }

    /**
     * MCP 2026-07-28: closing the stream of a request in flight cancels it. A caller that declared
     * neither elicitation nor tasks waits on an open stream while a person works; it closes its
     * connection (a raw socket, closed after the response's headers), and the run is cancelled, its
     * task gone from the Tasklist, within the stream heartbeat.
     */
    @Test
    void aCallerThatClosesItsStreamCancelsTheRunOfItsCall() throws Exception {
        String request = "closed-stream-" + System.nanoTime();
        String body = body("tools/call", "{\"name\":\"approve\",\"arguments\":{\"request\":\"" + request + "\"}}", "{}");
        URI endpoint = URI.create(URL);
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + endpoint.getPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)) + "\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "MCP-Protocol-Version: " + VERSION + "\r\nMcp-Method: tools/call\r\nMcp-Name: approve\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("the stream's status line").contains("200");
            engine.awaitOpenTask("ApproveToolProcess", "request", request);
        }
        long closed = System.nanoTime();
        Http.await("the run to be cancelled after its caller closed the stream", Duration.ofSeconds(20), () -> {
            JsonArray runs = engine.historicRunsStartedWith("ApproveToolProcess", "request", request);
            return runs.size() == 1 && "EXTERNALLY_TERMINATED".equals(runs.getJsonObject(0).getString("state"));
        });
        System.out.printf("McpRoundsIT: the run of a call whose caller closed its stream was cancelled %.1f s later%n",
                (System.nanoTime() - closed) / 1e9);
        JsonObject run = engine.historicRunsStartedWith("ApproveToolProcess", "request", request).getJsonObject(0);
        assertThat(run.getString("deleteReason")).contains("closed the request's stream");
        assertThat(engine.tasksByQuery("processDefinitionKey=ApproveToolProcess&processInstanceId=" + run.getString("id")))
                .as("the run's task in the Tasklist").isEmpty();
    }

    @Test
    void aBrokenEnvelopeGetsTheErrorsOfTheSpecification() {
        HttpResponse<String> noMeta = demo.postJson(URL, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}", headers("tools/list"));
        assertThat(noMeta.statusCode()).isEqualTo(400);
        assertThat(Http.object(noMeta.body()).getJsonObject("error").getInt("code")).isEqualTo(-32602);

        HttpResponse<String> mismatch = demo.postJson(URL, body("tools/list", "{}", "{}").replace("\"" + VERSION + "\"", "\"2025-11-25\""), headers("tools/list"));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(Http.object(mismatch.body()).getJsonObject("error").getInt("code")).isEqualTo(-32020);

        HttpResponse<String> unsupported = demo.postJson(URL, body("tools/list", "{}", "{}"), "Accept", "application/json, text/event-stream",
                "MCP-Protocol-Version", "2099-01-01");
        assertThat(unsupported.statusCode()).isEqualTo(400);
        JsonObject error = Http.object(unsupported.body()).getJsonObject("error");
        assertThat(error.getInt("code")).isEqualTo(-32022);
        assertThat(error.getJsonObject("data").getJsonArray("supported").toString()).contains(VERSION, "2025-11-25");

        HttpResponse<String> ping = post("ping", "{}", "{}");
        assertThat(ping.statusCode()).isEqualTo(404);
        assertThat(Http.object(ping.body()).getJsonObject("error").getInt("code")).isEqualTo(-32601);

        assertThat(demo.get(URL, "Accept", "text/event-stream", "MCP-Protocol-Version", VERSION).statusCode()).isEqualTo(405);
        assertThat(Http.anonymous().postJson(URL, body("tools/list", "{}", "{}"), headers("tools/list")).statusCode()).isEqualTo(401);
    }

    /**
     * SEP-2243: what a balancer or gateway routes on (the headers) must be what runs (the body). A
     * call whose {@code Mcp-Name} names another tool, or without {@code Mcp-Method}, is refused with
     * HTTP 400 and -32020 before a run starts.
     */
    @Test
    void headersThatDisagreeWithTheBodyAreRefusedBeforeARunStarts() {
        String request = "header mismatch " + System.nanoTime();
        String body = body("tools/call", "{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"" + request + "\"}}", "{\"elicitation\":{}}");

        HttpResponse<String> otherTool = demo.postJson(URL, body, "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", VERSION,
                "Mcp-Method", "tools/call", "Mcp-Name", "approve");
        HttpResponse<String> noMethod = demo.postJson(URL, body, "Accept", "application/json, text/event-stream", "MCP-Protocol-Version", VERSION,
                "Mcp-Name", "approve_by_caller");
        HttpResponse<String> noName = demo.postJson(URL, body, headers("tools/call"));

        for (HttpResponse<String> refused : List.of(otherTool, noMethod, noName)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            JsonObject error = Http.object(refused.body()).getJsonObject("error");
            assertThat(error.getInt("code")).as(refused.body()).isEqualTo(-32020);
            assertThat(error.getString("message")).startsWith("Header mismatch: ");
        }
        assertThat(Http.object(otherTool.body()).getJsonObject("error").getString("message")).contains("'approve'", "'approve_by_caller'");
        assertThat(engine.historicRunsByQuery("processDefinitionKey=ApproveByCallerToolProcess&variables=request_eq_"
                + request.replace(" ", "%20"))).as("no run started for a refused request").isEmpty();
    }

    /**
     * The tasks extension with Statehouse's own model: a caller that declares it gets a task for a run
     * that waits for a person in the Tasklist, instead of an open stream; another user does not find
     * that task, and neither does a request without the extension; a person's answer in the Tasklist
     * completes it with the run's result, which a listen stream that follows the task hears.
     */
    @Test
    void aRunThatWaitsForAPersonIsATaskForACallerThatFollowsTasks() throws InterruptedException {
        deployTools();
        String request = "followed as a task " + System.nanoTime();
        String tasks = "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}";
        JsonObject created = response(post("tools/call", "{\"name\":\"approve\",\"arguments\":{\"request\":\"" + request + "\"}}", tasks))
                .getJsonObject("result");
        assertThat(created.getString("resultType")).as(created.toString()).isEqualTo("task");
        String taskId = created.getString("taskId");
        assertThat(created.getString("status")).isEqualTo("working");
        assertThat(created).doesNotContainKeys("result", "inputRequests", "requestState");
        String get = "{\"taskId\":\"" + taskId + "\"}";

        JsonObject stranger = response(StatelessMcp.post(Http.as("operator", "operator-secret-for-tests"), URL, "tasks/get", get, tasks));
        assertThat(stranger.getJsonObject("error").getInt("code")).as("another user's view of the task: %s", stranger).isEqualTo(-32602);
        HttpResponse<String> undeclared = post("tasks/get", get, "{}");
        assertThat(undeclared.statusCode()).isEqualTo(400);
        assertThat(Http.object(undeclared.body()).getJsonObject("error").getInt("code")).isEqualTo(-32021);
        assertThat(response(post("tasks/get", get, tasks)).getJsonObject("result").getString("status")).isEqualTo("working");

        String task = engine.awaitOpenTask("ApproveToolProcess", "request", request);
        try (ListenStream listening = ListenStream.open(URL, "demo", "demo", "task-listener", "{\"taskIds\":[\"" + taskId + "\",\"not-a-task\"]}", tasks)) {
            assertThat(listening.acknowledgement().message().getJsonObject("params").getJsonObject("notifications").getJsonArray("taskIds").toString())
                    .as("the acknowledgement names the caller's own task, not the unknown id").isEqualTo("[\"" + taskId + "\"]");
            assertThat(engine.complete(task, EngineRest.variables("decision", "approved in the Tasklist")).statusCode()).isEqualTo(204);
            ListenStream.Event heard = listening.next(Duration.ofSeconds(10));
            assertThat(heard).as("notifications/tasks within 10 s of the answer in the Tasklist").isNotNull();
            assertThat(heard.message().getString("method")).isEqualTo("notifications/tasks");
            JsonObject params = heard.message().getJsonObject("params");
            assertThat(params.getString("taskId")).isEqualTo(taskId);
            assertThat(params.getString("status")).isEqualTo("completed");
            assertThat(params.getJsonObject("result").getJsonObject("structuredContent").getString("decision")).isEqualTo("approved in the Tasklist");
            assertThat(params.getJsonObject("_meta").getString("io.modelcontextprotocol/subscriptionId")).isEqualTo("task-listener");
        }

        JsonObject done = response(post("tasks/get", get, tasks)).getJsonObject("result");
        assertThat(done.getString("resultType")).isEqualTo("complete");
        assertThat(done.getString("status")).as(done.toString()).isEqualTo("completed");
        assertThat(done.getJsonObject("result").getJsonObject("structuredContent").getString("decision")).isEqualTo("approved in the Tasklist");
        assertThat(response(post("tasks/cancel", get, tasks)).getJsonObject("result").getString("resultType"))
                .as("cancelling a task that has ended is acknowledged").isEqualTo("complete");
    }

    /**
     * A caller that sends its {@code tools/call} again with the same idempotency key
     * ({@code _meta "io.statehouse/idempotencyKey"}) gets what the first call started: the same task
     * (five callers at once, too), the same run's round of questions; the key for another call is refused.
     */
    @Test
    void aCallSentAgainWithItsIdempotencyKeyGetsTheRunItStarted() throws Exception {
        String tasks = "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}";
        String request = "idempotent " + System.nanoTime();
        String call = "{\"name\":\"approve\",\"arguments\":{\"request\":\"" + request + "\"},"
                + "\"_meta\":{\"io.statehouse/idempotencyKey\":\"key-" + request.replace(' ', '-') + "\"}}";
        List<CompletableFuture<JsonObject>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> response(post("tools/call", call, tasks)).getJsonObject("result")));
        }
        java.util.Set<String> taskIds = new java.util.HashSet<>();
        for (CompletableFuture<JsonObject> each : calls) {
            JsonObject created = each.get(60, TimeUnit.SECONDS);
            assertThat(created.getString("resultType")).as(created.toString()).isEqualTo("task");
            taskIds.add(created.getString("taskId"));
        }
        assertThat(taskIds).as("the tasks five callers got for one key, sent at once").hasSize(1);
        JsonObject later = response(post("tools/call", call, tasks)).getJsonObject("result");
        assertThat(later.getString("taskId")).as("the task a later repeat gets").isEqualTo(taskIds.iterator().next());
        assertThat(engine.historicRunsStartedWith("ApproveToolProcess", "request", request)).as("runs started by six calls with one key").hasSize(1);

        JsonObject conflict = response(post("tools/call", call.replace(request + "\"}", request + " changed\"}"), tasks));
        assertThat(conflict.getJsonObject("error").getInt("code")).as(conflict.toString()).isEqualTo(-32602);
        assertThat(conflict.getJsonObject("error").getJsonObject("data").getString("reason")).isEqualTo("idempotency_conflict");
        assertThat(engine.historicRunsStartedWith("ApproveToolProcess", "request", request + " changed")).isEmpty();
        HttpResponse<String> malformed = post("tools/call", call.replaceFirst("\"key-[^\"]*\"", "42"), tasks);
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(Http.object(malformed.body()).getJsonObject("error").getString("message")).contains("idempotency key");

        String byCaller = "rounds " + System.nanoTime();
        String round = "{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"" + byCaller + "\"},"
                + "\"_meta\":{\"io.statehouse/idempotencyKey\":\"key-" + byCaller.replace(' ', '-') + "\"}}";
        JsonObject asked = response(post("tools/call", round, "{\"elicitation\":{}}")).getJsonObject("result");
        JsonObject askedAgain = response(post("tools/call", round, "{\"elicitation\":{}}")).getJsonObject("result");
        assertThat(askedAgain.getString("resultType")).isEqualTo("input_required");
        assertThat(askedAgain.getJsonObject("inputRequests").keySet()).isEqualTo(asked.getJsonObject("inputRequests").keySet());
        assertThat(engine.historicRunsStartedWith("ApproveByCallerToolProcess", "request", byCaller)).as("runs of a round asked twice").hasSize(1);
        JsonObject done = response(retry(byCaller, askedAgain.getString("requestState"), "{\"decision\":\"answered in the repeat's round\"}"));
        assertThat(done.getJsonObject("result").getJsonObject("structuredContent").getString("decision")).isEqualTo("answered in the repeat's round");
    }

    @Test
    void serverDiscoverNamesBothEras() {
        JsonObject result = response(post("server/discover", "{}", "{}")).getJsonObject("result");

        assertThat(result.getJsonArray("supportedVersions").toString()).contains(VERSION, "2025-11-25");
        assertThat(result.getString("resultType")).isEqualTo("complete");
        assertThat(result.getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/serverInfo").getString("name")).isEqualTo("statehouse");
    }

    @Test
    void aListenStreamIsAcknowledgedFirstAndHearsWhatItAskedFor() throws Exception {
        try (ListenStream stream = ListenStream.open(URL, "demo", "demo", "listen-1", "{\"toolsListChanged\":true}")) {
            JsonObject ack = stream.acknowledgement().message();
            assertThat(ack.getString("method")).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(ack.getJsonObject("params").getJsonObject("_meta").getString("io.modelcontextprotocol/subscriptionId")).isEqualTo("listen-1");
            assertThat(ack.getJsonObject("params").getJsonObject("notifications").getBoolean("toolsListChanged")).isTrue();

            // The fixture's process id is a placeholder, filled in here: a key no deployment had before, so the tool list changes.
            String key = "ListenProbe" + System.nanoTime() + "Process";
            HttpResponse<String> deployed = engine.deploy("it-listen-probe", "probe.bpmn",
                    Fixtures.text(LISTEN_PROBE).replace(LISTEN_PROBE_KEY, key));
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            ListenStream.Event changed = stream.next(Duration.ofSeconds(20));
            assertThat(changed).as("the tool list change").isNotNull();
            assertThat(changed.message().getString("method")).isEqualTo("notifications/tools/list_changed");
            assertThat(changed.message().getJsonObject("params").getJsonObject("_meta").getString("io.modelcontextprotocol/subscriptionId"))
                    .isEqualTo("listen-1");
        }
    }

    private HttpResponse<String> retry(String request, String state, String content) {
        String params = "{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"" + request + "\"},"
                + "\"inputResponses\":{\"Task_Decide\":{\"action\":\"accept\",\"content\":" + content + "}},"
                + "\"requestState\":" + Json.createValue(state) + "}";
        return post("tools/call", params, "{\"elicitation\":{}}");
    }

    private HttpResponse<String> post(String method, String params, String capabilities) {
        return StatelessMcp.post(demo, URL, method, params, capabilities);
    }
}
