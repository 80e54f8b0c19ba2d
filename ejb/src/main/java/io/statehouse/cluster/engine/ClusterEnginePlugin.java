package io.statehouse.cluster.engine;

import java.util.ArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;

import io.statehouse.cluster.ClusterSignals;
import io.statehouse.cluster.NodeIdentity;

/**
 * What the cluster adds to the engine: every new deployment is a {@link ClusterSignals.Topic#DEPLOYED}
 * signal, sent with the deployment's transaction, so that every node's tool list and MCP catalog
 * follow it at once (not at their next refresh). A node that loads a deployment into its cache sends nothing.
 * A named node ({@code STATEHOUSE_NODE_ID}) is the engine's host name, so that the job log in Cockpit and
 * the history API ({@code hostname}) and the metrics' reporter say which node ran a job; an unnamed
 * node keeps the engine's default (its IP address and the engine's name).
 */
@ApplicationScoped
public class ClusterEnginePlugin extends AbstractProcessEnginePlugin {

    @Inject
    ClusterSignals signals;

    @Inject
    NodeIdentity node;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (node.named()) {
            configuration.setHostname(node.id());
        }
        if (configuration.getCustomPostDeployers() == null) {
            configuration.setCustomPostDeployers(new ArrayList<>());
        }
        configuration.getCustomPostDeployers().add((DeploymentEntity deployment) -> {
            if (deployment.isNew()) {
                signals.send(ClusterSignals.Topic.DEPLOYED, deployment.getId());
            }
        });
    }
}
