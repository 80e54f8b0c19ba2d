package io.statehouse.mcp.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers the demo MCP server at {@code /statehouse/demo-mcp} when the demo profile is on, and
 * says in one log line where it is or why it is off. The servlet is added here rather than declared
 * because the SDK's transport has no public constructor: it is built, then handed to the container.
 */
@WebListener
public class DemoMcpServerListener implements ServletContextListener {

    static final String PATH = "/demo-mcp";
    static final String SERVLET_NAME = "statehouse-demo-mcp";
    static final String DEMO_PROPERTY = "statehouse.demo";

    private static final Logger LOG = Logger.getLogger(DemoMcpServerListener.class.getName());

    @Resource(lookup = "java:jboss/datasources/StatehouseDS")
    DataSource dataSource;

    private DemoMcpServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Optional<Boolean> configured = ConfigProvider.getConfig().getOptionalValue(DEMO_PROPERTY, Boolean.class);
        Decision decision = decide(configured, this::databaseProductName);
        if (!decision.on()) {
            LOG.info(() -> "Demo MCP server off (" + decision.reason() + "). Set STATEHOUSE_DEMO=true to serve it at "
                    + context.getContextPath() + PATH + ".");
            return;
        }
        Clock clock = Clock.systemDefaultZone();
        DemoMcpServer started;
        try {
            started = DemoMcpServer.start(PATH, ExpenseStore.seeded(clock), clock);
        } catch (RuntimeException | ServiceConfigurationError e) { // the SDK finds its JSON mapper by ServiceLoader
            // A broken demo must not take the rest of Statehouse down with it; the log says why.
            LOG.log(Level.SEVERE, "Demo MCP server off: it failed to start", e);
            return;
        }
        ServletRegistration.Dynamic registration = context.addServlet(SERVLET_NAME, started.servlet());
        if (registration == null) {
            started.close();
            LOG.warning(() -> "Demo MCP server off: a servlet named " + SERVLET_NAME + " is already registered.");
            return;
        }
        registration.setAsyncSupported(true);
        registration.addMapping(PATH);
        server = started;
        LOG.info(() -> "Demo MCP server on (" + decision.reason() + ") at " + context.getContextPath() + PATH
                + " (Streamable HTTP): tools " + DemoTools.RECORD_EXPENSE + ", " + DemoTools.ANALYZE_SPENDING
                + ", " + DemoTools.GENERATE_REPORT + ". Made-up data, in memory.");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Whether the demo server runs, and why, for the log. */
    record Decision(boolean on, String reason) {
    }

    /**
     * The demo profile's rule (the same as the EJB module's {@code DemoProfile}, which is not visible
     * from here): what the operator configured, else on exactly when the database is the embedded H2.
     * The database is asked only when nothing is configured.
     */
    static Decision decide(Optional<Boolean> configured, Supplier<String> databaseProductName) {
        if (configured.isPresent()) {
            return new Decision(configured.get(), DEMO_PROPERTY + "=" + configured.get());
        }
        String database = databaseProductName.get();
        return new Decision("H2".equalsIgnoreCase(database), "database " + database);
    }

    private String databaseProductName() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Cannot tell which database StatehouseDS is; treating it as not H2", e);
            return "unknown";
        }
    }
}
