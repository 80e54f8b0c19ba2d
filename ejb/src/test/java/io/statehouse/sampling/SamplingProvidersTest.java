package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.statehouse.sampling.SamplingProvider.ModelRating;

/** Building the providers from MicroProfile Config: names, types, models, ratings, limits, and the errors an operator sees. */
class SamplingProvidersTest {

    static Map<String, String> fourProviders() {
        Map<String, String> c = new HashMap<>();
        c.put("statehouse.sampling.providers", "ollama, claude,gemini , bedrock");
        c.put("statehouse.sampling.provider.ollama.type", "openai");
        c.put("statehouse.sampling.provider.ollama.base-url", "http://127.0.0.1:11434/v1");
        c.put("statehouse.sampling.provider.ollama.models", "llama3.2, qwen2.5:7b");
        c.put("statehouse.sampling.provider.ollama.model.llama3.2.cost", "1");
        c.put("statehouse.sampling.provider.ollama.model.llama3.2.intelligence", "0.2");
        c.put("statehouse.sampling.provider.claude.type", "Anthropic");
        c.put("statehouse.sampling.provider.claude.api-key", "sk-ant-secret");
        c.put("statehouse.sampling.provider.claude.models", "claude-sonnet-4-5");
        c.put("statehouse.sampling.provider.claude.timeout", "PT2M");
        c.put("statehouse.sampling.provider.claude.max-tokens", "4096");
        c.put("statehouse.sampling.provider.gemini.type", "gemini");
        c.put("statehouse.sampling.provider.gemini.api-key", "AIza-secret");
        c.put("statehouse.sampling.provider.gemini.models", "gemini-2.5-flash");
        c.put("statehouse.sampling.provider.bedrock.type", "bedrock");
        c.put("statehouse.sampling.provider.bedrock.region", "eu-central-1");
        c.put("statehouse.sampling.provider.bedrock.access-key-id", "AKID");
        c.put("statehouse.sampling.provider.bedrock.secret-access-key", "aws-secret");
        c.put("statehouse.sampling.provider.bedrock.models", "anthropic.claude-3-haiku-20240307-v1:0");
        return c;
    }

    @Test
    void noProvidersIsAValidEmptyRegistry() {
        SamplingProviders providers = SamplingProviders.fromConfig(new MapConfig(Map.of()));
        assertThat(providers.isEmpty()).isTrue();
        assertThat(providers.candidates()).isEmpty();
    }

    @Test
    void buildsEveryListedProviderInOrderWithItsModelsAndRatings() {
        SamplingProviders providers = SamplingProviders.fromConfig(new MapConfig(fourProviders()));
        assertThat(providers.all()).extracting(SamplingProvider::name).containsExactly("ollama", "claude", "gemini", "bedrock");
        assertThat(providers.get("ollama")).containsInstanceOf(OpenAiCompatibleProvider.class);
        assertThat(providers.get("claude")).containsInstanceOf(AnthropicProvider.class);
        assertThat(providers.get("gemini")).containsInstanceOf(GeminiProvider.class);
        assertThat(providers.get("bedrock")).containsInstanceOf(BedrockProvider.class);
        assertThat(providers.get("ollama").orElseThrow().models()).containsExactly(
                new ModelRating("llama3.2", 1.0, 0.5, 0.2), new ModelRating("qwen2.5:7b", 0.5, 0.5, 0.5));
        assertThat(providers.candidates()).extracting(ModelRouter.Candidate::model)
                .containsExactly("llama3.2", "qwen2.5:7b", "claude-sonnet-4-5", "gemini-2.5-flash", "anthropic.claude-3-haiku-20240307-v1:0");
    }

    @Test
    void readsTimeoutCapAndDefaults() {
        MapConfig config = new MapConfig(fourProviders());
        ProviderSettings claude = ProviderSettings.read(config, "claude");
        assertThat(claude.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(claude.cappedMaxTokens(10_000)).isEqualTo(4096);
        assertThat(claude.cappedMaxTokens(100)).isEqualTo(100);
        ProviderSettings ollama = ProviderSettings.read(config, "ollama");
        assertThat(ollama.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ollama.cappedMaxTokens(10_000)).isEqualTo(10_000);
    }

    @Test
    void settingsNeverShowTheirSecrets() {
        MapConfig config = new MapConfig(fourProviders());
        assertThat(ProviderSettings.read(config, "claude").toString()).doesNotContain("sk-ant-secret").contains("apiKey=***");
        assertThat(ProviderSettings.read(config, "bedrock").toString()).doesNotContain("aws-secret").doesNotContain("AKID");
    }

    @Test
    void anUnknownTypeNamesThePropertyAndTheChoices() {
        Map<String, String> c = fourProviders();
        c.put("statehouse.sampling.provider.claude.type", "claude");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(c)))
                .hasMessage("statehouse.sampling.provider.claude.type is 'claude': expected openai, anthropic, gemini or bedrock");
    }

    @Test
    void missingSettingsNameTheProperty() {
        Map<String, String> noKey = fourProviders();
        noKey.remove("statehouse.sampling.provider.claude.api-key");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(noKey)))
                .hasMessageContaining("statehouse.sampling.provider.claude.api-key is not set");
        Map<String, String> noModels = fourProviders();
        noModels.remove("statehouse.sampling.provider.gemini.models");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(noModels)))
                .hasMessageContaining("statehouse.sampling.provider.gemini.models is not set");
        Map<String, String> noRegion = fourProviders();
        noRegion.remove("statehouse.sampling.provider.bedrock.region");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(noRegion)))
                .hasMessageContaining("statehouse.sampling.provider.bedrock.region is not set");
        Map<String, String> noType = fourProviders();
        noType.remove("statehouse.sampling.provider.ollama.type");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(noType)))
                .hasMessageContaining("statehouse.sampling.provider.ollama.type is not set");
    }

    @Test
    void ratingsOutsideZeroToOneAreRejected() {
        Map<String, String> c = fourProviders();
        c.put("statehouse.sampling.provider.ollama.model.llama3.2.speed", "5");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(c)))
                .hasMessage("statehouse.sampling.provider.ollama.model.llama3.2.speed is '5': expected a number from 0 to 1");
    }

    @Test
    void aProviderListedTwiceIsRejected() {
        Map<String, String> c = fourProviders();
        c.put("statehouse.sampling.providers", "ollama,ollama");
        assertThatThrownBy(() -> SamplingProviders.fromConfig(new MapConfig(c))).hasMessageContaining("'ollama' is configured twice");
    }
}
