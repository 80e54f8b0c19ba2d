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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * Statehouse as a cluster (issue 13): node A (Arquillian's server, with the real EAR) and node B (a
 * second process of the same provisioned server, {@link ClusterNodes}) on one PostgreSQL database,
 * and HAProxy in front of both ({@link HaproxyBalancer}). Each test makes something happen on one
 * node and expects its effect on the other: a deployment in the other's tool lists and its
 * {@code list_changed}, an answer at the call that waits for it, a run's end at its caller's stream;
 * and every request through the balancer served, by both nodes in turn. Real peers: {@code server-everything}, the TypeScript SDK v2 client.
 * The waits for a cross-node effect are short and bounded, so a missing wake-up fails the test with
 * what was seen instead of hanging it. PostgreSQL only: failsafe's {@code it-h2} excludes it, and on
 * H2 (a {@code -Dit.test=ClusterIT} that reaches it) it is reported as disabled, with the reason.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "statehouse.it.database", matches = "postgresql",
        disabledReason = "a cluster needs PostgreSQL: ClusterIT runs in failsafe's it-postgresql execution (mvn verify -Ppostgresql)")
class ClusterIT {

    private static final String EVERYTHING = "cluster-everything";
    /**
     * server-everything under a name with a sampling budget of {@link #BUDGET} calls per hour (failsafe's
     * {@code STATEHOUSE_SAMPLING_BUDGET_CLUSTER_BUDGETED_CALLS}, so both nodes have it).
     */
    private static final String BUDGETED = "cluster-budgeted";
    private static final int BUDGET = 3;
    private static final String ASK_MODEL = "Task_AskModel";
    /** A tool that no earlier deployment had; its process id is {@link #PROBE_KEY}, for the test to replace. */
    private static final String PROBE = "fixtures/listen-probe.bpmn";
    private static final String PROBE_KEY = "ListenProbeProcess";
    private static final String TASKLIST_PAGE = "/camunda/app/tasklist/default/";
    private static final String B_STATELESS = "node B's tools/list (2026-07-28)";
    private static final String A_STATELESS = "node A's tools/list (2026-07-28)";
    private static final String A_STATEFUL = "node A's tools/list in a 2025-11-25 session";
    private static final String A_SESSION_NOTIFIED = "list_changed to node A's 2025-11-25 session";
    private static final String A_LISTEN_NOTIFIED = "list_changed on node A's 2026-07-28 listen stream";

    private static ClusterNodes nodeB;
    private static HaproxyBalancer balancer;
    private static NodeMcpServer everything;
    private static boolean toolsDeployed;
    private static boolean runModelDeployed;

    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engineA = new EngineRest(demo, NODE_A.engineRest());
    private final EngineRest engineB = new EngineRest(demo, NODE_B.engineRest());

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    /** Node A has the EAR and has migrated the database by now (Arquillian deploys before this runs). */
    @BeforeAll
    static void startNodeB() throws IOException {
        nodeB = ClusterNodes.startNodeB();
    }

    @AfterAll
    static void stopEverythingStarted() throws InterruptedException {
        try {
            if (balancer != null) {
                balancer.close();
            }
            if (everything != null) {
                everything.close();
            }
        } finally {
            if (nodeB != null) {
                nodeB.stop();
            }
        }
    }

