package io.statehouse.it;

import static io.statehouse.it.ClusterNodes.NODE_A;
import static io.statehouse.it.ClusterNodes.NODE_B;
import static io.statehouse.it.EngineRest.stringValue;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

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

import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * A node of the cluster dies ({@code kill -9}) with 22 runs in flight on it, in every state a run
 * can be in when it is the node's business: a caller waiting for a run that waits for a person, in
 * both eras; a 2026-07-28 caller in a round; a call to a remote MCP server, in the stateful era
 * waiting for a person's answer and in the middle of a long operation, and in the 2026-07-28 era in
 * a round. Node A goes on with each: people answer there, a caller retries there, and the calls that
 * lost their MCP session with node B are found once their lock runs out (failsafe sets
 * {@code STATEHOUSE_MCP_CLIENT_LOCK_DURATION=PT15S}) and end as incidents that give the reason. Then
 * every run is counted by what became of it, from the database: ended, or an incident with its
 * reason; none may still wait. Real peers: server-everything, the TypeScript SDK v2 client and server.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "statehouse.it.database", matches = "postgresql",
        disabledReason = "a cluster needs PostgreSQL: ClusterNodeDeathIT runs in failsafe's it-postgresql execution (mvn verify -Ppostgresql)")
class ClusterNodeDeathIT {

    private static final String EVERYTHING = "death-everything";
    private static final String ROUNDS = "death-rounds";
    private static final String LOST = "Statehouse stopped while this MCP call was in flight";
    private static final Duration AFTER_THE_LOCK = Duration.ofSeconds(90);

    private static ClusterNodes nodeB;
    private static NodeMcpServer everything;
    private static NodeMcpServer rounds;
    private static final List<NodeScript> callers = new ArrayList<>();

    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engineA = new EngineRest(demo, NODE_A.engineRest());
    private final EngineRest engineB = new EngineRest(demo, NODE_B.engineRest());

    /** A run that this test put on node B, and how it is to be taken on once node B is dead. */
    private record Run(String kind, String id, String call, ClusterNodes.Node holder, List<String> questions, String request, String state) {
    }

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @BeforeAll
    static void startNodeBAndThePeers() throws IOException {
        nodeB = ClusterNodes.startNodeB();
        everything = NodeMcpServer.everything();
        rounds = NodeMcpServer.rounds();
    }

    @AfterAll
    static void stopEverythingStarted() throws InterruptedException {
        try {
            for (NodeScript caller : callers) {
                caller.exits(Duration.ZERO);
            }
            if (everything != null) {
                everything.close();
            }
            if (rounds != null) {
                rounds.close();
            }
        } finally {
            if (nodeB != null) {
                nodeB.stop();
            }
        }
    }

    /** How long a caller on node B waits for its call: the TypeScript SDK ends a 2026-07-28 call whose stream broke only then. */
    private static final Duration CALLER_TIMEOUT = Duration.ofSeconds(45);

