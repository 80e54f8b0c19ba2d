package io.statehouse.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import io.statehouse.sampling.ModelRouter.Candidate;
import io.statehouse.sampling.SamplingException.Kind;
import io.statehouse.sampling.SamplingProvider.ModelRating;
import io.statehouse.sampling.SamplingRequest.ModelPreferences;

/** The routing rules: override, then hints in order, then the weighted score, ties to the first configured. */
class ModelRouterTest {

    static final Candidate HAIKU = new Candidate("claude", new ModelRating("claude-haiku-4-5", 0.8, 0.9, 0.5));
    static final Candidate SONNET = new Candidate("claude", new ModelRating("claude-sonnet-4-5", 0.3, 0.5, 0.9));
    static final Candidate MINI = new Candidate("openai", new ModelRating("gpt-4o-mini", 0.9, 0.8, 0.4));
    static final Candidate LLAMA = new Candidate("vllm", new ModelRating("meta-llama/Llama-3.1-8B", 1.0, 0.6, 0.3));
    static final List<Candidate> ALL = List.of(HAIKU, SONNET, MINI, LLAMA);

    static ModelPreferences prefs(List<String> hints, Double cost, Double speed, Double intelligence) {
        return new ModelPreferences(hints, cost, speed, intelligence);
    }

    @Test
    void anOverrideOfProviderAndModelWinsOverHintsAndPriorities() {
        assertThat(ModelRouter.choose(prefs(List.of("sonnet"), 0.0, 0.0, 1.0), ALL, "openai/gpt-4o-mini")).isEqualTo(MINI);
    }

    @Test
    void anOverrideOfAModelWhoseNameHasASlashIsFound() {
        assertThat(ModelRouter.choose(null, ALL, "vllm/meta-llama/Llama-3.1-8B")).isEqualTo(LLAMA);
    }

    @Test
    void anOverrideOfAProviderChoosesAmongItsModelsByPreferences() {
        assertThat(ModelRouter.choose(prefs(List.of(), null, null, 1.0), ALL, "claude")).isEqualTo(SONNET);
        assertThat(ModelRouter.choose(prefs(List.of("haiku"), null, null, 1.0), ALL, "claude")).isEqualTo(HAIKU);
        assertThat(ModelRouter.choose(null, ALL, "claude")).as("no preferences: the first configured").isEqualTo(HAIKU);
    }

    @Test
    void anOverrideThatNamesNothingConfiguredIsRejectedWithTheChoices() {
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> ModelRouter.choose(null, ALL, "gemini"));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e).hasMessageContaining("'gemini'").hasMessageContaining("claude/claude-sonnet-4-5");
    }

    @Test
    void theFirstHintThatMatchesWinsOverPriorities() {
        ModelPreferences p = prefs(List.of("gemini", "SONNET", "mini"), 1.0, 1.0, 0.0);
        assertThat(ModelRouter.choose(p, ALL, null)).isEqualTo(SONNET);
    }

    @Test
    void aHintIsASubstringOfTheModelName() {
        assertThat(ModelRouter.choose(prefs(List.of("llama"), null, null, null), ALL, "  ")).isEqualTo(LLAMA);
    }

    @Test
    void aHintMatchingSeveralModelsIsDecidedByPriorities() {
        assertThat(ModelRouter.choose(prefs(List.of("claude"), null, null, 1.0), ALL, null)).isEqualTo(SONNET);
        assertThat(ModelRouter.choose(prefs(List.of("claude"), null, 1.0, null), ALL, null)).isEqualTo(HAIKU);
    }

    @Test
    void withoutMatchingHintsTheWeightedScoreDecides() {
        assertThat(ModelRouter.choose(prefs(List.of("gemini"), null, null, 1.0), ALL, null)).isEqualTo(SONNET);
        assertThat(ModelRouter.choose(prefs(List.of(), 1.0, null, null), ALL, null)).isEqualTo(LLAMA);
        assertThat(ModelRouter.choose(prefs(List.of(), null, 1.0, null), ALL, null)).isEqualTo(HAIKU);
        // 0.5 cost + 0.5 speed: haiku 0.85, mini 0.85, llama 0.8 — the tie goes to the first configured.
        assertThat(ModelRouter.choose(prefs(List.of(), 0.5, 0.5, null), ALL, null)).isEqualTo(HAIKU);
    }

    @Test
    void theScoreIsTheWeightedSumOfRatings() {
        assertThat(ModelRouter.score(SONNET.rating(), prefs(List.of(), 0.2, 0.4, 0.6))).isCloseTo(0.3 * 0.2 + 0.5 * 0.4 + 0.9 * 0.6,
                Offset.offset(1e-9));
    }

    @Test
    void withoutPreferencesTheFirstConfiguredModelAnswers() {
        assertThat(ModelRouter.choose(null, ALL, null)).isEqualTo(HAIKU);
        assertThat(ModelRouter.choose(prefs(null, null, null, null), List.of(MINI, HAIKU), null)).isEqualTo(MINI);
    }

    @Test
    void nothingConfiguredIsAClearError() {
        SamplingException e = catchThrowableOfType(SamplingException.class, () -> ModelRouter.choose(null, List.of(), null));
        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e).hasMessageContaining("no sampling provider is configured").hasMessageContaining("statehouse.sampling.providers");
    }
}
