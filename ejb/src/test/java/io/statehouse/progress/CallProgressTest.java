package io.statehouse.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class CallProgressTest {

    @Test
    void eachCompletedActivityIsOneStepWithoutTotal() {
        CallProgress progress = new CallProgress();
        assertEquals(Optional.of(new Progress(1, null, "Completed: Check")), progress.activityCompleted("Check"));
        assertEquals(Optional.of(new Progress(2, null, "Completed: Approve")), progress.activityCompleted("Approve"));
    }

    @Test
    void theRunsOwnReportsTakeOverTheScaleShiftedByTheStepsAlreadySent() {
        CallProgress progress = new CallProgress();
        progress.activityCompleted("Start");
        progress.activityCompleted("Load");
        assertEquals(Optional.of(new Progress(3, 13.0, "Sending")), progress.reported(0, 10.0, "Sending"),
                "a run that counts from zero is heard at once");
        assertTrue(progress.activityCompleted("Send one").isEmpty(), "activities are no longer progress");
        assertEquals(Optional.of(new Progress(6, 13.0, "Sending")), progress.reported(3, null, null), "total and message are kept");
        assertEquals(Optional.of(new Progress(13, 13.0, "Sent")), progress.reported(10, null, "Sent"));
    }

    @Test
    void aRunThatReportsFromTheStartKeepsItsOwnScale() {
        CallProgress progress = new CallProgress();
        assertEquals(Optional.of(new Progress(0, 4.0, null)), progress.reported(0, 4.0, null));
        assertEquals(Optional.of(new Progress(1, 4.0, null)), progress.reported(1, null, null));
    }

    @Test
    void aReportThatDoesNotGoForwardIsNotSent() {
        CallProgress progress = new CallProgress();
        progress.reported(5, 10.0, null);
        assertTrue(progress.reported(5, null, "again").isEmpty());
        assertTrue(progress.reported(3, null, null).isEmpty());
        assertTrue(progress.reported(Double.NaN, null, null).isEmpty());
        assertEquals(Optional.of(new Progress(6, 10.0, "again")), progress.reported(6, null, null),
                "a message that came with a report not sent goes with the next");
    }
}
