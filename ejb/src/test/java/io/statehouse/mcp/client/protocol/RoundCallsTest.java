package io.statehouse.mcp.client.protocol;

import static io.statehouse.mcp.client.protocol.ScriptedRoundServer.error;
import static io.statehouse.mcp.client.protocol.ScriptedRoundServer.inputRequired;
import static io.statehouse.mcp.client.protocol.ScriptedRoundServer.progress;
import static io.statehouse.mcp.client.protocol.ScriptedRoundServer.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.Question;
import io.statehouse.mcp.client.RemoteServer;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.ToolOutcome;
import io.statehouse.mcp.client.protocol.AnsweringListener.Reported;
import io.statehouse.mcp.client.protocol.ScriptedRoundServer.Seen;
import io.statehouse.mcp.client.protocol.rounds.RoundTripClient;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP client's tool calls in multi round-trip requests ({@link RoundCalls}, MCP 2026-07-28) over
 * real HTTP with {@link RoundTripClient}, against a remote server the test scripts
 * ({@link ScriptedRoundServer}) and a caller that answers from a map ({@link AnsweringListener}):
 * a result at once, rounds of elicitation, sampling and roots answered and retried with the round's
 * state, the round limit, refusals, a call resumed after a restart, and a server that is not there.
 */
class RoundCallsTest {