    /**
     * A node lists a tool at once in its stateless (2026-07-28) {@code tools/list}, which reads the
     * deployments on every request; what follows the deployments (the stateful sessions' tool list, and
     * {@code list_changed} to those sessions and to the listen streams) must follow a deployment on
     * the other node too. Three deployments in a row, so that a periodic refresh that happens to fall
     * within the second does not pass the test alone.
     */
    @Test
    void aDeploymentOnOneNodeChangesTheOtherNodesToolListWithinASecond() throws Exception {
        Map<String, Long> statefulNotified = new ConcurrentHashMap<>();
        McpSyncClient session = McpClient.sync(HttpClientStreamableHttpTransport.builder(NODE_A.base()).endpoint(McpServerIT.ENDPOINT)
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", basic("demo", "demo"))).build())
                .requestTimeout(Duration.ofSeconds(30))
                .toolsChangeConsumer(tools -> tools.forEach(t -> statefulNotified.putIfAbsent(t.name(), System.nanoTime())))
                .build();
        try (ListenStream listen = ListenStream.open(NODE_A.mcp(), "demo", "demo", "cluster-listen", "{\"toolsListChanged\":true}")) {
            session.initialize();
            for (int probe = 1; probe <= 3; probe++) {
                // The fixture's process id is a placeholder, filled in here: a tool no node has listed before.
                String tool = "ClusterProbe" + System.nanoTime() + "Process";
                assertThat(toolNames(NODE_A)).as("node A's tools before the deployment").doesNotContain(tool);
                listen.clear();

                HttpResponse<String> deployed = engineB.deploy("it-cluster-probe", "probe.bpmn", Fixtures.text(PROBE).replace(PROBE_KEY, tool));
                assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
                long since = System.nanoTime();
                Map<String, Duration> seen = new LinkedHashMap<>();
                poll(Duration.ofSeconds(15), Duration.ofMillis(50), () -> {
                    if (!seen.containsKey(B_STATELESS) && toolNames(NODE_B).contains(tool)) {
                        seen.put(B_STATELESS, Duration.ofNanos(System.nanoTime() - since));
                    }
                    if (!seen.containsKey(A_STATELESS) && toolNames(NODE_A).contains(tool)) {
                        seen.put(A_STATELESS, Duration.ofNanos(System.nanoTime() - since));
                    }
                    if (!seen.containsKey(A_STATEFUL) && session.listTools().tools().stream().anyMatch(t -> t.name().equals(tool))) {
                        seen.put(A_STATEFUL, Duration.ofNanos(System.nanoTime() - since));
                    }
                    if (!seen.containsKey(A_SESSION_NOTIFIED) && statefulNotified.containsKey(tool)) {
                        seen.put(A_SESSION_NOTIFIED, Duration.ofNanos(statefulNotified.get(tool) - since));
                    }
                    if (!seen.containsKey(A_LISTEN_NOTIFIED)) {
                        ListenStream.Event event = nextQuietly(listen);
                        if (event != null && "notifications/tools/list_changed".equals(event.message().getString("method", null))) {
                            seen.put(A_LISTEN_NOTIFIED, Duration.ofNanos(event.arrivedNanos() - since));
                        }
                    }
                    return seen.size() == 5;
                });
                System.out.printf("ClusterIT: tool %s deployed on node B (probe %d of 3), after: %s%n", tool, probe, describe(seen));

                for (String what : List.of(A_STATELESS, A_STATEFUL, A_SESSION_NOTIFIED, A_LISTEN_NOTIFIED)) {
                    assertThat(seen.get(what)).as("%s had tool %s deployed on node B (probe %d) after %s; all that was seen: %s",
                            what, tool, probe, seconds(seen.get(what)), describe(seen)).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(1));
                }
            }
        } finally {
            session.closeGracefully();
        }
    }

