package io.statehouse.web.rest;

import java.util.HashSet;
import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.camunda.bpm.engine.rest.impl.CamundaRestResources;

/**
 * Camunda's public engine REST API for programmatic clients, at {@code /statehouse/engine-rest}.
 * Authentication is the {@code ProcessEngineAuthenticationFilter} declared in {@code web.xml}.
 */
@ApplicationPath(EngineRestApplication.PATH)
public class EngineRestApplication extends Application {

    public static final String PATH = "/engine-rest";

    @Override
    public Set<Class<?>> getClasses() {
        Set<Class<?>> classes = new HashSet<>(CamundaRestResources.getResourceClasses());
        classes.addAll(CamundaRestResources.getConfigurationClasses());
        return classes;
    }
}
