package io.statehouse.web.rest;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * Statehouse's own REST API, at {@code /statehouse/api}; HTTP Basic against the engine's users, like
 * the engine REST API (see {@code web.xml}).
 */
@ApplicationPath(ApiApplication.PATH)
public class ApiApplication extends Application {

    public static final String PATH = "/api";

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(RemoteServersResource.class, SamplingUsageResource.class);
    }
}
