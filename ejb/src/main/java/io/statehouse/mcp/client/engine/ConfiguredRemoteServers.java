package io.statehouse.mcp.client.engine;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.statehouse.engine.EngineStarted;
import io.statehouse.mcp.client.RemoteServerConfiguration;
import io.statehouse.mcp.client.RemoteServerRegistry;

/**
 * At start, the remote MCP servers named in configuration ({@code statehouse.mcp.client.servers}, and the
 * demo profile's {@code demo}) are written into the registry, replacing what configuration put there
 * before.
 */
@ApplicationScoped
public class ConfiguredRemoteServers {

    @Inject
    Config config;

    @Inject
    RemoteServerRegistry registry;

    void register(@Observes @Priority(EngineStarted.FEATURES) EngineStarted started) {
        registry.applyConfiguration(RemoteServerConfiguration.read(config, started.demo()));
    }
}
