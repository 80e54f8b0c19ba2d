package io.statehouse.progress;

import java.util.Optional;

/**
 * The progress one tool call reports to its caller, from two sources, always increasing as MCP
 * requires of {@code notifications/progress}.
 * <ul>
 * <li>Until the run reports progress of its own, each completed activity is one step (no total).</li>
 * <li>The run's own reports (its progress variables, with an optional total) take over the scale from
 * their first one, shifted past the steps already sent (one more than their number, so that a run
 * that counts from zero is heard at once). From then
 * on, completed activities are no longer progress (they are still logged), and a report that does
 * not go forward is not sent.</li>
 * </ul>
 * A single call's reports come from the transactions of its run, one at a time; the methods are
 * synchronized all the same, as two transactions of a run may commit on different threads.
 */
public final class CallProgress {

    private Double sent;
    private Double offset;
    private Double total;
    private String message;

    /** An activity of the run has completed: a step, while the run has not reported progress of its own. */
    public synchronized Optional<Progress> activityCompleted(String activity) {
        if (offset != null) {
            return Optional.empty();
        }
        sent = sent == null ? 1 : sent + 1;
        return Optional.of(new Progress(sent, null, "Completed: " + activity));
    }

    /**
     * The run reported its progress. A null total or message keeps the one reported before.
     *
     * @return what to send, unless the value does not go forward
     */
    public synchronized Optional<Progress> reported(double value, Double newTotal, String newMessage) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Optional.empty();
        }
        if (offset == null) {
            offset = sent == null ? 0 : sent + 1;
        }
        if (newTotal != null) {
            total = newTotal;
        }
        if (newMessage != null) {
            message = newMessage;
        }
        double progress = offset + value;
        if (sent != null && progress <= sent) {
            return Optional.empty();
        }
        sent = progress;
        return Optional.of(new Progress(progress, total == null ? null : offset + total, message));
    }
}
