package io.statehouse.mcp.client.protocol.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.statehouse.progress.Progress;

/** The 2026-07-28 client's requests and how it reads answers, against a small HTTP server of the test's own. */
class RoundTripClientTest {

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final List<Map<String, Object>> bodies = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI endpoint;
    private volatile String answer;
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    /** What the server answers to {@code tools/list}, which is not recorded in {@link #bodies}. */
    private volatile String toolList = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"tools\":[],\"ttlMs\":60000}}";
    private final List<Map<String, List<String>>> listed = new CopyOnWriteArrayList<>();
    /** Answers to {@code tools/call} requests still to come, before {@link #answer}. */
    private final java.util.Deque<String> nextAnswers = new java.util.concurrent.ConcurrentLinkedDeque<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", this::handle);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, Object> body = json.readValue(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                new TypeRef<Map<String, Object>>() { });
        if ("tools/list".equals(body.get("method"))) {
            listed.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] out = toolList.replace("$ID", String.valueOf(body.get("id"))).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
            return;
        }
        bodies.add(body);
        headers.add(Map.copyOf(exchange.getRequestHeaders()));
        String next = nextAnswers.poll();
        byte[] out = (next != null ? next : answer).replace("$ID", String.valueOf(body.get("id"))).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(next != null ? 400 : status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private RoundTripClient client() {
        return new RoundTripClient(HttpClient.newHttpClient(), json, Map.of("name", "statehouse", "version", "0.1.0"),
                Map.of("elicitation", Map.of()), Clock.systemUTC());
    }

    @Test
    void aServerThatDiscoversAs2026SpeaksItAndTheVerdictIsKept() throws Exception {
        answer = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"resultType\":\"complete\",\"supportedVersions\":[\"2026-07-28\"],"
                + "\"capabilities\":{},\"ttlMs\":0,\"cacheScope\":\"public\"}}";
        RoundTripClient client = client();

        assertThat(client.speaksModern(endpoint, "Bearer t").toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.speaksModern(endpoint, "Bearer t").toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).containsEntry("method", "server/discover");
        assertThat(headers.get(0).get("Authorization")).containsExactly("Bearer t");
    }

    @Test
    void aServerThatAnswersDiscoverWithAnHttpErrorIsStateful() throws Exception {
        status = 400;
        answer = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Bad Request: missing session\"}}";

        assertThat(client().speaksModern(endpoint, null).toCompletableFuture().get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aRetryEchoesTheStateByteForByteWithTheAnswersBesideTheArgumentsAndANewId() throws Exception {
        contentType = "text/event-stream";
        answer = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p-1\",\"progress\":1,\"total\":2,\"message\":\"half\"}}\n\n"
                + "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"resultType\":\"complete\",\"content\":[]}}\n\n";
        List<Progress> progress = new CopyOnWriteArrayList<>();
        String state = "{\"nonce\":\"a b\",\"originalId\":7}";
        RoundTripClient client = client();

        client.callTool(endpoint, null, "plan_trip", Map.of("destination", "Bali"), null, null, "p-1", Duration.ofSeconds(5), progress::add)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        Map<String, Object> result = client.callTool(endpoint, null, "plan_trip", Map.of("destination", "Bali"),
                Map.of("traveller", Map.of("action", "accept", "content", Map.of("name", "Ayu"))), state, "p-1", Duration.ofSeconds(5), progress::add)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.get("result")).isEqualTo(Map.of("resultType", "complete", "content", List.of()));
        assertThat(progress).containsExactly(new Progress(1, 2.0, "half"), new Progress(1, 2.0, "half"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) bodies.get(0).get("params");
        @SuppressWarnings("unchecked")
        Map<String, Object> retry = (Map<String, Object>) bodies.get(1).get("params");
        assertThat(first).doesNotContainKeys("requestState", "inputResponses");
        assertThat(retry.get("requestState")).isEqualTo(state);
        assertThat(retry.get("inputResponses")).isEqualTo(Map.of("traveller", Map.of("action", "accept", "content", Map.of("name", "Ayu"))));
        assertThat(retry.get("arguments")).isEqualTo(Map.of("destination", "Bali"));
        assertThat(bodies.get(1).get("id")).isNotEqualTo(bodies.get(0).get("id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) retry.get("_meta");
        assertThat(meta).containsEntry("io.modelcontextprotocol/protocolVersion", "2026-07-28").containsEntry("progressToken", "p-1")
                .containsKey("io.modelcontextprotocol/clientCapabilities");
        assertThat(headers.get(1).get("Mcp-protocol-version")).containsExactly("2026-07-28");
        assertThat(headers.get(1).get("Mcp-method")).containsExactly("tools/call");
        assertThat(headers.get(1).get("Mcp-name")).containsExactly("plan_trip");
    }

    @Test
    void theArgumentsATheToolMarksGoIntoHeadersAndItsListIsKeptForItsTtl() throws Exception {
        toolList = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"ttlMs\":60000,\"tools\":[{\"name\":\"deploy\",\"inputSchema\":"
                + "{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
                + "\"replicas\":{\"type\":\"integer\",\"x-mcp-header\":\"Replicas\"},\"note\":{\"type\":\"string\"}}}}]}}";
        answer = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"resultType\":\"complete\",\"content\":[]}}";
        RoundTripClient client = client();

        for (int i = 0; i < 2; i++) {
            client.callTool(endpoint, null, "deploy", Map.of("region", "Jakarta Selatan", "replicas", 3, "note", "n"), null, null, null,
                    Duration.ofSeconds(5), p -> { }).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        assertThat(listed).as("one tools/list for both calls, within its ttlMs").hasSize(1);
        assertThat(listed.get(0).get("Mcp-method")).containsExactly("tools/list");
        assertThat(headers.get(0).get("Mcp-param-region")).containsExactly("Jakarta Selatan");
        assertThat(headers.get(0).get("Mcp-param-replicas")).containsExactly("3");
        assertThat(headers.get(0)).doesNotContainKey("Mcp-param-note");
    }

    @Test
    void aToolWithAnInvalidHeaderAnnotationIsNotCalled() {
        toolList = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"ttlMs\":0,\"tools\":[{\"name\":\"score\",\"inputSchema\":"
                + "{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"number\",\"x-mcp-header\":\"Score\"}}}}]}}";
        answer = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"resultType\":\"complete\",\"content\":[]}}";

        assertThatThrownBy(() -> client().callTool(endpoint, null, "score", Map.of("value", 1.5), null, null, null, Duration.ofSeconds(5), p -> { })
                .toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasMessageContaining("invalid x-mcp-header").hasMessageContaining("only string, integer and boolean");
        assertThat(bodies).as("no tools/call was sent").isEmpty();
    }

    @Test
    void aHeaderMismatchReadsTheListAgainAndSendsTheCallOnceMore() throws Exception {
        toolList = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"ttlMs\":60000,\"tools\":[{\"name\":\"deploy\",\"inputSchema\":{}}]}}";
        answer = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"resultType\":\"complete\",\"content\":[]}}";
        RoundTripClient client = client();
        client.callTool(endpoint, null, "deploy", Map.of("region", "eu"), null, null, null, Duration.ofSeconds(5), p -> { })
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        // The tool now mirrors its region; the server says so with -32020.
        toolList = "{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"result\":{\"ttlMs\":60000,\"tools\":[{\"name\":\"deploy\",\"inputSchema\":"
                + "{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"}}}}]}}";
        nextAnswers.add("{\"jsonrpc\":\"2.0\",\"id\":\"$ID\",\"error\":{\"code\":-32020,\"message\":\"Header mismatch: Mcp-Param-Region missing\"}}");

        Map<String, Object> result = client.callTool(endpoint, null, "deploy", Map.of("region", "eu"), null, null, null, Duration.ofSeconds(5), p -> { })
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result).containsKey("result");
        assertThat(listed).hasSize(2);
        assertThat(headers).hasSize(3);
        assertThat(headers.get(1)).doesNotContainKey("Mcp-param-region");
        assertThat(headers.get(2).get("Mcp-param-region")).containsExactly("eu");
    }
}
