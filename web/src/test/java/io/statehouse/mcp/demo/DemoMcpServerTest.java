package io.statehouse.mcp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.spec.McpSchema.Tool;

class DemoMcpServerTest {

    @Test
    void theServerBuildsWithSchemasTheSdkAcceptsAndListsTheThreeTools() {
        // McpServer.sync(..).build() checks every input and output schema against JSON Schema 2020-12.
        try (DemoMcpServer server = DemoMcpServer.start(DemoMcpServerListener.PATH,
                ExpenseStore.seeded(ExpenseStoreTest.NOV_26), ExpenseStoreTest.NOV_26)) {

            assertThat(server.mcpServer().getServerInfo().name()).isEqualTo("statehouse-demo");
            assertThat(server.mcpServer().getServerCapabilities().tools()).isNotNull();
            assertThat(server.mcpServer().getServerCapabilities().logging()).isNotNull();
            assertThat(server.mcpServer().listTools()).extracting(Tool::name, Tool::title, Tool::description)
                    .containsExactly(
                            tuple("record_expense", "Record an expense", "Record an expense; asks a person for the details."),
                            tuple("analyze_spending", "Analyse spending",
                                    "Analyse spending by category; asks the client's model for a summary."),
                            tuple("generate_report", "Generate a monthly report",
                                    "Generate a monthly expense report, reporting progress."));
            assertThat(server.mcpServer().listTools()).allSatisfy(tool -> {
                assertThat(tool.inputSchema()).containsEntry("type", "object");
                assertThat(tool.outputSchema()).containsEntry("type", "object");
            });
            assertThat(server.servlet()).isNotNull();
        }
    }

    @Test
    void theServerWaitsHoursForWhatItAsksOfTheClient() {
        assertThat(DemoMcpServer.REQUEST_TIMEOUT).isGreaterThanOrEqualTo(Duration.ofHours(24));
    }
}
