package io.statehouse.web.mcp;

import java.util.EnumSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;

import io.statehouse.mcp.server.engine.McpServerEndpoint;

/**
 * Registers Statehouse's MCP server at {@code /statehouse/mcp}, behind {@link McpAuthenticationFilter}.
 */
@WebListener
public class McpEndpointRegistration implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(McpEndpointRegistration.class.getName());

    @Inject
    McpServerEndpoint endpoint;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            ServletRegistration.Dynamic servlet = context.addServlet("statehouse-mcp", endpoint.servlet());
            servlet.setAsyncSupported(true);
            servlet.addMapping(McpServerEndpoint.PATH, McpServerEndpoint.PATH + "/*");
            FilterRegistration.Dynamic filter = context.addFilter("statehouse-mcp-authentication", new McpAuthenticationFilter(endpoint));
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, McpServerEndpoint.PATH, McpServerEndpoint.PATH + "/*");
        } catch (RuntimeException e) {
            // The rest of Statehouse (Tasklist, runs) stays up; the log says why the MCP endpoint is not.
            LOG.log(Level.SEVERE, "The MCP endpoint could not be registered", e);
        }
    }
}
