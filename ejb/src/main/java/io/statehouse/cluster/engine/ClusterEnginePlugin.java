package io.statehouse.cluster.engine;

import java.util.ArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;

import io.statehouse.cluster.ClusterSignals;

/**
 * What the cluster adds to the engine: every new deployment is a {@link ClusterSignals.Topic#DEPLOYED}
 * signal, sent with the deployment's transaction, so that every node's tool list and MCP catalog
 * follow it at once (not at their next refresh). A node that loads a deployment into its cache sends nothing.
 */
@ApplicationScoped
public class ClusterEnginePlugin extends AbstractProcessEnginePlugin {

    @Inject
    ClusterSignals signals;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
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
