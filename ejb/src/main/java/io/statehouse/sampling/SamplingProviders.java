package io.statehouse.sampling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * The configured providers, built from MicroProfile Config: the names in
 * {@code statehouse.sampling.providers}, each with its settings under
 * {@code statehouse.sampling.provider.<name>.}. None is required; an empty registry is valid.
 */
public final class SamplingProviders {

    private final Map<String, SamplingProvider> byName = new LinkedHashMap<>();

    /** A registry of the given providers, in this order (routing ties go to the first). */
    public SamplingProviders(List<? extends SamplingProvider> providers) {
        for (SamplingProvider provider : providers) {
            if (byName.putIfAbsent(provider.name(), provider) != null) {
                throw new IllegalArgumentException("sampling provider '" + provider.name() + "' is configured twice");
            }
        }
    }

    /**
     * Builds every provider the configuration lists.
     *
     * @throws IllegalArgumentException naming the property that is missing or malformed
     */
    public static SamplingProviders fromConfig(Config config) {
        List<SamplingProvider> providers = new ArrayList<>();
        for (String name : ProviderSettings.names(config)) {
            providers.add(create(ProviderSettings.read(config, name)));
        }
        return new SamplingProviders(providers);
    }

    /** The provider for one configured entry. */
    public static SamplingProvider create(ProviderSettings settings) {
        return switch (settings.type()) {
            case OPENAI -> new OpenAiCompatibleProvider(settings);
            case ANTHROPIC -> new AnthropicProvider(settings);
            case GEMINI -> new GeminiProvider(settings);
            case BEDROCK -> new BedrockProvider(settings);
        };
    }

    public List<SamplingProvider> all() {
        return List.copyOf(byName.values());
    }

    public Optional<SamplingProvider> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Every configured model, providers in configured order, for {@link ModelRouter}. */
    public List<ModelRouter.Candidate> candidates() {
        List<ModelRouter.Candidate> candidates = new ArrayList<>();
        for (SamplingProvider provider : byName.values()) {
            provider.models().forEach(rating -> candidates.add(new ModelRouter.Candidate(provider.name(), rating)));
        }
        return candidates;
    }
}
