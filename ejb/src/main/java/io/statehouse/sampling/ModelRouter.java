package io.statehouse.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingProvider.ModelRating;
import io.statehouse.sampling.SamplingRequest.ModelPreferences;

/**
 * Chooses the model that answers a sampling request among the configured ones: an operator's
 * override in the BPMN element wins; else the server's {@code hints}, in order, matched as
 * substrings of configured model names; else the highest weighted score of the operator's ratings
 * by the server's priorities. Ties go to the model configured first.
 */
public final class ModelRouter {

    /** A configured model of a provider, with its ratings. */
    public record Candidate(String provider, ModelRating rating) {
        public Candidate {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(rating, "rating");
        }

        public String model() {
            return rating.model();
        }
    }

    private ModelRouter() {
    }

    /**
     * @param preferences the server's model preferences, or null
     * @param candidates  every configured model, providers in configured order, their models in order
     * @param override    a provider name ({@code claude}) or provider and model ({@code claude/claude-sonnet-4-5}),
     *                    or null/blank for none
     * @throws SamplingException when nothing is configured or the override names nothing configured
     */
    public static Candidate choose(ModelPreferences preferences, List<Candidate> candidates, String override) {
        if (candidates.isEmpty()) {
            throw new SamplingException(Kind.UNSUPPORTED,
                    "no sampling provider is configured: list one in " + ProviderSettings.PROVIDERS, null);
        }
        List<Candidate> eligible = candidates;
        if (override != null && !override.isBlank()) {
            eligible = overridden(candidates, override.trim());
            if (eligible.size() == 1) {
                return eligible.get(0);
            }
        }
        if (preferences != null) {
            for (String hint : preferences.hints()) {
                if (hint == null || hint.isBlank()) {
                    continue;
                }
                String needle = hint.toLowerCase(Locale.ROOT);
                List<Candidate> matching = eligible.stream()
                        .filter(c -> c.model().toLowerCase(Locale.ROOT).contains(needle)).toList();
                if (!matching.isEmpty()) {
                    return best(matching, preferences);
                }
            }
        }
        return best(eligible, preferences);
    }

    /** The weighted score: cost × costPriority + speed × speedPriority + intelligence × intelligencePriority. */
    public static double score(ModelRating rating, ModelPreferences preferences) {
        if (preferences == null) {
            return 0;
        }
        return rating.cost() * weight(preferences.costPriority()) + rating.speed() * weight(preferences.speedPriority())
                + rating.intelligence() * weight(preferences.intelligencePriority());
    }

    private static List<Candidate> overridden(List<Candidate> candidates, String override) {
        List<Candidate> ofProvider = candidates.stream().filter(c -> c.provider().equals(override)).toList();
        if (!ofProvider.isEmpty()) {
            return ofProvider;
        }
        // Model names may themselves contain '/' (vLLM's "meta-llama/Llama-3.1-8B"): split at a provider name.
        for (Candidate c : candidates) {
            if (override.equals(c.provider() + "/" + c.model())) {
                return List.of(c);
            }
        }
        List<String> known = new ArrayList<>();
        candidates.forEach(c -> known.add(c.provider() + "/" + c.model()));
        throw new SamplingException(Kind.UNSUPPORTED, "the sampling override '" + override
                + "' names no configured provider or provider/model (configured: " + String.join(", ", known) + ")", null);
    }

    private static Candidate best(List<Candidate> candidates, ModelPreferences preferences) {
        Candidate best = candidates.get(0);
        double bestScore = score(best.rating(), preferences);
        for (Candidate c : candidates.subList(1, candidates.size())) {
            double s = score(c.rating(), preferences);
            if (s > bestScore) {
                best = c;
                bestScore = s;
            }
        }
        return best;
    }

    private static double weight(Double priority) {
        return priority == null ? 0 : Math.max(0, Math.min(1, priority));
    }
}
