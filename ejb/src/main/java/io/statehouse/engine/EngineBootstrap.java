package io.statehouse.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;

import org.camunda.bpm.container.RuntimeContainerDelegate;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.JakartaTransactionProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.impl.plugin.AdministratorAuthorizationPlugin;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.bpmn.ProcessModels;
import io.statehouse.db.DatabaseMigrations;
import io.statehouse.persistence.OwnTransactions;

/**
 * Starts the embedded process engine when the application starts and stops it when it stops.
 *
 * <p>In order: the schema is migrated (or, with {@code statehouse.db.migrate=false}, only checked),
 * the engine is built on the container's JTA transaction manager and {@value #DATASOURCE}, it is
 * registered with Camunda's runtime container so that the Camunda web apps and REST API find it,
 * the shipped process models are deployed, the engine is published as the {@link RunningEngine}, and
 * {@link EngineStarted} is fired for the features' start-up chores.
 *
 * <p>The bootstrap knows no feature: each contributes a {@link ProcessEnginePlugin} bean (its parse
 * listeners, history and incident handlers, the beans its models name in expressions), applied here
 * after the engine's own plugins.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class EngineBootstrap {

    /** The container-managed datasource; the server configuration decides whether it is H2 or PostgreSQL. */
    public static final String DATASOURCE = OwnTransactions.DATASOURCE;
    /** The engine's name, as the web apps and {@code /engine-rest} address it. */
    public static final String ENGINE_NAME = ProcessEngines.NAME_DEFAULT;

    private static final Logger LOG = Logger.getLogger(EngineBootstrap.class.getName());
    /** H2's error code when a database file is open in another process ({@code DATABASE_ALREADY_OPEN_1}). */
    private static final int H2_DATABASE_IN_USE = 90020;

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    @Resource(lookup = "java:jboss/TransactionManager")
    TransactionManager transactionManager;

    @Resource(lookup = "java:jboss/ee/concurrency/executor/statehouse-jobs")
    ManagedExecutorService jobExecutorService;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threadFactory;

    @Inject
    @ConfigProperty(name = "statehouse.db.migrate", defaultValue = "true")
    boolean migrateSchema;

    @Inject
    @ConfigProperty(name = "statehouse.demo")
    Optional<Boolean> demoConfigured;

    /** Each feature's contribution to the engine (parse listeners, history and incident handlers, expression beans). */
    @Inject
    @Any
    Instance<ProcessEnginePlugin> featurePlugins;

    @Inject
    RunningEngine running;

    @Inject
    Event<EngineStarted> engineStarted;

    private volatile ProcessEngine processEngine;

    /** Runs outside a transaction: Flyway and the engine manage their own. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        long started = System.nanoTime();
        String database = databaseProductName();
        prepareSchema(database);
        processEngine = configuration().buildProcessEngine();
        RuntimeContainerDelegate.INSTANCE.get().registerProcessEngine(processEngine);
        try {
            boolean demo = DemoProfile.enabled(demoConfigured, database);
            deploy(ProcessModels.DEPLOYMENT_NAME, ProcessModels.RESOURCES);
            if (demo) {
                deploy(ProcessModels.DEMO_DEPLOYMENT_NAME, ProcessModels.DEMO_RESOURCES);
            }
            running.started(processEngine);
            engineStarted.fire(new EngineStarted(processEngine, database, demo));
        } catch (RuntimeException e) {
            // A half-started application must not leave a registered engine behind for the web apps.
            stop();
            throw e;
        }
        LOG.info(() -> "Process engine '" + ENGINE_NAME + "' started on " + database + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @PreDestroy
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void stop() {
        ProcessEngine engine = processEngine;
        if (engine != null) {
            processEngine = null;
            running.stopped();
            RuntimeContainerDelegate.INSTANCE.get().unregisterProcessEngine(engine);
            engine.close();
        }
    }

    private void prepareSchema(String database) {
        DatabaseMigrations migrations = DatabaseMigrations.on(dataSource);
        if (migrateSchema) {
            List<String> applied = migrations.migrate();
            LOG.info(() -> applied.isEmpty()
                    ? "Database schema (" + database + ") is up to date"
                    : "Database schema (" + database + ") migrated: " + String.join(", ", applied));
        } else {
            migrations.validate();
            LOG.info("Database schema checked; statehouse.db.migrate=false, so nothing was applied");
        }
    }

    private ProcessEngineConfiguration configuration() {
        JakartaTransactionProcessEngineConfiguration config = new JakartaTransactionProcessEngineConfiguration();
        config.setTransactionManager(transactionManager);
        config.setProcessEngineName(ENGINE_NAME);
        config.setDataSource(dataSource);
        config.setTransactionsExternallyManaged(true);
        // The schema belongs to the migrations in the db module; the engine only checks it.
        config.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_FALSE);
        config.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
        config.setIdGenerator(new StrongUuidGenerator());
        config.setAuthorizationEnabled(true);
        AdministratorAuthorizationPlugin administrators = new AdministratorAuthorizationPlugin();
        administrators.setAdministratorGroupName(Groups.CAMUNDA_ADMIN);
        config.getProcessEnginePlugins().add(administrators);
        config.getProcessEnginePlugins().add(new JsonTemplateFunctions());
        config.getProcessEnginePlugins().add(new SpinProcessEnginePlugin());
        // The features' plugins add to these when the engine is built; the engine's own handlers stay beside them.
        config.setCustomPostBPMNParseListeners(new ArrayList<>());
        config.setCustomHistoryEventHandlers(new ArrayList<>());
        config.setCustomIncidentHandlers(new ArrayList<>());
        config.setCompositeIncidentHandlersEnabled(true);
        // Beans that BPMN models name in expressions come from the features' plugins only, no container lookup.
        config.setBeans(new HashMap<>());
        featurePlugins.forEach(config.getProcessEnginePlugins()::add);
        config.setCustomPreCommandInterceptorsTxRequired(List.of(new BadRequestsUnwrapped()));
        // A BPMN error that nothing catches is an incident, not a silently ended run.
        config.setEnableExceptionsAfterUnhandledBpmnError(true);
        config.setJobExecutor(new ManagedJobExecutor(jobExecutorService, threadFactory));
        config.setJobExecutorActivate(true);
        return config;
    }

    private void deploy(String name, List<String> resources) {
        DeploymentBuilder deployment = processEngine.getRepositoryService().createDeployment()
                .name(name)
                .source(name)
                // Redeploy only when a model changed, so that a restart keeps the versions as they are.
                .enableDuplicateFiltering(false);
        ClassLoader models = ProcessModels.class.getClassLoader();
        for (String resource : resources) {
            try (InputStream model = models.getResourceAsStream(resource)) {
                if (model == null) {
                    throw new IllegalStateException("Process model " + resource + " is missing from the deployment");
                }
                deployment.addInputStream(resource, model);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read process model " + resource, e);
            }
        }
        var deployed = deployment.deployWithResult();
        // Duplicate filtering answers an unchanged set of models with the earlier deployment and no definitions.
        var definitions = deployed.getDeployedProcessDefinitions();
        LOG.info(() -> definitions == null || definitions.isEmpty()
                ? "Process models " + resources + " are unchanged since deployment " + deployed.getId()
                : "Process models deployed: " + definitions.stream().map(d -> d.getKey() + " v" + d.getVersion()).toList()
                        + " (deployment " + deployed.getId() + ")");
    }

    private String databaseProductName() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /**
     * Why the first connection failed, in the operator's terms: an H2 file that another process holds
     * is a second node pointed at the single-node database (or a Statehouse still running on this data
     * directory), and says so; anything else is the driver's message.
     */
    static IllegalStateException unreachable(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
                return new IllegalStateException("The H2 database behind " + DATASOURCE + " is in use by another process: " + sql.getMessage()
                        + ". H2 is Statehouse's single-node default and cannot be shared: a cluster needs PostgreSQL"
                        + " (STATEHOUSE_DB_DRIVER=postgresql and the same STATEHOUSE_DB_URL on every node). On one node: is another"
                        + " Statehouse still running on this data directory?", e);
            }
        }
        return new IllegalStateException("Cannot reach the database behind " + DATASOURCE + ": " + e.getMessage(), e);
    }
}