    /**
     * The MCP client direction, stateful era: the call is held by the node whose worker locked it
     * (node A's nearly always, woken by the run's start on node A; which one is read from the lock), and
     * its question is answered on the other node.
     */
    @Test
    void aQuestionAnsweredOnTheOtherNodeReachesTheCallThatWaitsForIt() throws IOException {
        deployRunModelAndRegisterEverything();
        String run = engineA.startRun(McpClientIT.RUN_PROCESS, EngineRest.variables(Json.createObjectBuilder()
                .add("server", stringValue(EVERYTHING))
                .add("tool", stringValue("trigger-elicitation-request"))
                .add("arguments", stringValue("{}"))
                .add("review", stringValue(McpToolCall.REVIEW_NONE))
                .add("provider", stringValue("human"))));
        String call = engineA.awaitCall(run);
        JsonObject question = engineA.awaitTask(call, McpToolCall.TASK_ANSWER_ELICITATION);
        JsonArray locked = engineA.externalTasks(call);
        assertThat(locked).as("the external task of call %s", call).hasSize(1);
        String worker = locked.getJsonObject(0).getString("workerId");
        ClusterNodes.Node holder = ClusterNodes.holderOf(worker);
        ClusterNodes.Node other = holder == NODE_A ? NODE_B : NODE_A;
        String name = "Answered on " + other.name() + " " + System.nanoTime();

        HttpResponse<String> answered = new EngineRest(demo, other.engineRest()).complete(question.getString("id"),
                EngineRest.variables(Json.createObjectBuilder()
                        .add(McpToolCall.VAR_ACTION, stringValue("accept"))
                        .add(McpToolCall.VAR_CONTENT, stringValue("{\"name\": \"" + name + "\", \"check\": true, \"integer\": 7,"
                                + " \"email\": \"ayu@example.org\", \"untitledMultipleSelectEnum\": [\"Piano\"]}"))));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(204);
        long since = System.nanoTime();

        boolean ended = poll(Duration.ofSeconds(10), Duration.ofMillis(100), () -> engineA.ended(run));
        System.out.printf("ClusterIT: question of run %s (call held by %s, worker %s) answered on %s; the run %s%n",
                run, holder.name(), worker, other.name(),
                ended ? "ended after " + seconds(Duration.ofNanos(System.nanoTime() - since)) : "had not ended after 10 s");
        assertThat(ended).as("run %s ended within 10 s of its question being answered on %s, while its call is held by %s (its state: %s)",
                run, other.name(), holder.name(), engineA.historicRun(run).getString("state")).isTrue();
        assertThat(engineA.historicText(run, "toolResult")).as("what server-everything got back").contains(name);
    }

