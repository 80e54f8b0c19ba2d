package io.statehouse.sampling;

import java.time.Duration;

/**
 * A provider's answer, reported truthfully.
 *
 * @param text         the reply
 * @param model        the model that answered, as the provider names it
 * @param stopReason   {@code endTurn}, {@code stopSequence}, {@code maxTokens}, or the provider's own reason
 * @param inputTokens  tokens read, or -1 when the provider does not say
 * @param outputTokens tokens written, or -1 when the provider does not say
 * @param latency      from request to answer
 */
public record SamplingResult(String text, String model, String stopReason, long inputTokens, long outputTokens, Duration latency) {
}
