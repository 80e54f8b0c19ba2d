package io.statehouse.sampling;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.output.FinishReason;

/**
 * A provider on Google's Gemini API ({@code generateContent}). Takes images and audio as inline
 * data. Gemini's {@code STOP} covers both a natural end and a stop sequence, so both are reported as
 * {@code endTurn}; its other reasons ({@code SAFETY}, {@code RECITATION}, ...) are passed through.
 */
public class GeminiProvider extends LangChain4jSamplingProvider {

    public GeminiProvider(ProviderSettings settings) {
        super(settings);
    }

    @Override
    protected ChatModel buildChatModel(RecordingHttpClientBuilder http) {
        GoogleAiGeminiChatModel.GoogleAiGeminiChatModelBuilder builder = GoogleAiGeminiChatModel.builder()
                .httpClientBuilder(http)
                .apiKey(settings.requireApiKey())
                .modelName(settings.models().get(0).model())
                .timeout(settings.timeout())
                .maxRetries(0);
        if (settings.baseUrl() != null) {
            builder.baseUrl(settings.baseUrl());
        }
        return builder.build();
    }

    @Override
    protected String apiName() {
        return "Gemini";
    }

    @Override
    protected boolean acceptsImages() {
        return true;
    }

    @Override
    protected boolean acceptsAudio() {
        return true;
    }

    @Override
    protected String stopReason(FinishReason finishReason, Optional<JsonNode> raw) {
        Optional<String> reason = text(raw, "candidates", "0", "finishReason");
        if (reason.isEmpty()) {
            return commonStopReason(finishReason);
        }
        return switch (reason.get()) {
            case "STOP" -> "endTurn";
            case "MAX_TOKENS" -> "maxTokens";
            default -> reason.get();
        };
    }
}
