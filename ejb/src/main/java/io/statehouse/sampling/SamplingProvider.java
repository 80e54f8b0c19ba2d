package io.statehouse.sampling;

import java.util.List;

/**
 * Something that answers sampling requests with a model: an OpenAI-compatible endpoint, Anthropic,
 * Amazon Bedrock, Google Gemini. Configured by the operator; several at once.
 */
public interface SamplingProvider {

    /** The provider's configured name, as BPMN elements refer to it ({@code mcpSamplingProvider}). */
    String name();

    /** The models this provider offers, with the operator's ratings, for routing. */
    List<ModelRating> models();

    /**
     * Answers the request with the given model (one of {@link #models()}); runs on the caller's
     * thread.
     *
     * @throws SamplingException with a message a person can act on, never containing a secret
     */
    SamplingResult sample(SamplingRequest request, String model);

    /**
     * A model and the operator's ratings of it from 0 (worst) to 1 (best): cost (1 = cheapest),
     * speed (1 = fastest) and intelligence (1 = most capable).
     */
    record ModelRating(String model, double cost, double speed, double intelligence) {
    }
}
