package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.statehouse.sampling.SamplingProvider.ModelRating;
import io.statehouse.sampling.SamplingRequest.Audio;
import io.statehouse.sampling.SamplingRequest.Message;
import io.statehouse.sampling.SamplingRequest.Role;
import io.statehouse.sampling.SamplingRequest.Text;

/**
 * {@link GeminiProvider} on the wire, against a stand-in for Google's hosted Gemini API
 * ({@code generateContent}), which cannot be reached from here: a local endpoint that checks the
 * request JSON and answers in that API's format.
 */
class GeminiProviderAgainstStandInTest extends ProviderAgainstStandInContract {

    static final String ANSWER = """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Rouge."}]},"finishReason":"%s","index":0}],
             "usageMetadata":{"promptTokenCount":38,"candidatesTokenCount":2,"totalTokenCount":40},
             "modelVersion":"gemini-2.5-flash-001"}""";

    @Override
    SamplingProvider provider(String baseUrl, Duration timeout) {
        return new GeminiProvider(new ProviderSettings("standin", ProviderSettings.Type.GEMINI, baseUrl, SECRET,
                List.of(new ModelRating("gemini-2.5-flash", 0.8, 0.8, 0.6)), timeout, null, null, null, null));
    }

    @Override
    String baseUrl() {
        return standIn.url("/v1beta");
    }

    @Override
    String model() {
        return "gemini-2.5-flash";
    }

    @Override
    String errorBody(int status) {
        return "{\"error\":{\"code\":" + status + ",\"message\":\"API key not valid: " + SECRET + "\",\"status\":\"UNAUTHENTICATED\"}}";
    }

    @Test
    void sendsSystemInstructionContentsImageAndGenerationConfig() {
        standIn.answer(200, ANSWER.formatted("STOP"));
        provider().sample(conversation(), model());

        StandIn.Received request = standIn.only();
        assertThat(request.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(request.headers().getFirst("x-goog-api-key")).isEqualTo(SECRET);
        JsonNode json = request.json();
        assertThat(json.path("systemInstruction").path("parts").path(0).path("text").asText()).isEqualTo("You are terse.");
        JsonNode config = json.path("generationConfig");
        assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(100);
        assertThat(config.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(config.path("stopSequences").path(0).asText()).isEqualTo("END");
        JsonNode contents = json.path("contents");
        assertThat(contents).hasSize(3);
        assertThat(contents.path(0).path("role").asText()).isEqualTo("user");
        assertThat(contents.path(0).path("parts").path(0).path("text").asText()).isEqualTo("What is in this picture?");
        JsonNode image = contents.path(0).path("parts").path(1).path("inlineData");
        assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
        assertThat(image.path("data").asText()).isEqualTo(PNG);
        assertThat(contents.path(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.path(1).path("parts").path(0).path("text").asText()).isEqualTo("A red dot.");
    }

    @Test
    void mapsTextModelStopAndUsage() {
        standIn.answer(200, ANSWER.formatted("STOP"));
        SamplingResult result = provider().sample(conversation(), model());
        assertThat(result.text()).isEqualTo("Rouge.");
        assertThat(result.model()).isEqualTo("gemini-2.5-flash-001");
        assertThat(result.stopReason()).isEqualTo("endTurn");
        assertThat(result.inputTokens()).isEqualTo(38);
        assertThat(result.outputTokens()).isEqualTo(2);
    }

    @Test
    void maxTokensIsReportedAsSuch() {
        standIn.answer(200, ANSWER.formatted("MAX_TOKENS"));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("maxTokens");
    }

    @Test
    void safetyIsPassedThroughAsGeminiSaysIt() {
        standIn.answer(200, ANSWER.formatted("SAFETY"));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("SAFETY");
    }

    @Test
    void sendsAudioAsInlineData() {
        standIn.answer(200, ANSWER.formatted("STOP"));
        provider().sample(new SamplingRequest(null, List.of(new Message(Role.USER,
                List.of(new Text("Transcribe"), new Audio("UklGRg==", "audio/wav")))), 10, null, List.of(), null, null), model());
        JsonNode audio = standIn.only().json().path("contents").path(0).path("parts").path(1).path("inlineData");
        assertThat(audio.path("mimeType").asText()).isEqualTo("audio/wav");
        assertThat(audio.path("data").asText()).isEqualTo("UklGRg==");
    }

    @Test
    void eachCallAddressesTheModelItWasAskedFor() {
        standIn.answer(200, ANSWER.formatted("STOP"));
        SamplingProvider two = new GeminiProvider(new ProviderSettings("gemini", ProviderSettings.Type.GEMINI, baseUrl(), SECRET,
                List.of(new ModelRating("gemini-2.5-flash", 1, 1, 0), new ModelRating("gemini-2.5-pro", 0.2, 0.3, 1)), null, null, null, null, null));
        two.sample(hello(), "gemini-2.5-pro");
        assertThat(standIn.only().path()).isEqualTo("/v1beta/models/gemini-2.5-pro:generateContent");
    }
}
