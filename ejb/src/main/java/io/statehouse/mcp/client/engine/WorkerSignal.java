package io.statehouse.mcp.client.engine;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes the tool-call worker when a run has just committed a new call, so that a call starts at
 * once rather than at the worker's next poll.
 */
@ApplicationScoped
public class WorkerSignal {

    private volatile Runnable wake = () -> { };

    void onWake(Runnable wake) {
        this.wake = wake;
    }

    void wake() {
        wake.run();
    }
}