    /**
     * The MCP client direction, a model's answer: the run's sampling request is reviewed on the node
     * that does not hold the call, so "Ask the model" is a job of that node's transaction, and its
     * job executor (woken by that commit) answers there. The reply must reach the call on the other
     * node, as a person's answer does; which node ran the job is read from the job log.
     */
    @Test
    void aModelsReplyFromAJobOnTheOtherNodeReachesTheCallThatWaitsForIt() throws Exception {
        deployRunModelAndRegisterEverything();
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            String prompt = "Cluster probe " + System.nanoTime();
            String run = engineA.startRun(McpClientIT.RUN_PROCESS, EngineRest.variables(Json.createObjectBuilder()
                    .add("server", stringValue(EVERYTHING))
                    .add("tool", stringValue("trigger-sampling-request"))
                    .add("arguments", stringValue("{\"prompt\": \"" + prompt + "\", \"maxTokens\": 20}"))
                    .add("review", stringValue(McpToolCall.REVIEW_REQUEST))
                    .add("provider", stringValue("standin"))));
            String call = engineA.awaitCall(run);
            JsonObject review = engineA.awaitTask(call, McpToolCall.TASK_REVIEW_SAMPLING_REQUEST);
            JsonArray locked = engineA.externalTasks(call);
            assertThat(locked).as("the external task of call %s", call).hasSize(1);
            ClusterNodes.Node holder = ClusterNodes.holderOf(locked.getJsonObject(0).getString("workerId"));
            ClusterNodes.Node other = holder == NODE_A ? NODE_B : NODE_A;

            HttpResponse<String> approved = new EngineRest(demo, other.engineRest()).complete(review.getString("id"),
                    EngineRest.variables(Json.createObjectBuilder().add(McpToolCall.VAR_ACTION, stringValue("accept"))));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            long since = System.nanoTime();

            boolean ended = poll(Duration.ofSeconds(20), Duration.ofMillis(100), () -> engineA.ended(run));
            List<String> hosts = engineA.jobLog(call, ASK_MODEL).getValuesAs(JsonObject.class).stream()
                    .filter(entry -> entry.getBoolean("successLog", false)).map(entry -> entry.getString("hostname")).toList();
            System.out.printf("ClusterIT: sampling request of run %s (call held by %s) approved on %s, asked on %s; the run %s%n",
                    run, holder.name(), other.name(), hosts,
                    ended ? "ended after " + seconds(Duration.ofNanos(System.nanoTime() - since)) : "had not ended after 20 s");
            assertThat(hosts).as("the node whose job executor asked the model for call %s (held by %s)", call, holder.name())
                    .containsExactly(other.name());
            assertThat(ended).as("run %s ended within 20 s of the model's reply on %s, while its call is held by %s (its state: %s)",
                    run, other.name(), holder.name(), engineA.historicRun(run).getString("state")).isTrue();
            assertThat(engineA.historicText(run, "toolResult")).as("what server-everything got back")
                    .contains("Stand-in model reply to:").contains(prompt);
        }
    }

    /**
     * The MCP server direction, both eras: the caller's stream is on node A, which took the
     * {@code tools/call}; the run's person completes its task on node B, so the run ends there.
     */
    @ParameterizedTest(name = "MCP {0}")
    @ValueSource(strings = {"2025-11-25", "2026-07-28"})
    void aCallerOnOneNodeGetsTheResultOfARunAnsweredOnTheOther(String era) throws Exception {
        CallerOnA waiting = callerOnAWaitingForAPerson("cluster", era);
        NodeScript caller = waiting.caller();
        String task = waiting.task();
        String run = waiting.run();
        assertThat(caller.output()).as("the caller has no result before the task is done").doesNotContain("\"result\"");

        HttpResponse<String> completed = engineB.complete(task, EngineRest.variables("decision", "approved on node B"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
        long since = System.nanoTime();

        JsonObject seen = caller.result(Duration.ofSeconds(10));
        System.out.printf("ClusterIT: run %s called on node A (%s), answered on node B; the caller had the result after %s%n",
                run, era, seconds(Duration.ofNanos(System.nanoTime() - since)));
        assertThat(seen.getString("era")).as(seen.toString()).isEqualTo(era.equals("2026-07-28") ? "modern" : "legacy");
        assertThat(seen.getJsonObject("result").getString("decision")).as(seen.toString()).isEqualTo("approved on node B");
        assertThat(seen.getJsonArray("progress").getValuesAs(JsonObject.class)).as("the progress the caller on node A heard: %s", seen)
                .anySatisfy(progress -> assertThat(progress.getString("message", "")).isEqualTo("Completed: Approve the request"));
        assertThat(engineA.ended(run)).as("run %s ended", run).isTrue();
    }

    /**
     * A cancellation from the other node: an operator cancels on node B (as Cockpit does) a run whose
     * caller waits on node A, and the caller's call ends at once with an error that says so.
     */
    @ParameterizedTest(name = "MCP {0}")
    @ValueSource(strings = {"2025-11-25", "2026-07-28"})
    void aRunCancelledOnTheOtherNodeEndsItsCallersCall(String era) throws Exception {
        CallerOnA waiting = callerOnAWaitingForAPerson("cancelled on node B", era);
        NodeScript caller = waiting.caller();
        String run = waiting.run();

        HttpResponse<String> cancelled = engineB.cancel(run);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
        long since = System.nanoTime();

        JsonObject seen = caller.result(Duration.ofSeconds(10));
        System.out.printf("ClusterIT: run %s called on node A (%s), cancelled on node B; the caller had its error after %s%n",
                run, era, seconds(Duration.ofNanos(System.nanoTime() - since)));
        assertThat(seen.getBoolean("isError")).as("the call of a cancelled run is an error: %s", seen).isTrue();
        assertThat(seen.getString("text")).as(seen.toString()).contains(run).contains("it was cancelled");
    }

    /** A caller of tool {@code approve} on node A, in that era, and the task and run it waits for. */
    private record CallerOnA(NodeScript caller, String task, String run) {
    }

    private CallerOnA callerOnAWaitingForAPerson(String label, String era) throws IOException {
        deployTools();
        Http.await("tool approve to be listed by node A", Duration.ofSeconds(30), () -> toolNames(NODE_A).contains("approve"));
        String request = label + " " + era + " " + System.nanoTime();
        NodeScript caller = NodeScript.start("ts-client.mjs", NODE_A.mcp(), "demo", "demo", "wait-for-person", request, era);
        String task = engineA.awaitOpenTask("ApproveToolProcess", "request", request);
        return new CallerOnA(caller, task, engineA.runOfTask(task));
    }

    /**
     * One idempotency key, sent to both nodes at once (three calls each, 2026-07-28 with the tasks
     * extension): the key's row in the shared database lets one call start the run, and every call,
     * on either node, gets that run's one task.
     */
    @Test
    void oneIdempotencyKeySentToBothNodesAtOnceStartsOneRun() throws Exception {
        deployTools();
        Http.await("tool approve to be listed by both nodes", Duration.ofSeconds(30),
                () -> toolNames(NODE_A).contains("approve") && toolNames(NODE_B).contains("approve"));
        String request = "one-key-two-nodes-" + System.nanoTime();
        String call = "{\"name\":\"approve\",\"arguments\":{\"request\":\"" + request + "\"},"
                + "\"_meta\":{\"io.statehouse/idempotencyKey\":\"" + request + "\"}}";
        String tasks = "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}";
        List<CompletableFuture<JsonObject>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ClusterNodes.Node node = i % 2 == 0 ? NODE_A : NODE_B;
            calls.add(CompletableFuture.supplyAsync(() -> StatelessMcp.response(StatelessMcp.post(demo, node.mcp(), "tools/call", call, tasks))));
        }
        Set<String> taskIds = new HashSet<>();
        for (CompletableFuture<JsonObject> each : calls) {
            JsonObject answer = each.get(60, TimeUnit.SECONDS);
            assertThat(answer.getJsonObject("result").getString("resultType")).as(answer.toString()).isEqualTo("task");
            taskIds.add(answer.getJsonObject("result").getString("taskId"));
        }
        JsonArray runs = engineA.historicRunsStartedWith("ApproveToolProcess", "request", request);
        System.out.printf("ClusterIT: 6 calls with one idempotency key, 3 on each node: %d run(s), %d task id(s)%n", runs.size(), taskIds.size());
        assertThat(runs).as("the runs six calls with one key started across both nodes").hasSize(1);
        assertThat(taskIds).as("the task ids they got").hasSize(1);
        engineA.cancel(runs.getJsonObject(0).getString("id"));
    }

    /**
     * A 2025-11-25 caller that cancels its call through the balancer: its session's node hears it (the
     * balancer keeps the session there), cancels the run, and no node's Tasklist shows its task any more.
     */
    @Test
    void aCallerWhoCancelsThroughTheBalancerCancelsItsRunOnEveryNode() throws Exception {
        deployTools();
        Http.await("tool approve to be listed by both nodes", Duration.ofSeconds(30),
                () -> toolNames(NODE_A).contains("approve") && toolNames(NODE_B).contains("approve"));
        String request = "cancelled-through-the-balancer-" + System.nanoTime();

        JsonObject seen = NodeScript.start("ts-client.mjs", balancer().base() + McpServerIT.ENDPOINT, "demo", "demo", "cancel", request)
                .result(Duration.ofSeconds(60));

        assertThat(seen.getString("outcome")).as(seen.toString()).isEqualTo("aborted");
        for (Map.Entry<String, EngineRest> node : Map.of("node A", engineA, "node B", engineB).entrySet()) {
            EngineRest engine = node.getValue();
            Http.await("the run to be cancelled, as " + node.getKey() + " sees it", Duration.ofSeconds(30), () -> {
                JsonArray runs = engine.historicRunsByQuery("processDefinitionKey=ApproveToolProcess&variables=request_eq_" + request);
                return runs.size() == 1 && "EXTERNALLY_TERMINATED".equals(runs.getJsonObject(0).getString("state"))
                        && runs.getJsonObject(0).getString("deleteReason", "").contains("the agent changed its mind");
            });
            assertThat(engine.tasksByQuery("processDefinitionKey=ApproveToolProcess&processVariables=request_eq_" + request)).isEmpty();
        }
    }

    /**
     * A sampling budget is the cluster's, not each node's: eight runs, started on both nodes in turn,
     * ask the model through a server whose budget is three calls; the model is asked on the job executor
     * of the node that takes the job (which the job log names), and exactly three are answered, the
     * other five declined with the budget's message, however the calls fell on the nodes. Counted per
     * node, the two nodes would answer up to six.
     */
    @Test
    void aSamplingBudgetOfThreeCallsAllowsThreeAcrossBothNodes() throws Exception {
        deployRunModelAndRegisterEverything();
        HttpResponse<String> registered = operator.putJson(NODE_A.base() + "/statehouse/api/mcp-servers/" + BUDGETED,
                "{\"url\": \"" + everything.url() + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                EngineRest engine = i % 2 == 0 ? engineA : engineB;
                runs.add(engine.startRun(McpClientIT.RUN_PROCESS, EngineRest.variables(Json.createObjectBuilder()
                        .add("server", stringValue(BUDGETED))
                        .add("tool", stringValue("trigger-sampling-request"))
                        .add("arguments", stringValue("{\"prompt\": \"Budget probe " + i + "\", \"maxTokens\": 20}"))
                        .add("review", stringValue(McpToolCall.REVIEW_NONE))
                        .add("provider", stringValue("standin")))));
            }
            List<String> answered = new ArrayList<>();
            List<String> declined = new ArrayList<>();
            List<String> other = new ArrayList<>();
            Map<String, List<String>> askedOn = new LinkedHashMap<>();
            for (String run : runs) {
                engineA.awaitEnded(run, "run " + run + " (a sampling call under budget " + BUDGETED + ") to end", Duration.ofSeconds(90));
                JsonArray calls = engineA.historicCalls(run);
                assertThat(calls).as("the MCP tool call of run %s", run).hasSize(1);
                String call = calls.getJsonObject(0).getString("id");
                List<String> hosts = engineA.jobLog(call, ASK_MODEL).getValuesAs(JsonObject.class).stream()
                        .filter(entry -> entry.getBoolean("successLog", false)).map(entry -> entry.getString("hostname")).toList();
                assertThat(hosts).as("the successful 'Ask the model' job of call %s, in its job log", call).hasSize(1);
                String outcome = outcome(run);
                askedOn.computeIfAbsent(hosts.get(0), host -> new ArrayList<>()).add(outcome);
                if (outcome.contains("Stand-in model reply to:")) {
                    answered.add(run);
                } else if (outcome.contains("sampling budget '" + BUDGETED + "' is spent")) {
                    declined.add(run);
                } else {
                    other.add(run + ": " + outcome);
                }
            }
            System.out.printf("ClusterIT: 8 sampling calls under a budget of %d: %d answered, %d declined; asked on %s%n",
                    BUDGET, answered.size(), declined.size(), askedOn.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue().size() + "x").collect(Collectors.joining(", ")));
            assertThat(other).as("runs that neither had the model's reply nor the budget's refusal").isEmpty();
            assertThat(askedOn.keySet()).as("the nodes whose job executor asked the model (job log hostname): %s", askedOn)
                    .containsExactlyInAnyOrder(NODE_A.name(), NODE_B.name());
            assertThat(answered).as("the runs the model answered, with a budget of %d calls for both nodes; asked per node: %s",
                    BUDGET, askedOn).hasSize(BUDGET);
            assertThat(declined).as("the runs declined for the spent budget").hasSize(8 - BUDGET);
        }
    }

    /** What the run's tool call ended with: its result, or its error. */
    private String outcome(String run) {
        JsonArray result = engineA.historicVariables(run, "toolResult");
        if (!result.isEmpty()) {
            return "result " + result.getJsonObject(0).getString("value");
        }
        JsonArray error = engineA.historicVariables(run, "toolError");
        return error.isEmpty() ? "neither toolResult nor toolError" : "error " + error.getJsonObject(0).getString("value");
    }

    /**
     * Twenty requests through HAProxy, five kinds in turn (so that, nodes alternating, each kind meets
     * both nodes): the engine REST API, Statehouse's REST API, a 2026-07-28 {@code server/discover}
     * and {@code tools/list} (stateless, so any node may answer), and the Tasklist's login page as a
     * new browser gets it. Which node served each is what HAProxy says in its header, counted again
     * on its stats page.
     */
    @Test
    void everyRequestThroughTheBalancerIsServed() throws Exception {
        HaproxyBalancer lb = balancer();
        Map<String, Long> before = lb.responses2xx();
        List<String> servedBy = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        String mcp = lb.base() + McpServerIT.ENDPOINT;
        for (int round = 0; round < 4; round++) {
            HttpResponse<String> count = demo.get(lb.base() + "/statehouse/engine-rest/process-definition/count");
            expect(count, r -> r.body().contains("\"count\""), servedBy, seen, "engine REST process-definition/count");

            HttpResponse<String> servers = demo.get(lb.base() + "/statehouse/api/mcp-servers");
            expect(servers, r -> r.body().startsWith("["), servedBy, seen, "Statehouse REST mcp-servers");

            HttpResponse<String> discover = StatelessMcp.post(demo, mcp, "server/discover", "{}", "{}");
            expect(discover, r -> StatelessMcp.response(r).getJsonObject("result").getJsonArray("supportedVersions").toString()
                    .contains(StatelessMcp.VERSION), servedBy, seen, "MCP server/discover");

            HttpResponse<String> tools = StatelessMcp.post(demo, mcp, "tools/list", "{}", "{}");
            expect(tools, r -> StatelessMcp.response(r).getJsonObject("result").get("tools") instanceof JsonArray, servedBy, seen,
                    "MCP tools/list");

            HttpResponse<String> page = Http.anonymous().get(lb.base() + TASKLIST_PAGE, "Accept", "text/html");
            expect(page, r -> r.body().contains("Tasklist") && r.headers().firstValue("X-XSRF-TOKEN").isPresent(), servedBy, seen,
                    "the Tasklist's login page");
        }
        Map<String, Long> after = lb.responses2xx();
        System.out.println("ClusterIT: 20 requests through HAProxy (" + lb.base() + "), served by " + servedBy
                + "; 2xx per node on HAProxy's stats before " + before + ", after " + after);

        assertThat(seen).as("what each request got, through the balancer").allMatch(s -> s.endsWith(": as expected"));
        // The shipped configuration balances the web apps (every fifth request here) in a backend of their own.
        List<String> apis = new ArrayList<>();
        List<String> webapps = new ArrayList<>();
        for (int i = 0; i < servedBy.size(); i++) {
            (i % 5 == 4 ? webapps : apis).add(servedBy.get(i));
        }
        for (List<String> backend : List.of(apis, webapps)) {
            for (int i = 1; i < backend.size(); i++) {
                assertThat(backend.get(i)).as("request %d of its backend went to another node than request %d (round-robin): %s of %s",
                        i + 1, i, backend, servedBy).isNotEqualTo(backend.get(i - 1));
            }
        }
        assertThat(servedBy).as("the nodes that served the 20 requests").containsOnly(NODE_A.name(), NODE_B.name());
        for (ClusterNodes.Node node : List.of(NODE_A, NODE_B)) {
            assertThat(after.get(node.name()) - before.get(node.name()))
                    .as("2xx responses of %s on HAProxy's stats, before %s, after %s", node.name(), before, after).isEqualTo(10);
        }
    }

    @Test
    void aStatefulSessionThroughTheBalancerStaysOnTheNodeThatOpenedIt() throws Exception {
        HaproxyBalancer lb = balancer();
        // Round-robin alone would send every other request of the session to the node that does not know it (404).
        McpSyncClient session = McpClient.sync(HttpClientStreamableHttpTransport.builder(lb.base()).endpoint(McpServerIT.ENDPOINT)
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", basic("demo", "demo"))).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            session.initialize();
            for (int request = 1; request <= 6; request++) {
                assertThat(session.listTools().tools()).as("tools/list %d of one 2025-11-25 session through the balancer", request)
                        .isNotEmpty();
            }
        } finally {
            session.closeGracefully();
        }
    }

    @Test
    void aBusinessUserLogsInToTheTasklistThroughTheBalancer() throws Exception {
        HaproxyBalancer lb = balancer();
        Http browser = Http.anonymous();
        HttpResponse<String> page = browser.get(lb.base() + TASKLIST_PAGE, "Accept", "text/html");
        String csrf = page.headers().firstValue("X-XSRF-TOKEN").orElseThrow();
        String node = HaproxyBalancer.servedBy(page);

        HttpResponse<String> login = browser.postForm(lb.base() + "/camunda/api/admin/auth/user/default/login/tasklist",
                "username=demo&password=demo", "X-XSRF-TOKEN", csrf);
        assertThat(login.statusCode()).as("the login, after the page from %s: %s", node, login.body()).isEqualTo(200);
        String sessionCsrf = login.headers().firstValue("X-XSRF-TOKEN").orElse(csrf);
        for (int request = 1; request <= 4; request++) {
            HttpResponse<String> count = browser.get(lb.base() + "/camunda/api/engine/engine/default/task/count", "X-XSRF-TOKEN", sessionCsrf);
            assertThat(count.statusCode()).as("request %d of the logged-in browser: %s", request, count.body()).isEqualTo(200);
            assertThat(HaproxyBalancer.servedBy(count)).as("the node of request %d", request).isEqualTo(node);
        }
    }

    /** Records which node served a response and whether it was a 2xx with what {@code expected} asks. */
    private static void expect(HttpResponse<String> response, Predicate<HttpResponse<String>> expected, List<String> servedBy,
            List<String> seen, String what) {
        String node = HaproxyBalancer.servedBy(response);
        servedBy.add(node);
        boolean fits = response.statusCode() / 100 == 2 && fitsQuietly(response, expected);
        seen.add(what + " on " + node + ": " + (fits ? "as expected" : response.statusCode() + " " + abbreviated(response.body())));
    }

    private static boolean fitsQuietly(HttpResponse<String> response, Predicate<HttpResponse<String>> expected) {
        try {
            return expected.test(response);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    /** The names of the tools a node lists, by a stateless MCP 2026-07-28 {@code tools/list} on that node alone. */
    private List<String> toolNames(ClusterNodes.Node node) {
        HttpResponse<String> listed = StatelessMcp.post(demo, node.mcp(), "tools/list", "{}", "{\"elicitation\":{}}");
        assertThat(listed.statusCode()).as("tools/list on %s: %s", node, listed.body()).isEqualTo(200);
        return StatelessMcp.response(listed).getJsonObject("result").getJsonArray("tools").getValuesAs(JsonObject.class).stream()
                .map(t -> t.getString("name")).toList();
    }

    private synchronized void deployTools() {
        if (toolsDeployed) {
            return;
        }
        HttpResponse<String> response = engineA.deploy("it-cluster-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        toolsDeployed = true;
    }

    private synchronized void deployRunModelAndRegisterEverything() throws IOException {
        if (!runModelDeployed) {
            HttpResponse<String> deployed = engineA.deploy("it-cluster-mcp-client", "mcp-client-it.bpmn", Fixtures.text(McpClientIT.RUN_MODEL));
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            runModelDeployed = true;
        }
        if (everything == null) {
            everything = NodeMcpServer.everything();
            // A name of its own: McpClientIT's entry "everything" points at a server that has stopped by now.
            HttpResponse<String> registered = operator.putJson(NODE_A.base() + "/statehouse/api/mcp-servers/" + EVERYTHING,
                    "{\"url\": \"" + everything.url() + "\"}");
            assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
        }
    }

    private static synchronized HaproxyBalancer balancer() throws IOException, InterruptedException {
        if (balancer == null) {
            balancer = HaproxyBalancer.start(ClusterNodes.CLUSTER_DIR, NODE_A, NODE_B);
        }
        return balancer;
    }

    /** Asks {@code condition} every {@code interval} until it holds or {@code limit} has passed; whether it held. */
    private static boolean poll(Duration limit, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static ListenStream.Event nextQuietly(ListenStream listen) {
        try {
            return listen.next(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Map<String, Duration> seen) {
        return seen.isEmpty() ? "nothing" : seen.entrySet().stream().map(e -> e.getKey() + " " + seconds(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String seconds(Duration duration) {
        return duration == null ? "never" : "%.3f s".formatted(duration.toNanos() / 1e9);
    }
}
