package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingProvider.ModelRating;
import io.statehouse.sampling.SamplingRequest.Audio;
import io.statehouse.sampling.SamplingRequest.Message;
import io.statehouse.sampling.SamplingRequest.Role;
import io.statehouse.sampling.SamplingRequest.Text;

/**
 * {@link AnthropicProvider} on the wire, against a stand-in for Anthropic's hosted Messages API,
 * which cannot be reached from here: a local endpoint that checks the request JSON and answers in
 * that API's format.
 */
class AnthropicProviderAgainstStandInTest extends ProviderAgainstStandInContract {

    static final String ANSWER = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Rouge."}],"stop_reason":"%s","stop_sequence":%s,
             "usage":{"input_tokens":40,"output_tokens":4}}""";

    @Override
    SamplingProvider provider(String baseUrl, Duration timeout) {
        return new AnthropicProvider(new ProviderSettings("standin", ProviderSettings.Type.ANTHROPIC, baseUrl, SECRET,
                List.of(new ModelRating("claude-sonnet-4-5", 0.3, 0.5, 0.9)), timeout, null, null, null, null));
    }

    @Override
    String baseUrl() {
        return standIn.url("/v1/");
    }

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    String errorBody(int status) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key " + SECRET + "\"}}";
    }

    @Test
    void sendsSystemPromptMessagesImageAndLimitsAsMessages() {
        standIn.answer(200, ANSWER.formatted("end_turn", "null"));
        provider().sample(conversation(), model());

        StandIn.Received request = standIn.only();
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.headers().getFirst("x-api-key")).isEqualTo(SECRET);
        assertThat(request.headers().getFirst("anthropic-version")).isNotBlank();
        JsonNode json = request.json();
        assertThat(json.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(json.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(json.path("stop_sequences").path(0).asText()).isEqualTo("END");
        JsonNode system = json.path("system");
        assertThat(system.isArray() ? system.path(0).path("text").asText() : system.asText()).isEqualTo("You are terse.");
        JsonNode messages = json.path("messages");
        assertThat(messages).hasSize(3);
        JsonNode first = messages.path(0);
        assertThat(first.path("role").asText()).isEqualTo("user");
        assertThat(first.path("content").path(0).path("text").asText()).isEqualTo("What is in this picture?");
        JsonNode image = first.path("content").path(1);
        assertThat(image.path("type").asText()).isEqualTo("image");
        assertThat(image.path("source").path("type").asText()).isEqualTo("base64");
        assertThat(image.path("source").path("media_type").asText()).isEqualTo("image/png");
        assertThat(image.path("source").path("data").asText()).isEqualTo(PNG);
        assertThat(messages.path(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.path(1).path("content").toString()).contains("A red dot.");
    }

    @Test
    void mapsTextModelEndTurnAndUsage() {
        standIn.answer(200, ANSWER.formatted("end_turn", "null"));
        SamplingResult result = provider().sample(conversation(), model());
        assertThat(result.text()).isEqualTo("Rouge.");
        assertThat(result.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(result.stopReason()).isEqualTo("endTurn");
        assertThat(result.inputTokens()).isEqualTo(40);
        assertThat(result.outputTokens()).isEqualTo(4);
    }

    @Test
    void stopSequenceIsReportedAsSuch() {
        standIn.answer(200, ANSWER.formatted("stop_sequence", "\"END\""));
        assertThat(provider().sample(conversation(), model()).stopReason()).isEqualTo("stopSequence");
    }

    @Test
    void maxTokensIsReportedAsSuch() {
        standIn.answer(200, ANSWER.formatted("max_tokens", "null"));
        assertThat(provider().sample(conversation(), model()).stopReason()).isEqualTo("maxTokens");
    }

    @Test
    void aRefusalIsPassedThrough() {
        standIn.answer(200, ANSWER.formatted("refusal", "null"));
        assertThat(provider().sample(conversation(), model()).stopReason()).isEqualTo("refusal");
    }

    @Test
    void audioIsUnsupportedAndNothingIsSent() {
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> provider().sample(new SamplingRequest(null,
                List.of(new Message(Role.USER, List.of(new Text("Transcribe"), new Audio("UklGRg==", "audio/wav")))), 10, null,
                List.of(), null, null), model()));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e).hasMessage("provider standin (Anthropic) cannot take audio in a sampling request; route this request to a provider that can");
        assertThat(standIn.received()).isEmpty();
    }
}
