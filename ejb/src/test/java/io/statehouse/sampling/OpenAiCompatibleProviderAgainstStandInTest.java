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
 * {@link OpenAiCompatibleProvider} on the wire, against a stand-in for the hosted OpenAI Chat
 * Completions API (and the servers that copy it: Ollama, vLLM, LM Studio), which cannot be reached
 * from here: a local endpoint that checks the request JSON and answers in that API's format.
 */
class OpenAiCompatibleProviderAgainstStandInTest extends ProviderAgainstStandInContract {

    static final String ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Rouge."},"finish_reason":"%s"%s}],
             "usage":{"prompt_tokens":42,"completion_tokens":3,"total_tokens":45}}""";

    @Override
    SamplingProvider provider(String baseUrl, Duration timeout) {
        return new OpenAiCompatibleProvider(new ProviderSettings("standin", ProviderSettings.Type.OPENAI, baseUrl, SECRET,
                List.of(new ModelRating("gpt-4o-mini", 0.9, 0.9, 0.5)), timeout, 64, null, null, null));
    }

    @Override
    String baseUrl() {
        return standIn.url("/v1");
    }

    @Override
    String model() {
        return "gpt-4o-mini";
    }

    @Override
    String errorBody(int status) {
        return "{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + "\",\"type\":\"invalid_request_error\",\"code\":" + status + "}}";
    }

    @Test
    void sendsSystemPromptMessagesImageAndLimitsAsChatCompletions() {
        standIn.answer(200, ANSWER.formatted("stop", ""));
        provider().sample(conversation(), model());

        StandIn.Received request = standIn.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer " + SECRET);
        JsonNode json = request.json();
        assertThat(json.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(json.path("stop")).hasSize(1);
        assertThat(json.path("stop").path(0).asText()).isEqualTo("END");
        // 100 asked, the operator's cap is 64.
        assertThat(json.has("max_tokens") ? json.path("max_tokens").asInt() : json.path("max_completion_tokens").asInt()).isEqualTo(64);
        JsonNode messages = json.path("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.path(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.path(0).path("content").asText()).isEqualTo("You are terse.");
        JsonNode first = messages.path(1);
        assertThat(first.path("role").asText()).isEqualTo("user");
        assertThat(first.path("content").path(0).path("type").asText()).isEqualTo("text");
        assertThat(first.path("content").path(0).path("text").asText()).isEqualTo("What is in this picture?");
        assertThat(first.path("content").path(1).path("type").asText()).isEqualTo("image_url");
        assertThat(first.path("content").path(1).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64," + PNG);
        assertThat(messages.path(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.path(2).path("content").asText()).isEqualTo("A red dot.");
        assertThat(messages.path(3).path("role").asText()).isEqualTo("user");
    }

    @Test
    void mapsTextModelEndTurnAndUsage() {
        standIn.answer(200, ANSWER.formatted("stop", ""));
        SamplingResult result = provider().sample(conversation(), model());
        assertThat(result.text()).isEqualTo("Rouge.");
        assertThat(result.model()).as("the model that answered, not the alias asked for").isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(result.stopReason()).isEqualTo("endTurn");
        assertThat(result.inputTokens()).isEqualTo(42);
        assertThat(result.outputTokens()).isEqualTo(3);
        assertThat(result.latency()).isPositive();
    }

    @Test
    void lengthIsMaxTokens() {
        standIn.answer(200, ANSWER.formatted("length", ""));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("maxTokens");
    }

    @Test
    void vllmNamingTheStopStringIsStopSequence() {
        standIn.answer(200, ANSWER.formatted("stop", ",\"stop_reason\":\"END\""));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("stopSequence");
    }

    @Test
    void anotherFinishReasonIsPassedThrough() {
        standIn.answer(200, ANSWER.formatted("content_filter", ""));
        assertThat(provider().sample(hello(), model()).stopReason()).isEqualTo("content_filter");
    }

    @Test
    void sendsAudioAsInputAudio() {
        standIn.answer(200, ANSWER.formatted("stop", ""));
        provider().sample(new SamplingRequest(null, List.of(new Message(Role.USER,
                List.of(new Text("Transcribe"), new Audio("UklGRg==", "audio/wav")))), 10, null, List.of(), null, null), model());
        JsonNode audio = standIn.only().json().path("messages").path(0).path("content").path(1);
        assertThat(audio.path("type").asText()).isEqualTo("input_audio");
        assertThat(audio.path("input_audio").path("data").asText()).isEqualTo("UklGRg==");
    }

    @Test
    void aLocalServerNeedsNoKey() {
        standIn.answer(200, ANSWER.formatted("stop", ""));
        SamplingProvider ollama = new OpenAiCompatibleProvider(new ProviderSettings("ollama", ProviderSettings.Type.OPENAI, baseUrl(), null,
                List.of(new ModelRating("llama3.2", 1, 0.5, 0.3)), null, null, null, null, null));
        assertThat(ollama.sample(hello(), "llama3.2").text()).isEqualTo("Rouge.");
        assertThat(standIn.only().json().path("model").asText()).isEqualTo("llama3.2");
    }

    @Test
    void eachCallNamesTheModelItWasAskedFor() {
        standIn.answer(200, ANSWER.formatted("stop", ""));
        SamplingProvider two = new OpenAiCompatibleProvider(new ProviderSettings("vllm", ProviderSettings.Type.OPENAI, baseUrl(), null,
                List.of(new ModelRating("small", 1, 1, 0), new ModelRating("meta-llama/Llama-3.1-8B", 0.5, 0.5, 0.5)), null, null, null, null, null));
        two.sample(hello(), "meta-llama/Llama-3.1-8B");
        two.sample(hello(), "small");
        assertThat(standIn.received()).extracting(r -> r.json().path("model").asText()).containsExactly("meta-llama/Llama-3.1-8B", "small");
    }
}
