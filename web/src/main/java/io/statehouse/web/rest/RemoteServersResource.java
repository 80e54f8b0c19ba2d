package io.statehouse.web.rest;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.statehouse.engine.identity.CurrentUser;
import io.statehouse.mcp.client.RemoteServer;
import io.statehouse.mcp.client.RemoteServerRegistry;

/**
 * The registry of remote MCP servers, {@code /statehouse/api/mcp-servers}: every authenticated user
 * may list it, members of {@code camunda-admin} may change it. Entries from the server's
 * configuration are shown but cannot be changed here.
 */
@Path("/mcp-servers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RemoteServersResource {

    @Inject
    RemoteServerRegistry registry;

    @Inject
    CurrentUser currentUser;

    @GET
    public List<RemoteServerDto> list() {
        return registry.all().stream().map(RemoteServerDto::of).toList();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        return registry.find(name).map(s -> Response.ok(RemoteServerDto.of(s)).build())
                .orElseGet(() -> error(Status.NOT_FOUND, "MCP server '" + name + "' is not registered"));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("name") String name, RemoteServerRegistration registration) {
        if (!currentUser.isAdministrator()) {
            return error(Status.FORBIDDEN, "Only members of camunda-admin may change the MCP server registry");
        }
        if (registration == null || registration.url() == null || registration.url().isBlank()) {
            return error(Status.BAD_REQUEST, "A JSON object with \"url\" (and optionally \"authorization\") is required");
        }
        RemoteServer server;
        try {
            server = new RemoteServer(name, RemoteServer.parseUrl(name, registration.url()), registration.authorization(), RemoteServer.Source.API);
        } catch (IllegalArgumentException e) {
            return error(Status.BAD_REQUEST, e.getMessage());
        }
        try {
            boolean created = registry.put(server);
            return Response.status(created ? Status.CREATED : Status.OK).entity(RemoteServerDto.of(server)).build();
        } catch (IllegalStateException e) {
            return error(Status.CONFLICT, e.getMessage());
        }
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        if (!currentUser.isAdministrator()) {
            return error(Status.FORBIDDEN, "Only members of camunda-admin may change the MCP server registry");
        }
        try {
            return registry.remove(name) ? Response.noContent().build()
                    : error(Status.NOT_FOUND, "MCP server '" + name + "' is not registered");
        } catch (IllegalStateException e) {
            return error(Status.CONFLICT, e.getMessage());
        }
    }

    private static Response error(Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
