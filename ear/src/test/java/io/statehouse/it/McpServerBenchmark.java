package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Latencies.percentile;
import static io.statehouse.it.Latencies.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The MCP server benchmark (prints numbers; asserts only that the calls worked), on one server in
 * one run: the round trip of a trivial process-backed tool against a plain Java tool on the SDK's own
 * servlet server (the demo MCP server in the same WAR), and the server's threads and memory while
 * many calls wait for people. Run with {@code mvn -pl ear verify -Pbenchmark}.
 */
@ExtendWith(ArquillianExtension.class)
class McpServerBenchmark {

    static final int WARMUP = 30;
    static final int CALLS = 200;
    static final int[] WAITING = {10, 50, 100, 200, 400, 600, 800, 1000};

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void roundTripsAndCallsWaitingForPeople() throws Exception {
        assertThat(engine.deploy("benchmark-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS)).statusCode()).isEqualTo(200);
        McpSyncClient statehouse = client("/statehouse/mcp");
        Http.await("tool greet", Duration.ofSeconds(30), () -> statehouse.listTools().tools().stream().anyMatch(t -> t.name().equals("greet")));
        McpSyncClient sdkServer = client("/statehouse/demo-mcp");

        List<Double> plain = calls(sdkServer, new McpSchema.CallToolRequest("generate_report", Map.of("steps", 1, "stepMillis", 0)));
        List<Double> process = calls(statehouse, new McpSchema.CallToolRequest("greet", Map.of("name", "Bench", "times", 1)));

        long pid = serverPid();
        StringBuilder out = new StringBuilder("\n=== MCP server benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, H2) ===\n");
        out.append(row("tools/call, plain Java tool on the SDK's servlet server (baseline)", plain));
        out.append(row("tools/call, process-backed tool (start form, service task, end)", process));
        out.append(String.format(Locale.ROOT, "ratio process-backed / plain: median %.1fx, p95 %.1fx%n",
                percentile(process, 50) / percentile(plain, 50), percentile(process, 95) / percentile(plain, 95)));
        out.append("calls waiting for people -> server threads, memory, and whether the engine REST API still answers within 5 s:\n");
        out.append("     0 waiting: ").append(processStats(pid)).append('\n');
        McpAsyncClient waiter = McpClient.async(transport("/statehouse/mcp")).requestTimeout(Duration.ofMinutes(10)).build();
        waiter.initialize().block(Duration.ofSeconds(30));
        List<CompletableFuture<McpSchema.CallToolResult>> waiting = new ArrayList<>();
        for (int step : WAITING) {
            while (waiting.size() < step) {
                waiting.add(waiter.callTool(new McpSchema.CallToolRequest("approve", Map.of("request", "bench " + waiting.size()))).toFuture());
            }
            int target = step;
            Http.await(step + " runs waiting", Duration.ofMinutes(5), () -> engine.openTaskCountOfProcess("ApproveToolProcess") >= target);
            boolean answers = restAnswers();
            out.append(String.format(Locale.ROOT, "%6d waiting (%d open tasks): ", step, engine.openTaskCountOfProcess("ApproveToolProcess"))).append(processStats(pid))
                    .append(answers ? ", REST answers" : ", REST does NOT answer: the container's threads are held by the waiting calls").append('\n');
            if (!answers) {
                break;
            }
        }
        // Then people answer them all through the REST API; each answer must reach its still-open call.
        long draining = System.nanoTime();
        var tasks = engine.tasksByQuery("processDefinitionKey=ApproveToolProcess&maxResults=5000");
        for (var task : tasks.getValuesAs(JsonObject.class)) {
            engine.complete(task.getString("id"), EngineRest.variables("decision", "ok"));
        }
        int answered = 0;
        for (CompletableFuture<McpSchema.CallToolResult> call : waiting) {
            McpSchema.CallToolResult result = call.get(5, TimeUnit.MINUTES);
            if (result.structuredContent() instanceof Map<?, ?> content && "ok".equals(content.get("decision"))) {
                answered++;
            }
        }
        out.append(String.format(Locale.ROOT, "%d tasks completed over REST, %d of %d calls answered with the decision, in %.1f s%n",
                tasks.size(), answered, waiting.size(), (System.nanoTime() - draining) / 1e9));
        System.out.println(out);

        waiter.close();
        statehouse.closeGracefully();
        sdkServer.closeGracefully();
    }

    /**
     * Calls waiting for their caller in each era, on one server in one run. On 2025-11-25 each call
     * holds its response stream while the caller's elicitation handler has the question (here it
     * never answers); on 2026-07-28 the first request answers with a round of questions and the
     * connection closes. Printed: the server's threads and memory at each step, the first request's
     * and the answering retry's round trips on 2026-07-28.
     */
    @Test
    void callsWaitingForTheirCallerInEachEra() throws Exception {
        assertThat(engine.deploy("benchmark-era-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS)).statusCode()).isEqualTo(200);
        McpSyncClient lister = client("/statehouse/mcp");
        Http.await("tool approve_by_caller", Duration.ofSeconds(30),
                () -> lister.listTools().tools().stream().anyMatch(t -> t.name().equals("approve_by_caller")));
        lister.closeGracefully();
        long pid = serverPid();
        int[] steps = {100, 500, 1000};
        StringBuilder out = new StringBuilder("\n=== Calls waiting for their caller, per protocol era (" + Runtime.getRuntime().availableProcessors()
                + " cores, H2) ===\n");
        out.append("     0 waiting: ").append(processStats(pid)).append('\n');

        // 2026-07-28: each call's first request comes back with its round; nothing stays open.
        List<String> states = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        for (int step : steps) {
            while (states.size() < step) {
                long start = System.nanoTime();
                String body = demo.postJson(BASE + McpServerIT.ENDPOINT, rounds("{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"bench "
                        + states.size() + "\"}}"), ROUND_HEADERS).body();
                first.add((System.nanoTime() - start) / 1e6);
                String state = Http.object(body.lines().filter(l -> l.startsWith("data: ")).reduce((a, b) -> b).orElseThrow().substring(6))
                        .getJsonObject("result").getString("requestState");
                states.add(state);
            }
            out.append(String.format(Locale.ROOT, "2026-07-28 %5d waiting in rounds (%d open tasks): ", step, engine.openTaskCountOfProcess("ApproveByCallerToolProcess")))
                    .append(processStats(pid)).append(restAnswers() ? ", REST answers" : ", REST does NOT answer").append('\n');
        }
        out.append(row("2026-07-28 first request, until the round of questions", first));
        List<Double> retries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long start = System.nanoTime();
            String body = demo.postJson(BASE + McpServerIT.ENDPOINT, rounds("{\"name\":\"approve_by_caller\",\"arguments\":{\"request\":\"bench " + i
                    + "\"},\"inputResponses\":{\"Task_Decide\":{\"action\":\"accept\",\"content\":{\"decision\":\"ok\"}}},\"requestState\":"
                    + Json.createValue(states.get(i)) + "}"), ROUND_HEADERS).body();
            retries.add((System.nanoTime() - start) / 1e6);
            assertThat(body).contains("\"resultType\":\"complete\"");
        }
        out.append(row("2026-07-28 retry with the answer, until the result", retries));

        // 2025-11-25: each call keeps its stream open while the caller's handler holds the question.
        McpAsyncClient caller = McpClient.async(transport("/statehouse/mcp")).requestTimeout(Duration.ofMinutes(10))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> Mono.never())
                .build();
        caller.initialize().block(Duration.ofSeconds(30));
        int before = engine.openTaskCountOfProcess("ApproveByCallerToolProcess");
        List<CompletableFuture<McpSchema.CallToolResult>> held = new ArrayList<>();
        for (int step : steps) {
            while (held.size() < step) {
                held.add(caller.callTool(new McpSchema.CallToolRequest("approve_by_caller", Map.of("request", "held " + held.size()))).toFuture());
            }
            int target = before + step;
            Http.await(step + " calls held", Duration.ofMinutes(5), () -> engine.openTaskCountOfProcess("ApproveByCallerToolProcess") >= target);
            out.append(String.format(Locale.ROOT, "2025-11-25 %5d waiting on open streams (%d open tasks): ", step, engine.openTaskCountOfProcess("ApproveByCallerToolProcess")))
                    .append(processStats(pid)).append(restAnswers() ? ", REST answers" : ", REST does NOT answer").append('\n');
        }
        System.out.println(out);
        caller.close();
    }

    /**
     * The tasks extension: a run that waits for a person in the Tasklist is a task its caller polls. Printed:
     * the round trip of {@code tasks/get} on such a task (a database lookup by the task's id, its owner, its
     * open questions) against {@code tools/list} (in memory) in the same run, and of the {@code tools/call}
     * that creates the task (the run's start, then 0.3 s of waiting to see whether it ends or asks at once).
     */
    @Test
    void tasksOfRunsWaitingForAPerson() {
        assertThat(engine.deploy("benchmark-task-tools", "tools.bpmn", Fixtures.text(McpServerIT.TOOLS)).statusCode()).isEqualTo(200);
        String tasks = "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}";
        Http.await("tool approve in the 2026-07-28 tools/list", Duration.ofSeconds(30),
                () -> StatelessMcp.post(demo, BASE + McpServerIT.ENDPOINT, "tools/list", "{}", "{}").body().contains("\"approve\""));
        List<Double> created = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            JsonObject result = StatelessMcp.response(StatelessMcp.post(demo, BASE + McpServerIT.ENDPOINT, "tools/call",
                    "{\"name\":\"approve\",\"arguments\":{\"request\":\"benchmark task " + i + "\"}}", tasks)).getJsonObject("result");
            created.add((System.nanoTime() - start) / 1e6);
            assertThat(result.getString("resultType")).as(result.toString()).isEqualTo("task");
            ids.add(result.getString("taskId"));
        }
        List<Double> listed = new ArrayList<>();
        List<Double> polled = new ArrayList<>();
        for (int i = 0; i < 20 + 300; i++) {
            long start = System.nanoTime();
            StatelessMcp.post(demo, BASE + McpServerIT.ENDPOINT, "tools/list", "{}", "{}");
            double list = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            JsonObject task = StatelessMcp.response(StatelessMcp.post(demo, BASE + McpServerIT.ENDPOINT, "tasks/get",
                    "{\"taskId\":\"" + ids.get(i % ids.size()) + "\"}", tasks)).getJsonObject("result");
            double get = (System.nanoTime() - start) / 1e6;
            assertThat(task.getString("status")).isEqualTo("working");
            if (i >= 20) {
                listed.add(list);
                polled.add(get);
            }
        }
        StringBuilder out = new StringBuilder("\n=== MCP tasks (2026-07-28 tasks extension, " + Runtime.getRuntime().availableProcessors() + " cores, H2) ===\n");
        out.append(row("tools/list (baseline, in memory)", listed));
        out.append(row("tasks/get of a run waiting for a person (of 50 such tasks)", polled));
        out.append(String.format(Locale.ROOT, "ratio tasks/get / tools/list: median %.1fx, p95 %.1fx%n",
                percentile(polled, 50) / percentile(listed, 50), percentile(polled, 95) / percentile(listed, 95)));
        out.append(row("tools/call that creates the task (start, then the wait to see it works on)", created));
        System.out.println(out);
    }

    private static final String[] ROUND_HEADERS = {"Accept", "application/json, text/event-stream", "MCP-Protocol-Version", "2026-07-28",
        "Mcp-Method", "tools/call", "Mcp-Name", "approve_by_caller"};

    /** A 2026-07-28 tools/call with the envelope, from its params (without {@code _meta}). */
    private static String rounds(String params) {
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}}";
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + params.substring(0, params.length() - 1) + "," + meta + "}}";
    }

    private static boolean restAnswers() {
        try {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ENGINE_REST + "/engine"))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<Double> calls(McpSyncClient client, McpSchema.CallToolRequest request) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < WARMUP + CALLS; i++) {
            long start = System.nanoTime();
            McpSchema.CallToolResult result = client.callTool(request);
            if (i >= WARMUP) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
            assertThat(result.isError()).as(String.valueOf(result.content())).isNotEqualTo(Boolean.TRUE);
        }
        return millis;
    }

    private static McpSyncClient client(String endpoint) {
        McpSyncClient client = McpClient.sync(transport(endpoint)).requestTimeout(Duration.ofMinutes(1)).build();
        client.initialize();
        return client;
    }

    private static HttpClientStreamableHttpTransport transport(String endpoint) {
        String basic = "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8));
        return HttpClientStreamableHttpTransport.builder(BASE).endpoint(endpoint)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", basic)).build();
    }

    /** The WildFly process: the java process running jboss-modules with the Statehouse configuration. */
    private static long serverPid() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jboss-modules") && c.contains("statehouse.xml")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("No WildFly process found")).pid();
    }

    /** Threads and resident memory from /proc, heap in use from jcmd. */
    private static String processStats(long pid) throws IOException, InterruptedException {
        String threads = "?";
        String rss = "?";
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                threads = line.substring(8).trim();
            } else if (line.startsWith("VmRSS:")) {
                rss = line.substring(6).trim();
            }
        }
        String heap = "?";
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.exists(jcmd)) {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            heap = info.lines().filter(l -> l.contains("used")).findFirst().map(String::trim).orElse(info.trim());
        }
        return "threads " + threads + ", RSS " + rss + ", heap: " + heap;
    }
}
