package io.statehouse.mcp.server.protocol;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogPrompt;
import io.statehouse.catalog.CatalogResource;
import io.statehouse.catalog.Catalogs;
import io.statehouse.catalog.ResourceTemplate;
import io.statehouse.mcp.server.ToolRuns;

/**
 * Keeps both eras in step with the deployments: every few seconds the deployed tools and the MCP
 * catalog in force are read, applied to the stateful server (whose sessions the SDK tells), and
 * what changed is told to the 2026-07-28 {@code subscriptions/listen} streams.
 */
public final class DeploymentWatcher implements AutoCloseable {

    /** How often the deployments are read; 2026-07-28 clients may keep a list this long. */
    static final long INTERVAL_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(DeploymentWatcher.class.getName());

    private final ToolRuns runs;
    private final Catalogs catalogs;
    private final StatefulServer stateful;
    private final StatelessServer stateless;
    private final ScheduledFuture<?> refreshing;

    public DeploymentWatcher(ToolRuns runs, Catalogs catalogs, StatefulServer stateful, StatelessServer stateless, ScheduledExecutorService scheduler) {
        this.runs = runs;
        this.catalogs = catalogs;
        this.stateful = stateful;
        this.stateless = stateless;
        // Not now: the web module builds the server while the engine may still be starting.
        this.refreshing = scheduler.scheduleWithFixedDelay(this::refresh, 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Brings the tools and the catalog in step with the deployments, and tells the clients what
     * changed: every few seconds, and at once when a node signals a deployment. One at a time.
     */
    public synchronized void refresh() {
        try {
            if (stateful.tools(runs.tools())) {
                stateless.listChanged("tools");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not refresh the MCP tool list", e);
        }
        try {
            Catalog before = stateful.catalog();
            Catalog after = catalogs.current();
            stateful.catalog(after);
            tellListeners(before, after);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not refresh the MCP catalog", e);
        }
    }

    /** The catalog's changes for the 2026-07-28 listen streams (the stateful era's clients hear them from the SDK). */
    private void tellListeners(Catalog before, Catalog after) {
        if (!names(before.prompts(), CatalogPrompt::name).equals(names(after.prompts(), CatalogPrompt::name))) {
            stateless.listChanged("prompts");
        }
        if (!names(before.resources(), CatalogResource::uri).equals(names(after.resources(), CatalogResource::uri))
                || !names(before.templates(), ResourceTemplate::uriTemplate).equals(names(after.templates(), ResourceTemplate::uriTemplate))) {
            stateless.listChanged("resources");
        }
        for (CatalogResource resource : after.resources()) {
            before.resource(resource.uri()).filter(old -> !old.contents().equals(resource.contents()))
                    .ifPresent(old -> stateless.resourceUpdated(resource.uri()));
        }
    }

    private static <T> Set<String> names(List<T> entries, Function<T, String> name) {
        return entries.stream().map(name).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        refreshing.cancel(false);
    }
}
