package io.statehouse.mcp.server.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServlet;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.catalog.engine.DeployedCatalogs;
import io.statehouse.cluster.ClusterSignals;
import io.statehouse.engine.identity.Credentials;
import io.statehouse.mcp.server.protocol.AllowedHosts;
import io.statehouse.mcp.server.protocol.DeploymentWatcher;
import io.statehouse.mcp.server.protocol.McpHttpEndpoint;
import io.statehouse.mcp.server.protocol.StatefulServer;
import io.statehouse.mcp.server.protocol.StatefulSessions;
import io.statehouse.mcp.server.protocol.StatelessResponses;
import io.statehouse.mcp.server.protocol.StatelessServer;
import io.statehouse.mcp.server.protocol.rounds.RequestStateCodec;
import io.statehouse.mcp.server.protocol.rounds.ToolCallRounds;

/**
 * The MCP endpoint's server and its authentication: HTTP Basic against the engine's users, or a
 * bearer token that the operator maps to a user ({@code statehouse.mcp.server.tokens}, entries
 * {@code user:token} separated by commas). Every call runs as that user.
 */
@ApplicationScoped
public class McpServerEndpoint {

    /** The servlet's path inside {@code /statehouse}. */
    public static final String PATH = "/mcp";

    private static final Logger LOG = Logger.getLogger(McpServerEndpoint.class.getName());

    @Inject
    ProcessTools tools;

    @Inject
    DeployedCatalogs catalogs;

    @Inject
    Credentials credentials;

    @Inject
    RequestStateSecret requestStateSecret;

    @Inject
    ClusterSignals signals;

    /** How long a client has to answer a round of questions (MCP 2026-07-28); the run waits in the Tasklist after that. */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.request-state.ttl", defaultValue = "PT1H")
    Duration requestStateTtl;

    /** How often a caller that follows a tool call as a task (MCP tasks extension) is asked to poll it. */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.tasks.poll-interval", defaultValue = "PT1S")
    Duration taskPollInterval;

    /** How long after its creation a task is served; unset: as long as its run's history is kept. */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.tasks.ttl")
    Optional<Duration> taskTtl;

    /** How often an open MCP 2026-07-28 stream is written a comment, so that a caller that closed it is noticed (and its call cancelled). */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.stream-heartbeat", defaultValue = "PT5S")
    Duration streamHeartbeat;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "statehouse.mcp.server.allowed-hosts")
    Optional<List<String>> allowedHosts;

    @Inject
    @ConfigProperty(name = "statehouse.mcp.server.session-idle-timeout", defaultValue = "PT30M")
    Duration sessionIdleTimeout;

    @Inject
    @ConfigProperty(name = "statehouse.mcp.server.tokens")
    Optional<List<String>> tokens;

    private StatefulServer stateful;
    private DeploymentWatcher watcher;
    private HttpServlet servlet;

    /**
     * Builds the server once, both eras on one front door; the web module registers the servlet.
     * The stateless era answers from the catalog the stateful server last applied, so both serve the same.
     */
    public synchronized HttpServlet servlet() {
        if (servlet == null) {
            StatefulSessions sessions = new StatefulSessions(sessionIdleTimeout, scheduler);
            stateful = new StatefulServer(tools, sessions, executor);
            RequestStateCodec requestStates = new RequestStateCodec(requestStateSecret.key(), requestStateTtl, Clock.systemUTC());
            StatelessServer stateless = new StatelessServer(tools, new ToolCallRounds(tools, requestStates, executor), executor, stateful::catalog,
                    taskPollInterval, taskTtl, scheduler);
            watcher = new DeploymentWatcher(tools, catalogs, stateful, stateless, scheduler);
            DeploymentWatcher following = watcher;
            signals.listen(ClusterSignals.Topic.DEPLOYED, deployment -> executor.execute(following::refresh));
            servlet = new McpHttpEndpoint(new AllowedHosts(allowedHosts.orElse(List.of())), sessions, new StatelessResponses(stateless, streamHeartbeat, scheduler));
            LOG.info(() -> "MCP server at /statehouse" + PATH + " (HTTP Basic, " + tokenUsers().size() + " bearer token(s) configured;"
                    + " idle sessions end after " + sessionIdleTimeout + ")");
        }
        return servlet;
    }

    /**
     * The user an {@code Authorization} header names, when its credentials are right.
     *
     * @return empty for a missing, malformed or wrong credential
     */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String user = decoded.substring(0, colon);
            return credentials.check(user, decoded.substring(colon + 1)) ? Optional.of(user) : Optional.empty();
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            for (Map.Entry<String, String> entry : tokenUsers().entrySet()) {
                if (MessageDigest.isEqual(presented, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                    return Optional.of(entry.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private Map<String, String> tokenUsers() {
        Map<String, String> byToken = new HashMap<>();
        for (String entry : tokens.orElse(List.of())) {
            int colon = entry.indexOf(':');
            if (colon > 0 && colon < entry.length() - 1) {
                byToken.put(entry.substring(colon + 1).trim(), entry.substring(0, colon).trim());
            }
        }
        return byToken;
    }

    @PreDestroy
    synchronized void close() {
        if (watcher != null) {
            watcher.close();
            stateful.close();
        }
    }
}
