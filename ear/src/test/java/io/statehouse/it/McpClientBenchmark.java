package io.statehouse.it;

import static io.statehouse.it.Http.API;
import static io.statehouse.it.Http.object;
import static io.statehouse.it.Latencies.percentile;
import static io.statehouse.it.Latencies.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * The MCP client benchmark (not a test: it prints numbers and asserts only that the runs worked).
 * One server, one run: the benchmark's own MCP server on the TypeScript SDK ({@code bench-server.mjs}),
 * called by the MCP Java SDK directly (the baseline) and by agent runs on Statehouse. Run it with
 * {@code mvn -pl ear verify -Pbenchmark}.
 */
@ExtendWith(ArquillianExtension.class)
class McpClientBenchmark {

    static final int WARMUP = 30;
    static final int RAW_CALLS = 300;
    static final int SESSION_CALLS = 100;
    static final int RUNS = 100;
    static final int QUESTIONS = 30;

    private final Http demo = Http.as("demo", "demo");
    private final Http operator = Http.as("operator", "operator-secret-for-tests");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void mcpToolCallsRawAndAsAgentRuns() throws Exception {
        try (NodeMcpServer bench = NodeMcpServer.bench()) {
            assertThat(operator.putJson(API + "/mcp-servers/bench", "{\"url\": \"" + bench.url() + "\"}").statusCode()).isIn(200, 201);
            assertThat(engine.deploy("benchmark", "benchmark.bpmn", Fixtures.text(McpClientIT.RUN_MODEL)).statusCode()).isEqualTo(200);

            List<Double> raw = rawCalls(bench.url(), RAW_CALLS);
            List<Double> sessions = sessionPerCall(bench.url(), SESSION_CALLS);
            List<Double> runsWall = new ArrayList<>();
            List<Double> runsEngine = new ArrayList<>();
            agentRuns(RUNS, runsWall, runsEngine);
            List<Double> toTask = new ArrayList<>();
            List<Double> toServer = new ArrayList<>();
            questions(QUESTIONS, toTask, toServer);

            StringBuilder out = new StringBuilder("\n=== MCP client benchmark (" + Runtime.getRuntime().availableProcessors()
                    + " cores, H2, one WildFly, one Node MCP server on loopback) ===\n");
            out.append(row("raw SDK tools/call, one open session (baseline)", raw));
            out.append(row("raw SDK initialize + tools/call + close", sessions));
            out.append(row("agent run with one MCP tool call, start to end (client)", runsWall));
            out.append(row("agent run with one MCP tool call, engine start to end (history)", runsEngine));
            out.append(String.format(Locale.ROOT, "ratio agent run (client) / raw tools/call: median %.1fx, p95 %.1fx%n",
                    percentile(runsWall, 50) / percentile(raw, 50), percentile(runsWall, 95) / percentile(raw, 95)));
            out.append(String.format(Locale.ROOT, "ratio agent run (client) / raw session per call: median %.1fx, p95 %.1fx%n",
                    percentile(runsWall, 50) / percentile(sessions, 50), percentile(runsWall, 95) / percentile(sessions, 95)));
            out.append(row("elicitation/create sent -> task visible in the task API", toTask));
            out.append(row("task completed (REST call starts) -> server has the answer", toServer));
            System.out.println(out);
        }
    }

    private List<Double> rawCalls(String url, int count) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            McpSchema.CallToolRequest noop = new McpSchema.CallToolRequest("noop", Map.of());
            for (int i = 0; i < WARMUP; i++) {
                client.callTool(noop);
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                McpSchema.CallToolResult result = client.callTool(noop);
                millis.add((System.nanoTime() - start) / 1e6);
                assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            }
            return millis;
        } finally {
            client.closeGracefully();
        }
    }

    private List<Double> sessionPerCall(String url, int count) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < WARMUP + count; i++) {
            long start = System.nanoTime();
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).build())
                    .requestTimeout(Duration.ofSeconds(30)).build();
            client.initialize();
            client.callTool(new McpSchema.CallToolRequest("noop", Map.of()));
            client.closeGracefully();
            if (i >= WARMUP) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        return millis;
    }

    private void agentRuns(int count, List<Double> wall, List<Double> inEngine) {
        for (int i = 0; i < WARMUP + count; i++) {
            long start = System.nanoTime();
            String run = startRun("noop");
            while (true) {
                JsonObject history = engine.historicRun(run);
                if ("COMPLETED".equals(history.getString("state"))) {
                    if (i >= WARMUP) {
                        wall.add((System.nanoTime() - start) / 1e6);
                        inEngine.add(history.getJsonNumber("durationInMillis").doubleValue());
                    }
                    break;
                }
                pause();
            }
        }
    }

    private void questions(int count, List<Double> toTask, List<Double> toServer) {
        for (int i = 0; i < 5 + count; i++) {
            String run = startRun("ask");
            JsonObject task;
            while (true) {
                JsonArray tasks = engine.tasksByQuery("taskDefinitionKey=" + McpToolCall.TASK_ANSWER_ELICITATION);
                if (!tasks.isEmpty()) {
                    task = tasks.getJsonObject(0);
                    break;
                }
                pause();
            }
            double visibleAt = epochMillis();
            double completedAt = epochMillis();
            HttpResponse<String> completed = engine.complete(task.getString("id"),
                    Json.createObjectBuilder().add("variables", Json.createObjectBuilder()
                            .add(McpToolCall.VAR_ACTION, Json.createObjectBuilder().add("value", "accept"))
                            .add(McpToolCall.VAR_CONTENT, Json.createObjectBuilder().add("value", "{\"ok\": true}"))).build().toString());
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
            engine.awaitEnded(run, "benchmark run " + run + " to end", Duration.ofSeconds(30));
            JsonObject times = Http.object(engine.historicVariables(run, "toolResult").getJsonObject(0).getString("value"));
            assertThat(times.getString("action")).isEqualTo("accept");
            if (i >= 5) {
                toTask.add(visibleAt - times.getJsonNumber("sentAt").doubleValue());
                toServer.add(times.getJsonNumber("answeredAt").doubleValue() - completedAt);
            }
        }
    }

    private String startRun(String tool) {
        HttpResponse<String> started = engine.start(McpClientIT.RUN_PROCESS, McpClientIT.runVariables("bench", tool, "{}"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return object(started).getString("id");
    }

    private static double epochMillis() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
