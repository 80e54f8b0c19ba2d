package io.statehouse.cluster;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which node of a cluster this is: the one setting {@code statehouse.node.id}
 * ({@code STATEHOUSE_NODE_ID}), which also names the node's transaction manager (the server
 * configuration reads the same variable). Each node of a cluster sets its own; the embedded
 * single-node default needs none.
 */
@ApplicationScoped
public class NodeIdentity {

    /** The default node id; two nodes that both keep it are told apart by their worker ids' random part only. */
    public static final String DEFAULT = "statehouse";

    @Inject
    @ConfigProperty(name = "statehouse.node.id", defaultValue = DEFAULT)
    String id;

    /** This node's id; {@link #DEFAULT} where the operator set none. */
    public String id() {
        return id;
    }

    /** Whether the operator named this node ({@code STATEHOUSE_NODE_ID}), as each node of a cluster does. */
    public boolean named() {
        return !DEFAULT.equals(id);
    }

    /**
     * A worker id for the engine's external tasks, unique to this node and this start: the node's id
     * (so that Cockpit shows which node holds a task) and a random part.
     */
    public String workerId(String worker) {
        return worker + "@" + id + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
