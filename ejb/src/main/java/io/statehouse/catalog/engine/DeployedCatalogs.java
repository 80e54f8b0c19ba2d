package io.statehouse.catalog.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;

import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogDescriptor;
import io.statehouse.catalog.Catalogs;
import io.statehouse.engine.RunningEngine;

/**
 * The MCP catalog from the deployments: every deployment resource named {@code *.mcp.json} is a
 * descriptor. For each descriptor name the newest deployment holding it is in force, as the newest
 * version of a process definition is; across descriptors, the newer deployment's entry wins.
 * Deployments never change, so each is read once, and a refused entry is logged once.
 */
@ApplicationScoped
public class DeployedCatalogs implements Catalogs {

    private static final Logger LOG = Logger.getLogger(DeployedCatalogs.class.getName());

    @Inject
    RunningEngine runningEngine;

    /** The descriptors of each deployment read so far, by deployment id; most deployments have none. */
    private final Map<String, Map<String, Catalog>> byDeployment = new ConcurrentHashMap<>();

    @Override
    public Catalog current() {
        RepositoryService repository = runningEngine.require().getRepositoryService();
        List<Deployment> newestFirst = repository.createDeploymentQuery().orderByDeploymentTime().desc().list();
        Set<String> deployed = new HashSet<>();
        Map<String, Catalog> inForce = new LinkedHashMap<>();
        for (Deployment deployment : newestFirst) {
            deployed.add(deployment.getId());
            byDeployment.computeIfAbsent(deployment.getId(), id -> read(repository, deployment)).forEach(inForce::putIfAbsent);
        }
        byDeployment.keySet().retainAll(deployed);
        return Catalog.firstWins(new ArrayList<>(inForce.values()));
    }

    private static Map<String, Catalog> read(RepositoryService repository, Deployment deployment) {
        List<String> names = repository.getDeploymentResourceNames(deployment.getId());
        Map<String, Catalog> descriptors = new LinkedHashMap<>();
        for (String name : names) {
            if (!CatalogDescriptor.isDescriptor(name)) {
                continue;
            }
            CatalogDescriptor descriptor = CatalogDescriptor.read(name, bytes(repository, deployment.getId(), name),
                    file -> names.contains(file) ? Optional.of(bytes(repository, deployment.getId(), file)) : Optional.empty());
            descriptor.problems().forEach(problem -> LOG.warning(() -> "MCP catalog descriptor " + name + " of deployment '"
                    + deployment.getName() + "' (" + deployment.getId() + "): " + problem));
            descriptors.put(name, descriptor.catalog());
            LOG.info(() -> "MCP catalog descriptor " + name + " of deployment '" + deployment.getName() + "' (" + deployment.getId()
                    + "): " + descriptor.catalog().resources().size() + " resource(s), " + descriptor.catalog().templates().size()
                    + " template(s), " + descriptor.catalog().prompts().size() + " prompt(s)");
        }
        return descriptors;
    }

    private static byte[] bytes(RepositoryService repository, String deploymentId, String name) {
        try (InputStream in = repository.getResourceAsStream(deploymentId, name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " of deployment " + deploymentId, e);
        }
    }
}
