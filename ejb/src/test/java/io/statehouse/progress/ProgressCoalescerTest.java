package io.statehouse.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressCoalescerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Progress> written = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aChattyServerCostsOneWritePerIntervalAndTheLastReportIsKept() {
        ProgressCoalescer coalescer = new ProgressCoalescer(Duration.ofHours(1), written::add, scheduler);

        for (int i = 1; i <= 10_000; i++) {
            coalescer.offer(new Progress(i, 10_000.0, "step " + i));
        }
        coalescer.close();

        // The first report is written at once, everything after it within the hour waits; close writes the newest.
        assertThat(written).hasSizeLessThanOrEqualTo(2);
        assertThat(written.get(written.size() - 1)).isEqualTo(new Progress(10_000, 10_000.0, "step 10000"));
        assertThat(coalescer.statistics()).isEqualTo("10000 progress reports, " + written.size() + " writes");
    }

    @Test
    void reportsWithinTheIntervalAreWrittenWhenItIsOverWithoutWaitingForClose() {
        ProgressCoalescer coalescer = new ProgressCoalescer(Duration.ofMillis(50), written::add, scheduler);

        coalescer.offer(new Progress(1, null, null));
        awaitAttempts(written, 1);
        coalescer.offer(new Progress(2, null, "second"));
        coalescer.offer(new Progress(3, null, "third"));
        awaitAttempts(written, 2);

        // The reports within the interval after the first write are coalesced into one later write of the newest.
        assertThat(written).containsExactly(new Progress(1, null, null), new Progress(3, null, "third"));
    }

    @Test
    void aReportThatWasOvertakenIsDropped() {
        ProgressCoalescer coalescer = new ProgressCoalescer(Duration.ofHours(1), written::add, scheduler);

        coalescer.offer(new Progress(1, 3.0, null));
        awaitAttempts(written, 1);
        coalescer.offer(new Progress(3, 3.0, "done"));
        coalescer.offer(new Progress(2, 3.0, "late"));
        coalescer.close();

        assertThat(written).containsExactly(new Progress(1, 3.0, null), new Progress(3, 3.0, "done"));
    }

    @Test
    void nothingIsTakenAfterClose() {
        ProgressCoalescer coalescer = new ProgressCoalescer(Duration.ofMillis(1), written::add, scheduler);
        coalescer.close();

        coalescer.offer(new Progress(1, null, null));

        assertThat(written).isEmpty();
    }

    @Test
    void aFailedWriteDoesNotStopTheNextOne() {
        List<Progress> attempts = new CopyOnWriteArrayList<>();
        ProgressCoalescer coalescer = new ProgressCoalescer(Duration.ofHours(1), p -> {
            attempts.add(p);
            if (attempts.size() == 1) {
                throw new IllegalStateException("database busy");
            }
        }, scheduler);

        coalescer.offer(new Progress(1, null, null));
        awaitAttempts(attempts, 1);
        coalescer.offer(new Progress(2, null, null));
        coalescer.close();

        assertThat(attempts).containsExactly(new Progress(1, null, null), new Progress(2, null, null));
    }

    private static void awaitAttempts(List<Progress> attempts, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (attempts.size() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(attempts).as("writes within 10 s").hasSizeGreaterThanOrEqualTo(count);
    }
}
