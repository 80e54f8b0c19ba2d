package io.statehouse.mcp.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogResource;
import io.statehouse.catalog.Contents;
import io.statehouse.mcp.server.protocol.FakeToolRuns.Answered;
import io.statehouse.mcp.server.protocol.FakeToolRuns.Ask;
import io.statehouse.mcp.server.protocol.rounds.RequestStateCodec;
import io.statehouse.mcp.server.protocol.rounds.ToolCallRounds;

/**
 * Statehouse's MCP server in the 2026-07-28 era ({@link StatelessServer}), one request at a time as
 * the HTTP endpoint hands it over, against runs kept in memory ({@link FakeToolRuns}): the
 * {@code _meta} envelope every request carries, {@code server/discover}, the tool list, a tool call
 * that ends at once and one answered in multi round-trip requests (with the signed
 * {@code requestState} of {@link ToolCallRounds}), the catalog, and {@code subscriptions/listen}.
 * What is checked is the JSON a client would read: each body goes through the SDK's JSON mapper and back.
 */
class StatelessServerTest {

    private static final String USER = "ayu";
    private static final Map<String, Object> ELICITATION = Map.of("elicitation", Map.of());
    private static final Map<String, Object> TRAVELLER = Map.of("type", "object",
            "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"));
    private static final Map<String, Object> NIGHTS = Map.of("type", "object",
            "properties", Map.of("nights", Map.of("type", "integer")), "required", List.of("nights"));
    private static final String GUIDE = "statehouse://guide";

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final FakeToolRuns runs = new FakeToolRuns();
    private final Catalog catalog = new Catalog(List.of(new CatalogResource(GUIDE, "guide", "Guide", null,
            Contents.text("text/plain", "Read me first"))), List.of(), List.of());
    private final StatelessServer server = new StatelessServer(runs, new ToolCallRounds(runs,
            new RequestStateCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5), Clock.systemUTC())),
            Runnable::run, () -> catalog);
    private final List<Map<String, Object>> notified = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void discoverNamesTheVersionsNewestFirstAndTheStatefulCapabilitiesLessLogging() {
        McpSchema.JSONRPCRequest discover = request("server/discover", Map.of(), Map.of());

        StatelessServer.Now reply = now(server.handle(discover, StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(reply.status()).isEqualTo(200);
        Map<String, Object> body = wire(reply.body());
        assertThat(body).containsEntry("id", discover.id());
        Map<String, Object> result = map(body.get("result"));
        assertThat(result).containsEntry("resultType", "complete");
        assertThat(strings(result.get("supportedVersions"))).containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26")
                .isSortedAccordingTo(Comparator.reverseOrder());
        Map<String, Object> stateful = wire(json.convertValue(ServerIdentity.CAPABILITIES, new TypeRef<Map<String, Object>>() { }));
        assertThat(stateful).as("the stateful era declares logging").containsKey("logging");
        Map<String, Object> expected = new LinkedHashMap<>(stateful);
        expected.remove("logging");
        // And the tasks extension, which only this era has, as exactly {} (clients read any other value as no tasks).
        expected.put("extensions", Map.of("io.modelcontextprotocol/tasks", Map.of()));
        assertThat(map(result.get("capabilities"))).isEqualTo(expected).containsKeys("tools", "resources", "prompts", "completions");
        assertThat(at(result, "capabilities", "resources", "subscribe")).isEqualTo(true);
        assertThat(at(result, "capabilities", "tools", "listChanged")).isEqualTo(true);
        assertThat(result).containsEntry("instructions", ServerIdentity.INSTRUCTIONS);
        assertThat(at(result, "_meta", "io.modelcontextprotocol/serverInfo")).isEqualTo(Map.of("name", "statehouse", "version", "0.1.0"));
    }

    @Test
    void aRequestWithoutItsMetaEnvelopeIsABadRequest() {
        runs.tool(FakeToolRuns.definition("plan_trip"));
        McpSchema.JSONRPCRequest bare = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, "bare",
                Map.of("name", "plan_trip"));
        McpSchema.JSONRPCRequest noCapabilities = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, "half",
                Map.of("name", "plan_trip", "_meta", Map.of("io.modelcontextprotocol/protocolVersion", StatelessServer.VERSION)));

        for (McpSchema.JSONRPCRequest call : List.of(bare, noCapabilities)) {
            StatelessServer.Now reply = now(server.handle(call, StatelessServer.VERSION, USER, notified::add, gone));
            assertThat(reply.status()).as(call.id().toString()).isEqualTo(400);
            assertThat(at(wire(reply.body()), "error", "code")).as(call.id().toString()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
            assertThat(wire(reply.body())).containsEntry("id", call.id());
        }
        assertThat(runs.started).isEmpty();
    }

    @Test
    void aHeaderVersionThatDiffersFromTheMetaVersionIsRefused() {
        StatelessServer.Now reply = now(server.handle(request("server/discover", Map.of(), Map.of()), "2025-11-25", USER, notified::add, gone));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(at(wire(reply.body()), "error", "code")).isEqualTo(StatelessServer.HEADER_MISMATCH).isEqualTo(-32020);
    }

    @Test
    void aRequestWithoutAnAuthenticatedUserIsRefused() {
        runs.tool(FakeToolRuns.definition("plan_trip"));

        StatelessServer.Now reply = now(server.handle(request(McpSchema.METHOD_TOOLS_CALL, Map.of("name", "plan_trip"), Map.of()),
                StatelessServer.VERSION, null, notified::add, gone));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(at(wire(reply.body()), "error", "code")).isEqualTo(McpSchema.ErrorCodes.INVALID_REQUEST);
        assertThat(runs.started).isEmpty();
    }

    @Test
    void theToolListShowsTheDeployedToolsForAsLongAsDeploymentsAreChecked() {
        runs.tool(FakeToolRuns.definition("plan_trip")).tool(FakeToolRuns.definition("approve_trip", "elicitation"));

        StatelessServer.Now reply = now(server.handle(request(McpSchema.METHOD_TOOLS_LIST, Map.of(), Map.of()),
                StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(reply.status()).isEqualTo(200);
        Map<String, Object> result = map(wire(reply.body()).get("result"));
        List<Map<String, Object>> tools = maps(result.get("tools"));
        assertThat(tools).extracting(t -> t.get("name")).containsExactly("plan_trip", "approve_trip");
        assertThat(tools.get(0)).containsEntry("title", "Title of plan_trip").containsEntry("description", "Documentation of plan_trip");
        assertThat(at(tools.get(0), "inputSchema", "properties")).isEqualTo(Map.of("destination", Map.of("type", "string")));
        assertThat(result).containsEntry("ttlMs", (int) TimeUnit.SECONDS.toMillis(DeploymentWatcher.INTERVAL_SECONDS))
                .containsEntry("cacheScope", "private").containsEntry("resultType", "complete");
    }

    @Test
    void aToolThatRequiresACapabilityTheCallerDidNotDeclareIsRefusedNamingIt() {
        runs.tool(FakeToolRuns.definition("approve_trip", "elicitation", "sampling"));

        StatelessServer.Now reply = now(server.handle(request(McpSchema.METHOD_TOOLS_CALL, Map.of("name", "approve_trip"), Map.of("sampling", Map.of())),
                StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(reply.status()).isEqualTo(400);
        Map<String, Object> body = wire(reply.body());
        assertThat(at(body, "error", "code")).isEqualTo(StatelessServer.MISSING_CAPABILITY).isEqualTo(-32021);
        assertThat(at(body, "error", "data", "requiredCapabilities")).isEqualTo(Map.of("elicitation", Map.of()));
        assertThat(runs.started).isEmpty();
    }

    @Test
    void aRunThatEndsAtOnceAnswersTheCallWithItsResult() throws Exception {
        runs.tool(FakeToolRuns.definition("plan_trip"));
        McpSchema.JSONRPCRequest call = request(McpSchema.METHOD_TOOLS_CALL, Map.of("name", "plan_trip", "arguments", Map.of("destination", "Bali")),
                Map.of());

        Map<String, Object> body = later(server.handle(call, StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(body).containsEntry("id", call.id());
        Map<String, Object> result = map(body.get("result"));
        assertThat(result).containsEntry("resultType", "complete").containsEntry("isError", false)
                .containsEntry("structuredContent", Map.of("destination", "Bali"));
        assertThat(maps(result.get("content"))).singleElement()
                .satisfies(text -> assertThat(text).containsEntry("type", "text").extractingByKey("text").asString().startsWith("Run run-1 ended"));
        assertThat(at(result, "_meta", "io.modelcontextprotocol/serverInfo")).isEqualTo(Map.of("name", "statehouse", "version", "0.1.0"));
        assertThat(runs.started).containsExactly(new FakeToolRuns.Started("run-1", "plan_trip", Map.of("destination", "Bali"), USER));
        assertThat(runs.released).as("the request is over, so the run no longer tells it anything").containsExactly("run-1");
    }

    @Test
    void aRunThatAsksItsCallerAnswersWithARoundAndTheRetryWithTheAnswerEndsIt() throws Exception {
        runs.tool(FakeToolRuns.definition("plan_trip"), new Ask("traveller", "Who travels?", TRAVELLER));

        Map<String, Object> round = map(firstCall("plan_trip").get("result"));

        assertThat(round).containsEntry("resultType", "input_required");
        assertThat(map(round.get("inputRequests"))).isEqualTo(Map.of("traveller", Map.of("method", "elicitation/create",
                "params", Map.of("mode", "form", "message", "Who travels?", "requestedSchema", TRAVELLER))));
        assertThat(round.get("requestState")).asString().startsWith("v1.");
        assertThat(at(round, "_meta", "io.modelcontextprotocol/serverInfo")).isEqualTo(Map.of("name", "statehouse", "version", "0.1.0"));
        assertThat(runs.answered).isEmpty();

        Map<String, Object> done = retry("plan_trip", Map.of("traveller", accept(Map.of("name", "Ayu"))), (String) round.get("requestState"));

        Map<String, Object> result = map(done.get("result"));
        assertThat(result).containsEntry("resultType", "complete").containsEntry("isError", false)
                .containsEntry("structuredContent", Map.of("destination", "Bali", "name", "Ayu"));
        assertThat(runs.answered).containsExactly(new Answered("run-1/task-0", Map.of("name", "Ayu")));
        assertThat(runs.started).as("the retry takes up the run the first request started").hasSize(1);
    }

    @Test
    void aRetryWhoseRequestStateWasAlteredIsRefusedAsTamperedAndTheGenuineOneStillWorks() throws Exception {
        runs.tool(FakeToolRuns.definition("plan_trip"), new Ask("traveller", "Who travels?", TRAVELLER));
        String state = (String) map(firstCall("plan_trip").get("result")).get("requestState");
        String[] parts = state.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"run-1\"");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"run-1\"", "\"run-2\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        Map<String, Object> refused = retry("plan_trip", Map.of("traveller", accept(Map.of("name", "Mallory"))), altered);

        assertThat(at(refused, "error", "code")).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(at(refused, "error", "data")).isEqualTo(Map.of("reason", "invalid_request_state", "detail", "tampered"));
        assertThat(runs.answered).isEmpty();
        assertThat(map(retry("plan_trip", Map.of("traveller", accept(Map.of("name", "Ayu"))), state).get("result")))
                .containsEntry("resultType", "complete");
    }

    @Test
    void aRequestStateIsTakenOnce() throws Exception {
        runs.tool(FakeToolRuns.definition("plan_trip"), new Ask("traveller", "Who travels?", TRAVELLER));
        String state = (String) map(firstCall("plan_trip").get("result")).get("requestState");
        assertThat(map(retry("plan_trip", Map.of("traveller", accept(Map.of("name", "Ayu"))), state).get("result")))
                .containsEntry("resultType", "complete");

        Map<String, Object> again = retry("plan_trip", Map.of("traveller", accept(Map.of("name", "Mallory"))), state);

        assertThat(at(again, "error", "code")).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(at(again, "error", "data")).isEqualTo(Map.of("reason", "invalid_request_state", "detail", "already_used"));
        assertThat(runs.answered).extracting(Answered::content).containsExactly(Map.of("name", "Ayu"));
    }

    @Test
    void anAnswerThatViolatesTheSchemaIsRefusedNamingTheFieldAndTheSameStateMayBeRetried() throws Exception {
        runs.tool(FakeToolRuns.definition("book_stay"), new Ask("stay", "How many nights?", NIGHTS));
        String state = (String) map(firstCall("book_stay").get("result")).get("requestState");

        Map<String, Object> refused = retry("book_stay", Map.of("stay", accept(Map.of("nights", "many"))), state);

        assertThat(at(refused, "error", "code")).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(at(refused, "error", "data")).isEqualTo(Map.of("reason", "invalid_input_response"));
        assertThat(at(refused, "error", "message")).asString().contains("inputResponses.stay").contains("nights");
        assertThat(runs.answered).isEmpty();
        assertThat(map(retry("book_stay", Map.of("stay", accept(Map.of("nights", 3))), state).get("result")))
                .containsEntry("resultType", "complete").containsEntry("structuredContent", Map.of("destination", "Bali", "nights", 3));
    }

    @Test
    void theRunsProgressGoesOutOnTheRequestsStreamWithItsToken() throws Exception {
        runs.reportingTool(FakeToolRuns.definition("plan_trip"), 0.5);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", "plan_trip");
        params.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", StatelessServer.VERSION,
                "io.modelcontextprotocol/clientCapabilities", Map.of(), "progressToken", "p-7"));

        Map<String, Object> body = later(server.handle(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL,
                "with-token", params), StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(map(body.get("result"))).containsEntry("resultType", "complete");
        assertThat(notified).singleElement().satisfies(progress -> {
            assertThat(wire(progress)).containsEntry("method", McpSchema.METHOD_NOTIFICATION_PROGRESS);
            assertThat(map(wire(progress).get("params"))).isEqualTo(Map.of("progressToken", "p-7", "progress", 0.5, "total", 1.0, "message", "started"));
        });
    }

    @Test
    void anUnknownMethodIsNotFound() {
        StatelessServer.Now reply = now(server.handle(request("tasks/list", Map.of(), Map.of()), StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(at(wire(reply.body()), "error", "code")).isEqualTo(McpSchema.ErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    void readingAnUnknownResourceIsInvalidParamsNamingTheUri() {
        StatelessServer.Now known = now(server.handle(request(McpSchema.METHOD_RESOURCES_READ, Map.of("uri", GUIDE), Map.of()),
                StatelessServer.VERSION, USER, notified::add, gone));
        StatelessServer.Now unknown = now(server.handle(request(McpSchema.METHOD_RESOURCES_READ, Map.of("uri", "statehouse://nowhere"), Map.of()),
                StatelessServer.VERSION, USER, notified::add, gone));

        assertThat(maps(at(wire(known.body()), "result", "contents"))).singleElement()
                .satisfies(contents -> assertThat(contents).containsEntry("uri", GUIDE).containsEntry("text", "Read me first"));
        assertThat(unknown.status()).isEqualTo(200);
        Map<String, Object> body = wire(unknown.body());
        // MCP 2026-07-28 (SEP-2164) moved resource-not-found from -32002 to Invalid Params, with the URI in data.
        assertThat(at(body, "error", "code")).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(at(body, "error", "data")).isEqualTo(Map.of("uri", "statehouse://nowhere"));
    }

    @Test
    void aListChangeReachesTheListenStreamsThatAskedForItTaggedWithTheirSubscription() {
        List<Map<String, Object>> toolsStream = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> promptsStream = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> toolsGone = new CompletableFuture<>();
        StatelessServer.Reply tools = server.handle(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "subscriptions/listen", "listen-tools",
                withMeta(Map.of("notifications", Map.of("toolsListChanged", true)), Map.of())), StatelessServer.VERSION, USER, toolsStream::add, toolsGone);
        server.handle(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "subscriptions/listen", "listen-prompts",
                withMeta(Map.of("notifications", Map.of("promptsListChanged", true)), Map.of())), StatelessServer.VERSION, USER, promptsStream::add, gone);

        assertThat(tools).isInstanceOfSatisfying(StatelessServer.Later.class,
                later -> assertThat(later.body().toCompletableFuture()).as("the stream stays open").isNotDone());
        assertThat(toolsStream).singleElement().satisfies(ack -> {
            assertThat(wire(ack)).containsEntry("method", "notifications/subscriptions/acknowledged");
            assertThat(at(wire(ack), "params", "notifications")).isEqualTo(Map.of("toolsListChanged", true));
            assertThat(at(wire(ack), "params", "_meta", "io.modelcontextprotocol/subscriptionId")).isEqualTo("listen-tools");
        });

        server.listChanged("tools");

        assertThat(toolsStream).hasSize(2);
        assertThat(wire(toolsStream.get(1))).containsEntry("method", "notifications/tools/list_changed");
        assertThat(at(wire(toolsStream.get(1)), "params", "_meta", "io.modelcontextprotocol/subscriptionId")).isEqualTo("listen-tools");
        assertThat(promptsStream).as("only its acknowledgement: it did not ask for tools").hasSize(1);

        toolsGone.complete(null);
        server.listChanged("tools");
        server.listChanged("prompts");

        assertThat(toolsStream).as("a client that went away hears nothing more").hasSize(2);
        assertThat(promptsStream).hasSize(2);
        assertThat(at(wire(promptsStream.get(1)), "params", "_meta", "io.modelcontextprotocol/subscriptionId")).isEqualTo("listen-prompts");
    }

    /** The first request of a call, by a caller that declares elicitation; the body as the client reads it. */
    private Map<String, Object> firstCall(String tool) throws Exception {
        return later(server.handle(request(McpSchema.METHOD_TOOLS_CALL, Map.of("name", tool, "arguments", Map.of("destination", "Bali")), ELICITATION),
                StatelessServer.VERSION, USER, notified::add, gone));
    }

    /** A retry of a call: the same arguments, the answers and the round's state. */
    private Map<String, Object> retry(String tool, Map<String, Object> inputResponses, String requestState) throws Exception {
        return later(server.handle(request(McpSchema.METHOD_TOOLS_CALL, Map.of("name", tool, "arguments", Map.of("destination", "Bali"),
                "inputResponses", inputResponses, "requestState", requestState), ELICITATION), StatelessServer.VERSION, USER, notified::add, gone));
    }

    private McpSchema.JSONRPCRequest request(String method, Map<String, Object> params, Map<String, Object> capabilities) {
        return new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, "req-" + ids.incrementAndGet(), withMeta(params, capabilities));
    }

    private static Map<String, Object> withMeta(Map<String, Object> params, Map<String, Object> capabilities) {
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", StatelessServer.VERSION,
                "io.modelcontextprotocol/clientCapabilities", capabilities));
        return withMeta;
    }

    private static Map<String, Object> accept(Map<String, Object> content) {
        return Map.of("action", "accept", "content", content);
    }

    private static StatelessServer.Now now(StatelessServer.Reply reply) {
        assertThat(reply).isInstanceOf(StatelessServer.Now.class);
        return (StatelessServer.Now) reply;
    }

    /** A reply on the event stream: its response, as the client reads it. */
    private Map<String, Object> later(StatelessServer.Reply reply) throws Exception {
        assertThat(reply).isInstanceOf(StatelessServer.Later.class);
        return wire(((StatelessServer.Later) reply).body().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    /** The message as JSON text read back: what a client sees of it. */
    private Map<String, Object> wire(Map<String, Object> message) {
        try {
            return json.readValue(json.writeValueAsString(message), new TypeRef<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object at(Map<String, Object> message, String... path) {
        Object value = message;
        for (String key : path) {
            assertThat(value).as("the parent of '" + key + "'").isInstanceOf(Map.class);
            value = ((Map<?, ?>) value).get(key);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<String>) value;
    }
}
