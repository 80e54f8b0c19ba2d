package io.statehouse.it;

import static io.statehouse.it.ClusterNodes.NODE_A;
import static io.statehouse.it.ClusterNodes.NODE_B;
import static io.statehouse.it.EngineRest.stringValue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * A lost signal only delays: node B runs with {@code STATEHOUSE_CLUSTER_LISTEN=false}, so it hears
 * none of node A's signals, and everything node A does for what node B holds must reach node B by
 * its sweeps (every {@link #SWEEP} here): a caller on B whose run a person answers on A gets the
 * result; a caller on B whose run, answered on A, then asks its caller is asked; a caller on B whose
 * run breaks on A gets the incident; a call to a remote MCP server held by B whose question is
 * answered on A ends. Each is timed against the sweep interval.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "statehouse.it.database", matches = "postgresql",
        disabledReason = "a cluster needs PostgreSQL: ClusterSweepIT runs in failsafe's it-postgresql execution (mvn verify -Ppostgresql)")
class ClusterSweepIT {

    private static final Duration SWEEP = Duration.ofSeconds(2);
    /** Two sweeps and the time a sweep takes: a signal that arrived would take well under a second. */
    private static final Duration WITHIN = SWEEP.multipliedBy(2).plusSeconds(6);
    private static final String TOOLS = "fixtures/cluster-sweep-tools.bpmn";
    private static final String EVERYTHING = "sweep-everything";

    private static ClusterNodes nodeB;
    private static NodeMcpServer everything;
    private static boolean deployed;

    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engineA = new EngineRest(demo, NODE_A.engineRest());
    private final EngineRest engineB = new EngineRest(demo, NODE_B.engineRest());

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @BeforeAll
    static void startADeafNodeB() throws IOException {
        nodeB = ClusterNodes.startNodeB(Map.of("STATEHOUSE_CLUSTER_LISTEN", "false",
                "STATEHOUSE_CLUSTER_SWEEP_INTERVAL", SWEEP.toString()));
        everything = NodeMcpServer.everything();
    }

    @AfterAll
    static void stopEverythingStarted() throws InterruptedException {
        try {
            if (everything != null) {
                everything.close();
            }
        } finally {
            if (nodeB != null) {
                nodeB.stop();
            }
        }
    }

    @Test
    void nodeBSaysItDoesNotListen() {
        assertThat(NODE_B.logged("this node does not LISTEN (statehouse.cluster.listen=false)")).as(ClusterNodes.tail(NODE_B.serverLog())).isTrue();
    }

    @ParameterizedTest(name = "MCP {0}")
    @ValueSource(strings = {"2025-11-25", "2026-07-28"})
    void aCallerOnNodeBGetsTheResultOfARunAnsweredOnNodeA(String era) throws Exception {
        deploy();
        String request = "sweep result " + era + " " + System.nanoTime();
        NodeScript caller = NodeScript.start("ts-client.mjs", NODE_B.mcp(), "demo", "demo", "wait-for-person", request, era);
        String task = engineA.awaitOpenTask("ApproveToolProcess", "request", request);

        assertThat(engineA.complete(task, EngineRest.variables("decision", "approved on node A")).statusCode()).isEqualTo(204);
        long since = System.nanoTime();

        JsonObject seen = caller.result(WITHIN);
        System.out.printf("ClusterSweepIT: caller on node B (%s), run answered on node A: result after %s (sweep every %s)%n",
                era, seconds(since), SWEEP);
        assertThat(seen.getJsonObject("result").getString("decision")).as(seen.toString()).isEqualTo("approved on node A");
    }

    @ParameterizedTest(name = "MCP {0}")
    @ValueSource(strings = {"2025-11-25", "2026-07-28"})
    void aCallerOnNodeBIsAskedByItsRunOnceAPersonOnNodeAHasReviewedIt(String era) throws Exception {
        // Completing the review on node A creates the task for the caller there: its signal never reaches node B.
        Reviewed reviewed = callOnBReviewedOnA("review_then_confirm", "ReviewThenConfirmToolProcess", era);
        NodeScript caller = reviewed.caller();
        long since = reviewed.since();

        JsonObject seen = caller.result(WITHIN);
        System.out.printf("ClusterSweepIT: caller on node B (%s) asked by its run on node A, answered, result after %s%n", era, seconds(since));
        assertThat(seen.getJsonArray("asked").getString(0)).as(seen.toString()).startsWith("Confirm the request");
        assertThat(seen.getJsonObject("result").getString("decision")).as(seen.toString()).isEqualTo("confirmed by the caller");
    }

    @ParameterizedTest(name = "MCP {0}")
    @ValueSource(strings = {"2025-11-25", "2026-07-28"})
    void aCallerOnNodeBHearsOfTheIncidentOfItsRunOnNodeA(String era) throws Exception {
        Reviewed reviewed = callOnBReviewedOnA("review_then_break", "ReviewThenBreakToolProcess", era);
        NodeScript caller = reviewed.caller();
        String run = reviewed.run();
        long since = reviewed.since();

        JsonObject seen = caller.result(WITHIN.plusSeconds(10));
        JsonArray failed = engineA.jobLog(run, "Task_Break");
        String where = failed.getValuesAs(JsonObject.class).stream().filter(log -> log.getBoolean("failureLog", false))
                .map(log -> log.getString("hostname", "?")).findFirst().orElse("?");
        System.out.printf("ClusterSweepIT: caller on node B (%s), its run broke on %s: the caller had the incident after %s%n",
                era, where, seconds(since));
        assertThat(seen.getBoolean("isError")).as(seen.toString()).isTrue();
        assertThat(seen.getString("text")).as(seen.toString()).contains("stopped at an incident in activity Task_Break");
    }

    @Test
    void aCallHeldByNodeBEndsWhenItsQuestionIsAnsweredOnNodeA() throws Exception {
        deploy();
        String run = engineB.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables(EVERYTHING, "trigger-elicitation-request", "{}"));
        String call = engineA.awaitCall(run);
        String question = engineA.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION).getString("id");
        JsonArray locked = engineA.externalTasks(call);
        assertThat(locked).hasSize(1);
        ClusterNodes.Node holder = ClusterNodes.holderOf(locked.getJsonObject(0).getString("workerId"));

        HttpResponse<String> answered = engineA.complete(question, EngineRest.variables(Json.createObjectBuilder()
                .add(McpToolCall.VAR_ACTION, stringValue("accept"))
                .add(McpToolCall.VAR_CONTENT, stringValue("{\"name\": \"Answered on node A\", \"check\": true, \"integer\": 7,"
                        + " \"email\": \"ayu@example.org\", \"untitledMultipleSelectEnum\": [\"Piano\"]}"))));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(204);
        long since = System.nanoTime();

        engineA.awaitEnded(run, "run " + run + " (its call held by " + holder.name() + ") to end", WITHIN);
        System.out.printf("ClusterSweepIT: call held by %s, its question answered on node A: the run ended after %s%n", holder.name(), seconds(since));
        assertThat(holder).as("the call of a run started on node B is held by node B's worker").isEqualTo(NODE_B);
        assertThat(engineA.historicText(run, "toolResult")).contains("Answered on node A");
    }

    /** A caller on node B of a tool whose run's review a person on node A has just completed, at {@code since} (nanoTime). */
    private record Reviewed(NodeScript caller, String run, long since) {
    }

    private Reviewed callOnBReviewedOnA(String tool, String process, String era) throws IOException {
        deploy();
        // No underscore in the value: the engine REST API's variable filters split on it.
        String request = "sweep " + tool.replace('_', ' ') + " " + era + " " + System.nanoTime();
        NodeScript caller = NodeScript.start("ts-client.mjs", NODE_B.mcp(), "demo", "demo", "call", tool, request, era);
        String review = engineA.awaitOpenTask(process, "request", request);
        String run = engineA.runOfTask(review);
        assertThat(engineA.complete(review, EngineRest.variables("reviewed", "on node A")).statusCode()).isEqualTo(204);
        return new Reviewed(caller, run, System.nanoTime());
    }

    private synchronized void deploy() {
        if (deployed) {
            return;
        }
        for (Map.Entry<String, String> fixture : Map.of("it-sweep-tools", McpServerIT.TOOLS, "it-sweep-review-tools", TOOLS,
                "it-sweep-client", McpClientIT.RUN_MODEL).entrySet()) {
            HttpResponse<String> response = engineA.deploy(fixture.getKey(), fixture.getValue().substring(fixture.getValue().lastIndexOf('/') + 1),
                    Fixtures.text(fixture.getValue()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        HttpResponse<String> registered = operator.putJson(NODE_A.base() + "/statehouse/api/mcp-servers/" + EVERYTHING,
                "{\"url\": \"" + everything.url() + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        // Node B hears of deployments by its periodic refresh, as it does not listen: its 2025-11-25 sessions list them then.
        McpSyncClient session = McpClient.sync(HttpClientStreamableHttpTransport.builder(NODE_B.base()).endpoint(McpServerIT.ENDPOINT)
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization",
                                "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)))).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            session.initialize();
            Http.await("node B's 2025-11-25 session to list tools approve, review_then_confirm and review_then_break", Duration.ofSeconds(30),
                    () -> session.listTools().tools().stream().map(McpSchema.Tool::name).toList()
                            .containsAll(List.of("approve", "review_then_confirm", "review_then_break")));
        } finally {
            session.closeGracefully();
        }
        deployed = true;
    }

    private static String seconds(long since) {
        return "%.3f s".formatted((System.nanoTime() - since) / 1e9);
    }
}
