package io.statehouse.progress;

/**
 * A run's progress as the last {@code notifications/progress} said it.
 *
 * @param progress how far the work is (grows with each report)
 * @param total    the total, when the server knows it
 * @param message  what the server says it is doing, or null
 */
public record Progress(double progress, Double total, String message) {
}
