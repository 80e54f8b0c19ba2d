package io.statehouse.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
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
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;

import org.camunda.bpm.container.RuntimeContainerDelegate;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.JakartaTransactionProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.impl.plugin.AdministratorAuthorizationPlugin;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.bpmn.ProcessModels;
import io.statehouse.db.DatabaseMigrations;
import io.statehouse.engine.mcp.QuestionTasks;
import io.statehouse.engine.mcp.SamplingModelTask;
import io.statehouse.engine.mcp.SamplingModels;
import io.statehouse.engine.mcp.ToolCallRequested;
import io.statehouse.engine.tools.CallerProgress;
import io.statehouse.engine.tools.CallerQuestions;
import io.statehouse.engine.tools.RunEnds;
import io.statehouse.engine.tools.RunIncidents;
import io.statehouse.mcp.client.McpServerConfiguration;
import io.statehouse.mcp.client.McpServerRegistry;

/**
 * Starts the embedded process engine when the application starts and stops it when it stops.
 *
 * <p>In order: the schema is migrated (or, with {@code statehouse.db.migrate=false}, only checked),
 * the engine is built on the container's JTA transaction manager and {@value #DATASOURCE}, it is
 * registered with Camunda's runtime container so that the Camunda web apps and REST API find it,
 * the shipped process models are deployed, the shared Tasklist filters are created once, the
 * configured first administrator is created, and the demo profile runs.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class EngineBootstrap {

    /** The container-managed datasource; the server configuration decides whether it is H2 or PostgreSQL. */
    public static final String DATASOURCE = "java:jboss/datasources/StatehouseDS";
    /** The engine's name, as the web apps and {@code /engine-rest} address it. */
    public static final String ENGINE_NAME = ProcessEngines.NAME_DEFAULT;

    private static final Logger LOG = Logger.getLogger(EngineBootstrap.class.getName());

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
    DemoSetup demoSetup;

    @Inject
    TasklistFilters tasklistFilters;

    @Inject
    InitialAdministrator initialAdministrator;

    @Inject
    @ConfigProperty(name = "statehouse.demo")
    Optional<Boolean> demoConfigured;

    @Inject
    Config config;

    @Inject
    McpServerRegistry mcpServers;

    @Inject
    ToolCallRequested toolCallRequested;

    @Inject
    QuestionTasks questionTasks;

    @Inject
    RunEnds runEnds;

    @Inject
    CallerQuestions callerQuestions;

    @Inject
    CallerProgress callerProgress;

    @Inject
    SamplingModelTask samplingModelTask;

    @Inject
    SamplingModels samplingModels;

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
            tasklistFilters.createOnce(processEngine);
            initialAdministrator.createIfConfigured(processEngine);
            demoSetup.seedIfEnabled(processEngine, database);
            mcpServers.applyConfiguration(McpServerConfiguration.read(config, demo));
            // A mistake in the sampling providers' configuration stops the start here, naming the property.
            LOG.info("Sampling providers: " + samplingModels.service().providers().all().stream().map(p -> p.name()).toList());
        } catch (RuntimeException e) {
            // A half-started application must not leave a registered engine behind for the web apps.
            stop();
            throw e;
        }
        LOG.info(() -> "Process engine '" + ENGINE_NAME + "' started on " + database + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    /** The running engine, or null before it started and after it stopped. */
    public ProcessEngine processEngine() {
        return processEngine;
    }

    @PreDestroy
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void stop() {
        ProcessEngine engine = processEngine;
        if (engine != null) {
            processEngine = null;
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
        // Hears the end of every run, for the MCP tool calls that wait for one.
        config.setCustomPostBPMNParseListeners(new java.util.ArrayList<>(List.of(runEnds, callerQuestions, callerProgress)));
        // Beside the engine's own history (kept in full): the run's progress variables, as progress for its caller.
        config.setCustomHistoryEventHandlers(new java.util.ArrayList<>(List.of(callerProgress)));
        // Beside the engine's own incident handlers, so that a tool call waiting for a run hears of its incidents.
        config.setCompositeIncidentHandlersEnabled(true);
        config.setCustomIncidentHandlers(new java.util.ArrayList<>(List.of(
                new RunIncidents(org.camunda.bpm.engine.runtime.Incident.FAILED_JOB_HANDLER_TYPE, runEnds),
                new RunIncidents(org.camunda.bpm.engine.runtime.Incident.EXTERNAL_TASK_HANDLER_TYPE, runEnds))));
        // Beans that BPMN models name in expressions (${mcpQuestionTasks}); only these, no container lookup.
        config.setBeans(Map.of(ToolCallRequested.BEAN, toolCallRequested, QuestionTasks.BEAN, questionTasks,
                SamplingModelTask.BEAN, samplingModelTask));
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
            throw new IllegalStateException("Cannot reach the database behind " + DATASOURCE + ": " + e.getMessage(), e);
        }
    }
}
