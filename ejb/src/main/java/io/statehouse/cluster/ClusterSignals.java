package io.statehouse.cluster;

import java.util.function.Consumer;

/**
 * Wakes the nodes of a cluster: what a node changed in the database that another node may hold in
 * memory. A signal carries ids, never data (the receiver reads the database); it reaches every
 * node, the sender included, and only if the sender's transaction commits. On the embedded default
 * (H2, one node) signals stay in this node.
 */
public interface ClusterSignals {

    /** What a signal is about; each names one kind of hand-off between nodes. */
    enum Topic {
        /** A remote MCP server's question was answered; payload: the call instance and the request id. */
        QUESTION_ANSWERED,
        /** A run that a tool call started has ended; payload: the run's process instance id. */
        RUN_ENDED,
        /** A run that a tool call started stopped at an incident; payload: the run and why. */
        RUN_STOPPED,
        /** A run reached a task marked for its caller; payload: the task id. */
        CALLER_TASK_CREATED,
        /** A task marked for the caller was completed or went away; payload: the task id. */
        CALLER_TASK_DONE,
        /** A run reported progress for its caller (a step completed, or its progress variables written); payload: what and whose. */
        CALLER_PROGRESS,
        /** Something was deployed; payload: the deployment id. */
        DEPLOYED
    }

    /**
     * Sends the signal with the current engine transaction: it goes out if that commits. Outside an
     * engine transaction it goes out at once.
     *
     * @param payload at most a few hundred characters: ids, not data
     */
    void send(Topic topic, String payload);

    /**
     * Hears every signal of the topic from now on, on the node's one listening thread, in the order the
     * signals were committed: a listener must be quick (a read, a future completed) and idempotent.
     */
    void listen(Topic topic, Consumer<String> listener);

    /**
     * Runs {@code sweep} every sweep interval while this node is one of a cluster: what a feature
     * holds in memory is compared with the database there, so that a signal that was lost only delays.
     */
    void sweep(Runnable sweep);

    /** Whether other nodes can hear this one (false on the embedded single-node default). */
    boolean clustered();
}
