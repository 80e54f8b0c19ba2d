package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingProvider.ModelRating;
import io.statehouse.sampling.SamplingRequest.Audio;
import io.statehouse.sampling.SamplingRequest.Message;
import io.statehouse.sampling.SamplingRequest.Role;
import io.statehouse.sampling.SamplingRequest.Text;

/**
 * {@link BedrockProvider} on the wire, against a stand-in for Amazon Bedrock's hosted Converse API,
 * which cannot be reached from here: a local endpoint that checks the signed request and its JSON
 * and answers in that API's format (errors named by {@code x-amzn-ErrorType}).
 */
class BedrockProviderAgainstStandInTest extends ProviderAgainstStandInContract {

    static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    static final String ACCESS_KEY_ID = "AKIDSTATEHOUSETEST";
    static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"Rouge."}]}},"stopReason":"%s",
             "usage":{"inputTokens":44,"outputTokens":5,"totalTokens":49},"metrics":{"latencyMs":120}}""";

    @Override
    SamplingProvider provider(String baseUrl, Duration timeout) {
        return new BedrockProvider(new ProviderSettings("standin", ProviderSettings.Type.BEDROCK, baseUrl, null,
                List.of(new ModelRating(MODEL, 0.9, 0.9, 0.4)), timeout, null, "eu-central-1", ACCESS_KEY_ID, SECRET));
    }

    @Override
    String baseUrl() {
        return standIn.url("");
    }

    @Override
    String model() {
        return MODEL;
    }

    @Override
    String errorBody(int status) {
        return "{\"message\":\"The security token included in the request is invalid: " + SECRET + "\"}";
    }

    @Override
    SamplingException failureFor(int status) {
        String type = switch (status) {
            case 401, 403 -> "UnrecognizedClientException";
            case 429 -> "ThrottlingException";
            default -> "InternalServerException";
        };
        standIn.withHeaders(Map.of("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"));
        return super.failureFor(status);
    }

    @Test
    void sendsASignedConverseRequestWithSystemMessagesImageAndInferenceConfig() {
        standIn.answer(200, ANSWER.formatted("end_turn"));
        provider().sample(conversation(), model());

        StandIn.Received request = standIn.only();
        assertThat(request.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(request.headers().getFirst("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/")
                .contains("/eu-central-1/bedrock/aws4_request")
                .doesNotContain(SECRET);
        JsonNode json = request.json();
        assertThat(json.path("system").path(0).path("text").asText()).isEqualTo("You are terse.");
        JsonNode inference = json.path("inferenceConfig");
        assertThat(inference.path("maxTokens").asInt()).isEqualTo(100);
        assertThat(inference.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(inference.path("stopSequences").path(0).asText()).isEqualTo("END");
        JsonNode messages = json.path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.path(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.path(0).path("content").path(0).path("text").asText()).isEqualTo("What is in this picture?");
        JsonNode image = messages.path(0).path("content").path(1).path("image");
        assertThat(image.path("format").asText()).isEqualTo("png");
        assertThat(image.path("source").path("bytes").asText()).isEqualTo(PNG);
        assertThat(messages.path(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.path(1).path("content").path(0).path("text").asText()).isEqualTo("A red dot.");
    }

    @Test
    void mapsTextModelEndTurnAndUsage() {
        standIn.answer(200, ANSWER.formatted("end_turn"));
        SamplingResult result = provider().sample(conversation(), model());
        assertThat(result.text()).isEqualTo("Rouge.");
        assertThat(result.model()).isEqualTo(MODEL);
        assertThat(result.stopReason()).isEqualTo("endTurn");
        assertThat(result.inputTokens()).isEqualTo(44);
        assertThat(result.outputTokens()).isEqualTo(5);
    }

    @Test
    void stopSequenceAndMaxTokensAreReportedAsSuch() {
        standIn.answer(200, ANSWER.formatted("stop_sequence"));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("stopSequence");
        standIn.answer(200, ANSWER.formatted("max_tokens"));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("maxTokens");
        standIn.answer(200, ANSWER.formatted("guardrail_intervened"));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("guardrail_intervened");
    }

    @Test
    void audioIsUnsupportedAndNothingIsSent() {
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> provider().sample(new SamplingRequest(null,
                List.of(new Message(Role.USER, List.of(new Audio("UklGRg==", "audio/wav")))), 10, null, List.of(), null, null), model()));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(standIn.received()).isEmpty();
    }
}
