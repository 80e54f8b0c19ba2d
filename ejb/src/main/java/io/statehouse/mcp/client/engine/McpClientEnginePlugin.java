package io.statehouse.mcp.client.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * What Statehouse as an MCP client adds to the engine: the beans that the *Call an MCP tool* model
 * names in its expressions ({@code ${mcpToolCallRequested}}, {@code ${mcpQuestionTasks}},
 * {@code ${mcpSamplingModel}}).
 */
@ApplicationScoped
public class McpClientEnginePlugin extends AbstractProcessEnginePlugin {

    @Inject
    ToolCallRequested toolCallRequested;

    @Inject
    QuestionTasks questionTasks;

    @Inject
    SamplingModelTask samplingModelTask;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.getBeans().put(ToolCallRequested.BEAN, toolCallRequested);
        configuration.getBeans().put(QuestionTasks.BEAN, questionTasks);
        configuration.getBeans().put(SamplingModelTask.BEAN, samplingModelTask);
    }
}
