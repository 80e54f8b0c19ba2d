package io.statehouse.it;

import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.AskPerson;
import io.statehouse.bpmn.ProcessModels.ExpenseAgent;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * A run that waits for a person survives a full stop and start of the server on the embedded H2
 * database: the same task is there afterwards, and answering it finishes the run. An MCP tool call
 * that was in flight lost its session with the server: the restarted server ends it as a lost
 * session, its question closed with the reason.
 */
@ExtendWith(ArquillianExtension.class)
class RestartIT {

    static final String SERVER = "wildfly-manual";
    static final String EAR = "statehouse";

    @ArquillianResource
    ContainerController server;

    @ArquillianResource
    Deployer deployer;

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(name = EAR, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void waitingRunAndItsTaskSurviveAServerRestart() {
        server.start(SERVER);
        deployer.deploy(EAR);
        String run = object(engine.start(AskPerson.PROCESS_KEY, EngineRest.variables(AskPerson.VAR_QUESTION, "Still there after a restart?")))
                .getString("id");
        String task = engine.tasks(run).getJsonObject(0).getString("id");
        String agent = object(engine.start(ExpenseAgent.PROCESS_KEY, EngineRest.variables(ExpenseAgent.VAR_NOTE, "Lunch with the auditors")))
                .getString("id");
        String call = awaitOne("the agent's MCP tool call", () -> engine.calls(agent));
        String question = awaitOne("the MCP server's question", () -> engine.tasks(call, McpToolCall.TASK_ANSWER_ELICITATION));

        // The EAR stays deployed in the server's configuration: the second start deploys it again by itself.
        server.stop(SERVER);
        server.start(SERVER);
        try {
            Http.await("the engine to be ready after the restart", Duration.ofSeconds(60),
                    () -> Http.anonymous().get("http://127.0.0.1:9990/health/ready").statusCode() == 200);
            JsonArray tasks = engine.tasks(run);
            assertThat(tasks).hasSize(1);
            assertThat(tasks.getJsonObject(0).getString("id")).isEqualTo(task);
            HttpResponse<String> completed = engine.complete(task, EngineRest.variables(AskPerson.VAR_ANSWER, "Yes."));
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
            engine.awaitEnded(run);

            // The MCP session of the agent's call died with the server: found when its lock runs out, never a silent hang.
            String incident = awaitOne("the lost session to end the call", () -> engine.incidents(call));
            JsonObject failed = engine.incident(incident);
            assertThat(failed.getString("incidentMessage")).contains("Statehouse stopped while this MCP call was in flight")
                    .contains(McpToolCall.ERROR_SESSION_LOST);
            assertThat(engine.tasks(call)).as("the question is closed").isEmpty();
            assertThat(engine.historicTaskVariables(question, McpToolCall.VAR_CLOSED_REASON).toString()).contains("Statehouse stopped");
        } finally {
            deployer.undeploy(EAR);
            server.stop(SERVER);
        }
    }

    /**
     * A call to a server on MCP 2026-07-28 holds no connection while its round of questions is open,
     * and the round (its state, its questions, the answers so far) is in the call's process: after a
     * restart the call goes on. One answer is given before the restart, one after it, before the
     * restarted node has taken the call up again, and the last once it has.
     */
    @Test
    void aCallInRoundsGoesOnAfterARestart() throws Exception {
        server.start(SERVER);
        deployer.deploy(EAR);
        try (NodeMcpServer rounds = NodeMcpServer.rounds()) {
            Http operator = Http.as("operator", "operator-secret-for-tests");
            assertThat(operator.putJson(Http.BASE + "/statehouse/api/mcp-servers/rounds", "{\"url\": \"" + rounds.url() + "\"}").statusCode()).isIn(200, 201);
            assertThat(engine.deploy("it-restart-rounds", "mcp-client-it.bpmn", Fixtures.text(McpClientIT.RUN_MODEL)).statusCode()).isEqualTo(200);
            String run = object(engine.start(McpClientIT.RUN_PROCESS,
                    "{\"variables\":{\"server\":{\"value\":\"rounds\"},\"tool\":{\"value\":\"plan_trip\"},"
                            + "\"arguments\":{\"value\":\"{\\\"destination\\\": \\\"Lombok\\\"}\"},\"review\":{\"value\":\"none\"},"
                            + "\"provider\":{\"value\":\"human\"}}}")).getString("id");
            String call = awaitOne("the call", () -> engine.calls(run));
            String traveller = awaitOne("round 1's question", () -> engine.tasks(call, McpToolCall.TASK_ANSWER_ELICITATION));
            String pitch = awaitOne("round 1's sampling", () -> engine.tasks(call, McpToolCall.TASK_WRITE_MODEL_REPLY));
            assertThat(engine.complete(traveller, "{\"variables\":{\"" + McpToolCall.VAR_ACTION
                    + "\":{\"value\":\"accept\"},\"" + McpToolCall.VAR_CONTENT + "\":{\"value\":\"{\\\"name\\\": \\\"Rina\\\"}\"}}}")
                    .statusCode()).isEqualTo(204);
            String before = engine.variableJson(call, McpToolCall.VAR_CALL_IN_FLIGHT);

            server.stop(SERVER);
            server.start(SERVER);
            Http.await("the engine to be ready after the restart", Duration.ofSeconds(60),
                    () -> Http.anonymous().get("http://127.0.0.1:9990/health/ready").statusCode() == 200);
            assertThat(engine.complete(pitch, "{\"variables\":{\"" + McpToolCall.VAR_ACTION
                    + "\":{\"value\":\"accept\"},\"" + McpToolCall.VAR_REPLY + "\":{\"value\":\"Quiet beaches.\"}}}").statusCode())
                    .as("answered right after the restart: kept on the call, or heard by the call once taken up again").isEqualTo(204);
            String budget = awaitOne("round 2's question, after the call went on", () -> engine.tasks(call, McpToolCall.TASK_ANSWER_ELICITATION));
            assertThat(engine.variableJson(call, McpToolCall.VAR_CALL_IN_FLIGHT)).isNotEqualTo(before);
            assertThat(engine.complete(budget, "{\"variables\":{\"" + McpToolCall.VAR_ACTION
                    + "\":{\"value\":\"accept\"},\"" + McpToolCall.VAR_CONTENT + "\":{\"value\":\"{\\\"euros\\\": 1200}\"}}}")
                    .statusCode()).isEqualTo(204);
            engine.awaitEnded(run);
            String result = engine.historicVariables(run, "toolResult").getJsonObject(0).getString("value");
            assertThat(result).contains("\"traveller\":\"Rina\"").contains("Quiet beaches.").contains("\"euros\":1200");
            assertThat(rounds.calls()).contains("{\"round\":1,\"keys\":[\"traveller\",\"pitch\"]}").contains("{\"round\":2,\"keys\":[\"budget\"]}");
        } finally {
            deployer.undeploy(EAR);
            server.stop(SERVER);
        }
    }

    /**
     * A call that its server made a task (the tasks extension) holds no connection either: Statehouse
     * stops while the remote task works, and after the restart the call follows the same task (one
     * {@code tools/call} in all) to its result.
     */
    @Test
    void aCallThatFollowsARemoteTaskGoesOnAfterARestart() throws Exception {
        server.start(SERVER);
        deployer.deploy(EAR);
        try (NodeMcpServer tasks = NodeMcpServer.tasks()) {
            Http operator = Http.as("operator", "operator-secret-for-tests");
            assertThat(operator.putJson(Http.BASE + "/statehouse/api/mcp-servers/tasks", "{\"url\": \"" + tasks.url() + "\"}").statusCode()).isIn(200, 201);
            assertThat(engine.deploy("it-restart-tasks", "mcp-client-it.bpmn", Fixtures.text(McpClientIT.RUN_MODEL)).statusCode()).isEqualTo(200);
            String run = engine.startRun(McpClientIT.RUN_PROCESS, McpClientIT.runVariables("tasks", "slow_report", "{\"seconds\": 40}"));
            String call = awaitOne("the call", () -> engine.calls(run));
            Http.await("the call to follow its remote task", Duration.ofSeconds(30),
                    () -> !engine.variableInstances(call, McpToolCall.VAR_REMOTE_TASK).isEmpty());

            server.stop(SERVER);
            server.start(SERVER);
            Http.await("the engine to be ready after the restart", Duration.ofSeconds(60),
                    () -> Http.anonymous().get("http://127.0.0.1:9990/health/ready").statusCode() == 200);
            engine.awaitEnded(run, "the run to end once its remote task is done", Duration.ofSeconds(120));
            assertThat(engine.historicText(run, "toolResult")).contains("Report ready");
            String seen = tasks.calls();
            assertThat(seen.split("\"method\":\"tools/call\"", -1)).as("tools/call requests the server got: %s", seen).hasSize(2);
        } finally {
            deployer.undeploy(EAR);
            server.stop(SERVER);
        }
    }

    /**
     * A caller on MCP 2026-07-28 that waits on an open stream while a person works: a stream that the
     * server's own stop closes was not closed by its caller, so the run is not cancelled. After the
     * restart the run still waits with its task, and answering it completes the run.
     */
    @Test
    void aStreamThatTheServersStopClosesCancelsNothing() throws Exception {
        server.start(SERVER);
        deployer.deploy(EAR);
        try {
            assertThat(engine.deploy("it-restart-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS)).statusCode()).isEqualTo(200);
            String url = Http.BASE + McpServerIT.ENDPOINT;
            Http.await("tool approve to be listed", Duration.ofSeconds(30),
                    () -> StatelessMcp.post(demo, url, "tools/list", "{}", "{}").body().contains("\"approve\""));
            String request = "outlives-a-restart-" + System.nanoTime();
            CompletableFuture<HttpResponse<String>> caller = CompletableFuture.supplyAsync(() -> StatelessMcp.post(demo, url, "tools/call",
                    "{\"name\":\"approve\",\"arguments\":{\"request\":\"" + request + "\"}}", "{}"));
            String task = engine.awaitOpenTask("ApproveToolProcess", "request", request);
            String run = engine.runOfTask(task);

            server.stop(SERVER);
            String ended = caller.handle((response, failure) -> failure != null ? "broken: " + failure : response.body()).get(30, TimeUnit.SECONDS);
            assertThat(ended).as("what the caller's stream carried when the server stopped").doesNotContain("\"decision\"");
            server.start(SERVER);
            Http.await("the engine to be ready after the restart", Duration.ofSeconds(60),
                    () -> Http.anonymous().get("http://127.0.0.1:9990/health/ready").statusCode() == 200);
            assertThat(engine.historicRun(run).getString("state")).as("the run after the restart").isEqualTo("ACTIVE");
            assertThat(engine.tasks(run)).as("its task").hasSize(1);
            assertThat(engine.submitForm(task, EngineRest.variables("decision", "after the restart")).statusCode()).isEqualTo(204);
            engine.awaitEnded(run);
            assertThat(engine.historicRun(run).getString("state")).isEqualTo("COMPLETED");
        } finally {
            deployer.undeploy(EAR);
            server.stop(SERVER);
        }
    }

    private static String awaitOne(String what, Supplier<JsonArray> query) {
        return EngineRest.awaitFirstId(what, Duration.ofSeconds(90), query);
    }
}
