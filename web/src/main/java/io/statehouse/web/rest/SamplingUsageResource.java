package io.statehouse.web.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.statehouse.engine.identity.CurrentUser;
import io.statehouse.sampling.SamplingBudgets;
import io.statehouse.sampling.SamplingModels;
import io.statehouse.sampling.SamplingProvider;

/**
 * {@code /statehouse/api/sampling-usage}: calls, tokens and latency per sampling provider since its
 * first call, with the budget window's counts, for operators (members of {@code camunda-admin}). The
 * counts are the database's, so every node of a cluster answers the same.
 */
@Path("/sampling-usage")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SamplingUsageResource {

    @Inject
    SamplingModels models;

    @Inject
    CurrentUser currentUser;

    @GET
    public Response usage() {
        if (!currentUser.isAdministrator()) {
            return Response.status(Response.Status.FORBIDDEN).entity(Map.of("message", "Only members of camunda-admin may read the sampling usage")).build();
        }
        Map<String, Object> providers = new LinkedHashMap<>();
        for (SamplingProvider provider : models.service().providers().all()) {
            SamplingBudgets.Usage usage = models.service().budgets().usage(provider.name());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("calls", usage.totalCalls());
            row.put("tokens", usage.totalTokens());
            row.put("latencyMillis", usage.totalLatency().toMillis());
            row.put("callsInWindow", usage.callsInWindow());
            row.put("tokensInWindow", usage.tokensInWindow());
            providers.put(provider.name(), row);
        }
        return Response.ok(Map.of("providers", providers)).build();
    }
}