    @Test
    void aNodeKilledWithTwentyTwoRunsInFlightLosesNone() throws Exception {
        setUp();
        String tag = "death " + System.nanoTime();
        List<Run> runs = new ArrayList<>();

        // Callers on node B (both eras) of a tool whose run waits for a person.
        List<NodeScript> waiting = new ArrayList<>();
        for (String era : List.of("2025-11-25", "2026-07-28")) {
            for (int i = 0; i < 3; i++) {
                String request = tag + " caller " + era + " " + i;
                // Without progress: a 2025-11-25 stream that carried progress events is one the TypeScript SDK tries to resume
                // (Last-Event-ID) when it drops, and its call then waits for its own timeout instead of ending. A 2026-07-28
                // call's stream is open at once (Statehouse writes it a heartbeat comment every 5 s), and the SDK (2.4.0) keeps a
                // request whose stream ended without a response until the request's own timeout: 45 s here.
                NodeScript caller = NodeScript.start("ts-client.mjs", NODE_B.mcp(), "demo", "demo", "wait-for-person", request, era, "no-progress",
                        "timeout=" + CALLER_TIMEOUT.toMillis());
                callers.add(caller);
                waiting.add(caller);
                String task = engineA.awaitOpenTask("ApproveToolProcess", "request", request);
                String run = engineA.runOfTask(task);
                runs.add(new Run("a caller (" + era + ") waits for a person", run, null, NODE_B, List.of(task), request, null));
            }
        }
        // 2026-07-28 callers on node B in a round: asked by the run, not yet answered.
        for (int i = 0; i < 5; i++) {
            String request = tag + " round " + i;
            JsonObject round = StatelessMcp.response(StatelessMcp.post(demo, NODE_B.mcp(), "tools/call", toolCall(request, null, null),
                    "{\"elicitation\":{}}")).getJsonObject("result");
            assertThat(round.getString("resultType")).as("node B's answer to tools/call of %s: %s", request, round).isEqualTo("input_required");
            String task = engineA.awaitOpenTask("ApproveByCallerToolProcess", "request", request);
            String run = engineA.runOfTask(task);
            runs.add(new Run("a caller (2026-07-28) in a round", run, null, NODE_B, List.of(task), request, round.getString("requestState")));
        }
        // Calls to a remote MCP server, started on node B: its worker holds them.
        for (int i = 0; i < 5; i++) {
            String run = engineB.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables(EVERYTHING, "trigger-elicitation-request", "{}"));
            String call = engineA.awaitCall(run);
            String question = engineA.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION).getString("id");
            runs.add(new Run("a call (2025-11-25) waits for a person's answer", run, call, holder(call), List.of(question), null, null));
        }
        for (int i = 0; i < 2; i++) {
            String run = engineB.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables(EVERYTHING, "trigger-long-running-operation",
                    "{\"duration\": 60, \"steps\": 60}"));
            String call = engineA.awaitCall(run);
            Http.await("progress of the long operation of run " + run, Duration.ofSeconds(30),
                    () -> !engineA.variableInstances(run, McpToolCall.VAR_PROGRESS).isEmpty());
            runs.add(new Run("a call (2025-11-25) in the middle of a long operation", run, call, holder(call), List.of(), null, null));
        }
        for (int i = 0; i < 4; i++) {
            String run = engineB.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables(ROUNDS, "plan_trip", "{\"destination\": \"Lombok " + i + "\"}"));
            String call = engineA.awaitCall(run);
            String traveller = engineA.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION).getString("id");
            String pitch = engineA.awaitTask(call, McpToolCall.TASK_WRITE_MODEL_REPLY).getString("id");
            runs.add(new Run("a call (2026-07-28) in a round, waiting for people", run, call, holder(call), List.of(traveller, pitch), null, null));
        }
        System.out.println("ClusterNodeDeathIT: before node B is killed: " + describe(runs));

        nodeB.kill();
        long killed = System.nanoTime();

        // What each caller on node B saw: its stream ended, without a result.
        for (NodeScript caller : waiting) {
            Duration left = CALLER_TIMEOUT.plusSeconds(15).minusNanos(System.nanoTime() - killed);
            assertThat(caller.exits(left.isNegative() ? Duration.ZERO : left)).as("a caller on node B ends when node B dies (a 2026-07-28 one at its own "
                    + "timeout of %s at the latest); its output:%n%s", CALLER_TIMEOUT, caller.output()).isTrue();
            assertThat(caller.output()).as("a caller of a run that had not ended").doesNotContain("\"result\"");
        }
        System.out.printf("ClusterNodeDeathIT: node B killed; its %d callers' streams ended within %.1f s%n", waiting.size(),
                (System.nanoTime() - killed) / 1e9);

        // Node A takes each run on.
        for (Run run : runs) {
            switch (run.kind().substring(0, 8)) {
                case "a caller" -> {
                    if (run.state() == null) {
                        assertCompleted(engineA.complete(run.questions().get(0), EngineRest.variables("decision", "approved on node A")), run);
                    } else {
                        JsonObject retried = StatelessMcp.response(StatelessMcp.post(demo, NODE_A.mcp(), "tools/call",
                                toolCall(run.request(), run.state(), "{\"decision\":\"approved in a retry on node A\"}"), "{\"elicitation\":{}}"));
                        assertThat(retried.getJsonObject("result").getString("resultType")).as("the retry on node A: %s", retried).isEqualTo("complete");
                        assertThat(retried.getJsonObject("result").getJsonObject("structuredContent").getString("decision"))
                                .isEqualTo("approved in a retry on node A");
                    }
                }
                case "a call (" -> {
                    if (run.kind().contains("2026-07-28")) {
                        // Held by node B: the answers are kept on the call, which goes on on node A once its lock has run out.
                        answerTrip(run);
                    } else if (run.holder() == NODE_A && !run.questions().isEmpty()) {
                        assertCompleted(answerElicitation(run.questions().get(0)), run);
                    }
                    // A 2025-11-25 call that node B held lost its MCP session: nobody can answer it any more, and
                    // node A ends it as a lost session once its lock has run out.
                }
                default -> throw new IllegalStateException(run.kind());
            }
        }

        // Counted from the database: what became of every run.
        Map<Run, String> outcomes = new LinkedHashMap<>();
        Map<String, Long> counted = new TreeMap<>();
        for (Run run : runs) {
            String outcome = awaitOutcome(run);
            outcomes.put(run, outcome);
            counted.merge(outcome.startsWith("incident") ? "incidents: " + LOST : outcome, 1L, Long::sum);
        }
        System.out.printf("ClusterNodeDeathIT: %d runs on node B when it was killed; %.1f s later: %s%n", runs.size(),
                (System.nanoTime() - killed) / 1e9, counted);
        outcomes.forEach((run, outcome) -> System.out.println("ClusterNodeDeathIT:   " + run.kind() + ", held by " + run.holder().name()
                + ", run " + run.id() + ": " + outcome));

        assertThat(runs).hasSizeGreaterThanOrEqualTo(20);
        for (Run run : runs) {
            // Only a stateful (2025-11-25) MCP session lives in a node's memory; everything else is in the database.
            boolean lostWithNodeB = run.holder() == NODE_B && run.call() != null && run.kind().contains("2025-11-25");
            if (lostWithNodeB) {
                assertThat(outcomes.get(run)).as("%s, held by node B, run %s", run.kind(), run.id()).startsWith("incident");
                assertThat(engineA.tasks(run.call())).as("the questions of the lost call %s are closed", run.call()).isEmpty();
            } else {
                assertThat(outcomes.get(run)).as("%s, held by %s, run %s", run.kind(), run.holder().name(), run.id()).isEqualTo("ended");
            }
        }
    }

    /** Waits until the run has ended or one of its calls is an incident, and says which, with the incident's reason. */
    private String awaitOutcome(Run run) {
        String[] outcome = new String[1];
        Http.await("run " + run.id() + " (" + run.kind() + ") to end or to be an incident", AFTER_THE_LOCK, () -> {
            outcome[0] = outcome(run);
            return outcome[0] != null;
        });
        return outcome[0];
    }

    private String outcome(Run run) {
        if (engineA.ended(run.id())) {
            return "ended";
        }
        List<String> processes = new ArrayList<>(List.of(run.id()));
        engineA.historicCalls(run.id()).getValuesAs(JsonObject.class).forEach(call -> processes.add(call.getString("id")));
        for (String process : processes) {
            JsonArray incidents = engineA.incidents(process);
            if (!incidents.isEmpty()) {
                // The run's own incident is the call activity's, propagated; its root cause (the call's) says why.
                String message = engineA.incident(incidents.getJsonObject(0).getString("rootCauseIncidentId")).getString("incidentMessage");
                assertThat(message).as("the reason of the incident of run %s", run.id()).contains(LOST).contains(McpToolCall.ERROR_SESSION_LOST);
                return "incident (" + message + ")";
            }
        }
        return null;
    }

    /** Both questions of round 1 of {@code plan_trip}, then the question of round 2, answered on node A. */
    private void answerTrip(Run run) {
        assertCompleted(answerElicitation(run.questions().get(0), "{\"name\": \"Rina\"}"), run);
        assertCompleted(engineA.complete(run.questions().get(1), EngineRest.variables(Json.createObjectBuilder()
                .add(McpToolCall.VAR_ACTION, stringValue("accept")).add(McpToolCall.VAR_REPLY, stringValue("Quiet beaches.")))), run);
        String[] budget = new String[1];
        Http.await("round 2 of call " + run.call() + " (held by " + run.holder().name() + "), on node A", AFTER_THE_LOCK, () -> {
            JsonArray open = engineA.tasks(run.call(), McpToolCall.TASK_ANSWER_ELICITATION);
            open.getValuesAs(JsonObject.class).stream().map(t -> t.getString("id")).filter(id -> !run.questions().contains(id))
                    .findFirst().ifPresent(id -> budget[0] = id);
            return budget[0] != null;
        });
        assertCompleted(answerElicitation(budget[0], "{\"euros\": 1200}"), run);
    }

    private HttpResponse<String> answerElicitation(String task) {
        return answerElicitation(task, "{\"name\": \"Answered on node A\", \"check\": true, \"integer\": 7,"
                + " \"email\": \"ayu@example.org\", \"untitledMultipleSelectEnum\": [\"Piano\"]}");
    }

    private HttpResponse<String> answerElicitation(String task, String content) {
        return engineA.complete(task, EngineRest.variables(Json.createObjectBuilder()
                .add(McpToolCall.VAR_ACTION, stringValue("accept")).add(McpToolCall.VAR_CONTENT, stringValue(content))));
    }

    private static void assertCompleted(HttpResponse<String> completed, Run run) {
        assertThat(completed.statusCode()).as("a person's answer on node A to run %s (%s): %s", run.id(), run.kind(), completed.body()).isEqualTo(204);
    }

    /** The node whose worker holds the call, by its lock. */
    private ClusterNodes.Node holder(String call) {
        JsonArray locked = engineA.externalTasks(call);
        assertThat(locked).as("the external task of call %s", call).hasSize(1);
        return ClusterNodes.holderOf(locked.getJsonObject(0).getString("workerId"));
    }

    private static String toolCall(String request, String state, String decision) {
        StringBuilder params = new StringBuilder("{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":").append(Json.createValue(request)).append('}');
        if (state != null) {
            params.append(",\"inputResponses\":{\"Task_Decide\":{\"action\":\"accept\",\"content\":").append(decision).append("}}")
                    .append(",\"requestState\":").append(Json.createValue(state));
        }
        return params.append('}').toString();
    }

    private static String describe(List<Run> runs) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        runs.forEach(run -> kinds.merge(run.kind() + " (held by " + run.holder().name() + ")", 1L, Long::sum));
        return runs.size() + " runs: " + kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private void setUp() {
        HttpResponse<String> tools = engineA.deploy("it-cluster-death-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS));
        assertThat(tools.statusCode()).as(tools.body()).isEqualTo(200);
        HttpResponse<String> model = engineA.deploy("it-cluster-death-client", "mcp-client-it.bpmn", Fixtures.text(McpClientIT.RUN_MODEL));
        assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
        for (Map.Entry<String, NodeMcpServer> server : Map.of(EVERYTHING, everything, ROUNDS, rounds).entrySet()) {
            HttpResponse<String> registered = operator.putJson(NODE_A.base() + "/statehouse/api/mcp-servers/" + server.getKey(),
                    "{\"url\": \"" + server.getValue().url() + "\"}");
            assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        }
        Http.await("node B to list tools approve and approve_by_caller", Duration.ofSeconds(30), () -> {
            String listed = StatelessMcp.post(demo, NODE_B.mcp(), "tools/list", "{}", "{\"elicitation\":{}}").body();
            return listed.contains("\"approve\"") && listed.contains("\"approve_by_caller\"");
        });
    }
}
