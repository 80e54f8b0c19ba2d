package io.statehouse.progress;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a run's progress at most once per interval, however often the server reports it, and
 * never loses the last report: a chatty server cannot flood the database, and what the run shows
 * at the end is what the server said last.
 *
 * <p>A report that arrives within the interval after a write replaces any report still waiting and
 * is written when the interval is over; {@link #close()} writes what is still waiting at once.
 */
public final class ProgressCoalescer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProgressCoalescer.class.getName());

    private final long intervalNanos;
    private final Consumer<Progress> writer;
    private final ScheduledExecutorService scheduler;
    private final Object writeLock = new Object();

    private Progress waiting;
    private Progress newest;
    private boolean flushScheduled;
    private boolean closed;
    private long lastWrite = Long.MIN_VALUE;
    private long written;
    private long received;

    public ProgressCoalescer(Duration interval, Consumer<Progress> writer, ScheduledExecutorService scheduler) {
        this.intervalNanos = Objects.requireNonNull(interval, "interval").toNanos();
        this.writer = Objects.requireNonNull(writer, "writer");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Takes a report; it is written now, or when the interval since the last write is over. A report
     * behind one already taken is dropped: the specification has progress grow with each report, and
     * notifications may overtake each other on their way here.
     */
    public void offer(Progress progress) {
        Objects.requireNonNull(progress, "progress");
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            received++;
            if (newest != null && progress.progress() < newest.progress()) {
                return;
            }
            newest = progress;
            waiting = progress;
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
            long now = System.nanoTime();
            delay = lastWrite == Long.MIN_VALUE ? 0 : Math.max(0, lastWrite + intervalNanos - now);
        }
        scheduler.schedule(this::flush, delay, TimeUnit.NANOSECONDS);
    }

    /** Writes what is still waiting, and takes no more reports. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        flush();
    }

    /** How many reports were received and how many writes they cost, for the log. */
    public synchronized String statistics() {
        return received + " progress reports, " + written + " writes";
    }

    private void flush() {
        // Writes one at a time, each taking the newest report: the last write is always the last report.
        synchronized (writeLock) {
            writeNewest();
        }
    }

    private void writeNewest() {
        Progress next;
        synchronized (this) {
            flushScheduled = false;
            next = waiting;
            waiting = null;
            if (next == null) {
                return;
            }
            lastWrite = System.nanoTime();
            written++;
        }
        try {
            writer.accept(next);
        } catch (RuntimeException e) {
            // A failed write must not stop the next one; the run keeps its earlier progress meanwhile.
            LOG.log(Level.WARNING, "Could not record progress " + next, e);
        }
    }
}
