package io.statehouse.sampling;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;

/**
 * A provider that speaks OpenAI's Chat Completions API at a configurable base URL: OpenAI itself,
 * or Ollama ({@code http://localhost:11434/v1}), vLLM, LM Studio and most gateways. Takes images
 * and audio ({@code input_audio}); whether the chosen model understands them is the server's
 * business. A key is optional (local servers need none).
 */
public class OpenAiCompatibleProvider extends LangChain4jSamplingProvider {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    public OpenAiCompatibleProvider(ProviderSettings settings) {
        super(settings);
    }

    @Override
    protected ChatModel buildChatModel(RecordingHttpClientBuilder http) {
        return OpenAiChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(settings.baseUrl() != null ? settings.baseUrl() : DEFAULT_BASE_URL)
                // Local servers take no key, but the client insists on one; they ignore the header.
                .apiKey(settings.apiKey() != null ? settings.apiKey() : "none")
                .modelName(settings.models().get(0).model())
                .timeout(settings.timeout())
                .maxRetries(0)
                .build();
    }

    @Override
    protected String apiName() {
        return "OpenAI-compatible";
    }

    @Override
    protected boolean acceptsImages() {
        return true;
    }

    @Override
    protected boolean acceptsAudio() {
        return true;
    }

    /**
     * {@code stop} covers both a natural end and a stop sequence in OpenAI's API; vLLM says which
     * sequence in {@code stop_reason}, so that case is reported as {@code stopSequence}.
     */
    @Override
    protected String stopReason(FinishReason finishReason, Optional<JsonNode> raw) {
        Optional<String> reason = text(raw, "choices", "0", "finish_reason");
        if (reason.isEmpty()) {
            return commonStopReason(finishReason);
        }
        return switch (reason.get()) {
            case "stop" -> text(raw, "choices", "0", "stop_reason").isPresent() ? "stopSequence" : "endTurn";
            case "length" -> "maxTokens";
            default -> reason.get();
        };
    }
}