    private static final Map<String, Object> TRAVELLER = Map.of("type", "object",
            "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"));
    private static final Map<String, Object> ASK_TRAVELLER = Map.of("method", "elicitation/create",
            "params", Map.of("mode", "form", "message", "Who travels?", "requestedSchema", TRAVELLER));

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final RoundCalls calls = new RoundCalls(new RoundTripClient(HttpClient.newHttpClient(), json, ClientIdentity.info(),
            ClientIdentity.capabilities(), Clock.systemUTC()), Schedulers.immediate());
    private ScriptedRoundServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aResultAtOnceIsTheOutcomeWithItsTextAndStructuredContent() throws Exception {
        serve(request -> List.of(result(Map.of("content", List.of(text("Booked"), text("Flight at 9")),
                "structuredContent", Map.of("booking", "B-1"), "isError", false,
                "_meta", Map.of("io.modelcontextprotocol/serverInfo", Map.of("name", "travel", "version", "1"))))));
        AnsweringListener listener = new AnsweringListener(Map.of());

        ToolOutcome outcome = outcome(calls.call(call(server.endpoint()), listener));

        assertThat(outcome.error()).isFalse();
        assertThat(outcome.text()).isEqualTo("Booked\n\nFlight at 9");
        assertThat(parse(outcome.structured())).isEqualTo(Map.of("booking", "B-1"));
        assertThat(parse(outcome.json())).as("the result without the 2026-07-28 envelope").doesNotContainKeys("resultType", "_meta")
                .containsEntry("structuredContent", Map.of("booking", "B-1"));
        assertThat(listener.rounds).isEmpty();
        assertThat(listener.asked).isEmpty();
        assertThat(server.seen()).singleElement().satisfies(first -> {
            assertThat(first.body()).containsEntry("method", "tools/call");
            assertThat(first.params()).containsEntry("name", "plan_trip").containsEntry("arguments", Map.of("destination", "Bali"))
                    .doesNotContainKeys("inputResponses", "requestState");
        });
    }

    @Test
    void aToolErrorIsAnOutcomeThatSaysSoNotAFailedCall() throws Exception {
        serve(request -> List.of(result(Map.of("content", List.of(text("No flights to Bali")), "isError", true))));

        ToolOutcome outcome = outcome(calls.call(call(server.endpoint()), new AnsweringListener(Map.of())));

        assertThat(outcome.error()).isTrue();
        assertThat(outcome.text()).isEqualTo("No flights to Bali");
        assertThat(outcome.structured()).isNull();
    }

    @Test
    void anElicitationRoundIsAnsweredAndTheRetryCarriesTheAnswerUnderItsKeyAndTheStateByteForByte() throws Exception {
        String state = "v1.opaque state: \u00fc+/= \"quoted\" \\ end";
        serve(request -> List.of(request.params().containsKey("requestState")
                ? result(Map.of("content", List.of(text("Booked for Ayu"))))
                : inputRequired(Map.of("traveller", ASK_TRAVELLER), state)));
        AnsweringListener listener = new AnsweringListener(Map.of("traveller", Answer.accepted(Map.of("name", "Ayu"))));

        ToolOutcome outcome = outcome(calls.call(call(server.endpoint()), listener));

        assertThat(outcome.text()).isEqualTo("Booked for Ayu");
        assertThat(listener.rounds).singleElement().satisfies(round -> {
            assertThat(round.requestState()).isEqualTo(state);
            assertThat(parse(round.inputRequestsJson())).isEqualTo(Map.of("traveller", ASK_TRAVELLER));
        });
        assertThat(listener.asked).singleElement().satisfies(asked -> {
            assertThat(asked.key()).isEqualTo("traveller");
            assertThat(asked.method()).isEqualTo("elicitation/create");
            assertThat(asked.question()).isInstanceOfSatisfying(Question.Form.class, form -> {
                assertThat(form.message()).isEqualTo("Who travels?");
                assertThat(parse(form.requestedSchema())).isEqualTo(TRAVELLER);
            });
        });
        assertThat(server.seen()).hasSize(2);
        Map<String, Object> retry = server.seen().get(1).params();
        assertThat(retry.get("requestState")).isEqualTo(state);
        assertThat(retry.get("inputResponses")).isEqualTo(Map.of("traveller", Map.of("action", "accept", "content", Map.of("name", "Ayu"))));
        assertThat(retry.get("arguments")).isEqualTo(Map.of("destination", "Bali"));
        assertThat(server.seen().get(1).body().get("id")).isNotEqualTo(server.seen().get(0).body().get("id"));
    }

    @Test
    void samplingAndRootsInOneRoundAreAnsweredTogetherAndRootsAsNoneWithoutAsking() throws Exception {
        Map<String, Object> sampling = Map.of("method", "sampling/createMessage", "params", Map.of("messages",
                List.of(Map.of("role", "user", "content", text("Summarise the trip"))), "maxTokens", 100));
        serve(request -> List.of(request.params().containsKey("requestState")
                ? result(Map.of("content", List.of(text("Summarised"))))
                : inputRequired(Map.of("summary", sampling, "workspace", Map.of("method", "roots/list", "params", Map.of())), "round-1")));
        AnsweringListener listener = new AnsweringListener(Map.of("summary", Answer.reply("A week in Bali.", "test-model")));

        ToolOutcome outcome = outcome(calls.call(call(server.endpoint()), listener));

        assertThat(outcome.text()).isEqualTo("Summarised");
        assertThat(listener.asked).as("roots are not the listener's to answer").singleElement().satisfies(asked -> {
            assertThat(asked.key()).isEqualTo("summary");
            assertThat(asked.method()).isEqualTo("sampling/createMessage");
            assertThat(asked.question()).isInstanceOfSatisfying(Question.Sampling.class, question -> {
                assertThat(question.message()).isEqualTo("Summarise the trip");
                assertThat(parse(question.request())).containsEntry("maxTokens", 100);
            });
        });
        assertThat(server.seen()).hasSize(2);
        Map<String, Object> retry = server.seen().get(1).params();
        assertThat(retry.get("requestState")).isEqualTo("round-1");
        assertThat(retry.get("inputResponses")).isEqualTo(Map.of(
                "summary", Map.of("role", "assistant", "content", text("A week in Bali."), "model", "test-model", "stopReason", "endTurn"),
                "workspace", Map.of("roots", List.of())));
    }

    @Test
    void theRunsProgressReachesTheListenerWithTheCallsToken() throws Exception {
        serve(request -> List.of(progress("p-1", 1, 2, "half"), progress("someone-else", 9, 9, "not ours"),
                result(Map.of("content", List.of(text("Done"))))));
        AnsweringListener listener = new AnsweringListener(Map.of());

        ToolOutcome outcome = outcome(calls.call(call(server.endpoint()), listener));

        assertThat(outcome.text()).isEqualTo("Done");
        assertThat(listener.progress).containsExactly(new Reported(1, 2.0, "half"));
        assertThat(server.seen().get(0).params()).extractingByKey("_meta").asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("progressToken", "p-1");
    }

    @Test
    void aServerThatKeepsAskingIsStoppedAfterTheRoundLimit() throws Exception {
        AnsweringListener listener = keepAsking();

        failure(calls.call(call(server.endpoint()), listener));

        assertThat(server.seen()).as("the first request and a retry for each round answered").hasSize(RoundCalls.MAX_ROUNDS + 1);
        assertThat(listener.asked).hasSize(RoundCalls.MAX_ROUNDS);
        assertThat(listener.rounds).as("the round past the limit is neither kept nor asked").hasSize(RoundCalls.MAX_ROUNDS);
        for (int i = 1; i < server.seen().size(); i++) {
            assertThat(server.seen().get(i).params()).as("retry " + i).containsEntry("requestState", "state-" + i);
        }
    }

    @Test
    void aCallStoppedAtTheRoundLimitIsRefused() throws Exception {
        AnsweringListener listener = keepAsking();

        ToolCallFailedException failed = failure(calls.call(call(server.endpoint()), listener));

        assertThat(failed.kind()).isEqualTo(ToolCallFailedException.Kind.REFUSED);
        assertThat(failed).hasMessageContaining("still asking after " + RoundCalls.MAX_ROUNDS + " rounds");
    }

    @Test
    void aRoundThatAsksWhatStatehouseCannotAnswerFailsTheCallWithoutARetry() throws Exception {
        serve(request -> List.of(inputRequired(Map.of("traveller", ASK_TRAVELLER, "tool", Map.of("method", "tools/call", "params", Map.of())),
                "round-1")));
        AnsweringListener listener = new AnsweringListener(Map.of("traveller", Answer.accepted(Map.of("name", "Ayu"))));

        ToolCallFailedException failed = failure(calls.call(call(server.endpoint()), listener));

        assertThat(failed.kind()).as("the server was reached: a refusal, not an unreachable server").isEqualTo(ToolCallFailedException.Kind.REFUSED);
        assertThat(failed).hasMessageContaining("'tools/call'");
        assertThat(server.seen()).as("no retry with half a round").hasSize(1);
    }

    /** A server that answers every request with another round of one question, numbered; and a caller that answers it. */
    private AnsweringListener keepAsking() throws IOException {
        serve(request -> List.of(inputRequired(Map.of("traveller", ASK_TRAVELLER), "state-" + server.seen().size())));
        return new AnsweringListener(Map.of("traveller", Answer.accepted(Map.of("name", "Ayu"))));
    }

    @Test
    void aJsonRpcErrorIsARefusalNamingItsCode() throws Exception {
        serve(request -> List.of(error(-32602, "Unknown tool: plan_trip")));
        AnsweringListener listener = new AnsweringListener(Map.of());

        ToolCallFailedException failed = failure(calls.call(call(server.endpoint()), listener));

        assertThat(failed.kind()).isEqualTo(ToolCallFailedException.Kind.REFUSED);
        assertThat(failed).hasMessageContaining("error -32602");
        assertThat(CallFailures.inChain(failed, McpError.class)).isNotNull()
                .satisfies(e -> assertThat(e.getJsonRpcError().code()).isEqualTo(-32602));
        assertThat(server.seen()).hasSize(1);
        assertThat(listener.asked).isEmpty();
    }

    @Test
    void aResumedCallWithItsAnswersKeptGoesStraightToTheRetry() throws Exception {
        serve(request -> List.of(request.params().containsKey("requestState")
                ? result(Map.of("content", List.of(text("Booked for Ayu"))))
                : error(-32600, "a resumed call must not start over")));
        AnsweringListener listener = new AnsweringListener(Map.of());
        Map<String, Object> kept = Map.of("action", "accept", "content", Map.of("name", "Ayu"));

        ToolOutcome outcome = outcome(calls.resume(call(server.endpoint()), listener, "kept-state",
                Map.of("traveller", CompletableFuture.completedFuture(kept))));

        assertThat(outcome.text()).isEqualTo("Booked for Ayu");
        assertThat(server.seen()).singleElement().satisfies(retry -> {
            assertThat(retry.params()).containsEntry("requestState", "kept-state")
                    .containsEntry("inputResponses", Map.of("traveller", kept))
                    .containsEntry("arguments", Map.of("destination", "Bali"));
        });
        assertThat(listener.rounds).isEmpty();
        assertThat(listener.asked).isEmpty();
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        AnsweringListener listener = new AnsweringListener(Map.of());

        ToolCallFailedException failed = failure(calls.call(call(URI.create("http://127.0.0.1:" + port + "/mcp")), listener));

        assertThat(failed.kind()).isEqualTo(ToolCallFailedException.Kind.UNREACHABLE);
        assertThat(failed).hasMessageContaining("travel");
        assertThat(listener.rounds).isEmpty();
        assertThat(listener.asked).isEmpty();
    }

    private void serve(Function<Seen, List<Map<String, Object>>> script) throws IOException {
        server = new ScriptedRoundServer(script);
    }

    private static ToolCall call(URI endpoint) {
        return new ToolCall(new RemoteServer("travel", endpoint, "Bearer t", RemoteServer.Source.API), "plan_trip",
                Map.of("destination", "Bali"), Duration.ofSeconds(10), "p-1");
    }

    private static Map<String, Object> text(String text) {
        return Map.of("type", "text", "text", text);
    }

    private static ToolOutcome outcome(CompletionStage<ToolOutcome> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static ToolCallFailedException failure(CompletionStage<ToolOutcome> stage) throws Exception {
        try {
            ToolOutcome outcome = stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
            return fail("the call came back with " + outcome);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ToolCallFailedException.class);
            return (ToolCallFailedException) e.getCause();
        }
    }

    private Map<String, Object> parse(String text) {
        try {
            return json.readValue(text, ToolOutcomes.JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
