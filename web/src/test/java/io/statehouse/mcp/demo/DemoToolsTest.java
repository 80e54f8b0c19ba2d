package io.statehouse.mcp.demo;

import static io.statehouse.mcp.demo.ScriptedClient.parse;
import static io.statehouse.mcp.demo.ScriptedClient.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

class DemoToolsTest {

    static final Clock NOV_26 = Clock.fixed(Instant.parse("2026-11-26T09:00:00Z"), ZoneOffset.UTC);
    static final JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    final ExpenseStore store = ExpenseStore.seeded(NOV_26);
    final DemoTools tools = new DemoTools(store, NOV_26, ScriptedClient.JSON);
    final ScriptedClient client = new ScriptedClient();

    static final ClientCapabilities EVERYTHING = ClientCapabilities.builder().elicitation().sampling().build();
    static final ClientCapabilities NOTHING = ClientCapabilities.builder().build();

    static final String ACCEPTED = """
            {"action": "accept", "content": {"amount": 64.2, "currency": "GBP", "category": "meals",
             "date": "2026-11-25", "description": "Dinner with the client", "billable": true,
             "tags": ["client-visit"], "contact": "ana@example.com"}}
            """;

    @Test
    void recordExpenseAsksWithTheFormAndStoresTheAcceptedAnswer() {
        client.answering(McpSchema.METHOD_ELICITATION_CREATE, ACCEPTED);

        CallToolResult result = tools.recordExpense(exchange(EVERYTHING), call(DemoTools.RECORD_EXPENSE,
                Map.of("note", "Dinner in London"), null));

        assertThat(client.requests).hasSize(1);
        Map<String, Object> asked = parse(client.requests.get(0).json());
        assertThat(asked.get("mode")).isEqualTo("form");
        assertThat((String) asked.get("message")).contains("Note from the agent: Dinner in London");
        assertThat(asked.get("requestedSchema")).isEqualTo(parse(ExpenseFormTest.EXPECTED_SCHEMA));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(text(result)).startsWith("Recorded exp-9: 2026-11-25  exp-9  meals  GBP 64.2  Dinner with the client");
        assertThat(parse(write(result.structuredContent()))).isEqualTo(parse("""
                {"recorded": true, "action": "accept",
                 "expense": {"id": "exp-9", "amount": 64.2, "currency": "GBP", "category": "meals", "date": "2026-11-25",
                             "description": "Dinner with the client", "billable": true, "tags": ["client-visit"],
                             "contact": "ana@example.com"}}
                """));
        assertThat(store.all()).hasSize(9);
        assertConformsToOutputSchema(DemoTools.RECORD_EXPENSE, result);
    }

    @Test
    void aDeclinedFormRecordsNothingAndIsNoError() {
        client.answering(McpSchema.METHOD_ELICITATION_CREATE, "{\"action\": \"decline\"}");

        CallToolResult result = tools.recordExpense(exchange(EVERYTHING), call(DemoTools.RECORD_EXPENSE, Map.of(), null));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(text(result)).isEqualTo("Nothing was recorded: the person declined to enter the expense.");
        assertThat(result.structuredContent()).isEqualTo(Map.of("recorded", false, "action", "decline"));
        assertThat(store.all()).hasSize(8);
        assertConformsToOutputSchema(DemoTools.RECORD_EXPENSE, result);
    }

    @Test
    void aCancelledFormRecordsNothingAndIsNoError() {
        client.answering(McpSchema.METHOD_ELICITATION_CREATE, "{\"action\": \"cancel\"}");

        CallToolResult result = tools.recordExpense(exchange(EVERYTHING), call(DemoTools.RECORD_EXPENSE, null, null));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(text(result)).startsWith("Nothing was recorded");
        assertThat(result.structuredContent()).isEqualTo(Map.of("recorded", false, "action", "cancel"));
        assertThat(store.all()).hasSize(8);
    }

    @Test
    void anAcceptedAnswerThatViolatesTheFormIsAnErrorAndRecordsNothing() {
        client.answering(McpSchema.METHOD_ELICITATION_CREATE, """
                {"action": "accept", "content": {"amount": -5, "category": "meals", "date": "2026-11-25"}}
                """);

        CallToolResult result = tools.recordExpense(exchange(EVERYTHING), call(DemoTools.RECORD_EXPENSE, null, null));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("Nothing was recorded", "amount must be between 0.01 and 100000");
        assertThat(store.all()).hasSize(8);
    }

    @Test
    void recordExpenseWithoutElicitationIsAClearErrorAndAsksNothing() {
        CallToolResult result = tools.recordExpense(exchange(NOTHING), call(DemoTools.RECORD_EXPENSE, null, null));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("did not declare the elicitation capability");
        assertThat(client.requests).isEmpty();
    }

    @Test
    void aClientWithUrlElicitationOnlyHasNoForms() {
        assertThat(DemoTools.declaresFormElicitation(ClientCapabilities.builder().elicitation(false, true).build())).isFalse();
        assertThat(DemoTools.declaresFormElicitation(ClientCapabilities.builder().elicitation(true, true).build())).isTrue();
        assertThat(DemoTools.declaresFormElicitation(ClientCapabilities.builder().elicitation().build())).isTrue();
    }

    @Test
    void analyzeSpendingReportsProgressAndAsksTheClientsModel() {
        client.answering(McpSchema.METHOD_SAMPLING_CREATE_MESSAGE, """
                {"role": "assistant", "content": {"type": "text", "text": "Travel and lodging dominate."},
                 "model": "claude-sonnet-4-5", "stopReason": "endTurn"}
                """);

        CallToolResult result = tools.analyzeSpending(exchange(EVERYTHING),
                call(DemoTools.ANALYZE_SPENDING, Map.of(), "analysis-1"));

        Map<String, Object> sampling = parse(client.requests.get(0).json());
        assertThat(client.requests.get(0).method()).isEqualTo("sampling/createMessage");
        assertThat(sampling.get("systemPrompt")).isEqualTo(DemoTools.SAMPLING_SYSTEM_PROMPT);
        assertThat(sampling.get("maxTokens")).isEqualTo(400);
        assertThat(sampling.get("includeContext")).isEqualTo("none");
        assertThat(write(sampling.get("messages"))).contains("\"role\":\"user\"", "travel (EUR): 420.00 in 1 expense",
                "software (USD): 20.00 in 1 expense");

        assertThat(client.notifications("notifications/progress")).extracting(n -> parse(n.json()))
                .extracting(n -> n.get("progressToken"), n -> n.get("progress"), n -> n.get("total"))
                .containsExactly(tuple("analysis-1", 1.0, 3.0),
                        tuple("analysis-1", 2.0, 3.0),
                        tuple("analysis-1", 3.0, 3.0));

        assertThat(text(result)).startsWith("Travel and lodging dominate.\n\nSpending by category (8 expenses");
        Map<String, Object> analysis = parse(write(result.structuredContent()));
        assertThat(analysis).containsEntry("expenseCount", 8).containsEntry("summary", "Travel and lodging dominate.")
                .containsEntry("model", "claude-sonnet-4-5").doesNotContainKey("note");
        // On the wire, exactly as the store keeps them: two decimals, no floating-point noise.
        assertThat(write(result.structuredContent())).contains(
                "[{\"category\":\"travel\",\"currency\":\"EUR\",\"count\":1,\"total\":420.00},"
                + "{\"category\":\"lodging\",\"currency\":\"EUR\",\"count\":1,\"total\":389.00}");
        assertConformsToOutputSchema(DemoTools.ANALYZE_SPENDING, result);
    }

    @Test
    void analyzeSpendingWithoutSamplingReturnsTheTotalsWithANote() {
        CallToolResult result = tools.analyzeSpending(exchange(NOTHING), call(DemoTools.ANALYZE_SPENDING, null, null));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(client.requests).isEmpty();
        assertThat(client.notifications).as("no progress without a progress token").isEmpty();
        assertThat(text(result)).endsWith("No model summary: the client did not declare the sampling capability.");
        assertThat(parse(write(result.structuredContent()))).containsKeys("totals", "note").doesNotContainKey("summary");
        assertConformsToOutputSchema(DemoTools.ANALYZE_SPENDING, result);
    }

    @Test
    void analyzeSpendingWhenTheModelFailsStillReturnsTheTotals() {
        // No scripted answer: the client's sampling request fails.
        CallToolResult result = tools.analyzeSpending(exchange(EVERYTHING), call(DemoTools.ANALYZE_SPENDING, null, null));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(text(result)).contains("No model summary: the client's model did not answer");
        assertConformsToOutputSchema(DemoTools.ANALYZE_SPENDING, result);
    }

    @Test
    void generateReportSendsOneProgressAndOneLogMessagePerStep() {
        CallToolResult result = tools.generateReport(exchange(NOTHING), call(DemoTools.GENERATE_REPORT,
                Map.of("month", "2026-11", "steps", 3, "stepMillis", 0), 7));

        assertThat(client.notifications("notifications/progress")).extracting(n -> parse(n.json()))
                .extracting(n -> n.get("progressToken"), n -> n.get("progress"), n -> n.get("total"), n -> n.get("message"))
                .containsExactly(
                        tuple(7, 1.0, 3.0, "Step 1 of 3: totalling by category"),
                        tuple(7, 2.0, 3.0, "Step 2 of 3: checking the entries"),
                        tuple(7, 3.0, 3.0, "Step 3 of 3: laying out the report"));
        assertThat(client.notifications("notifications/message")).extracting(n -> parse(n.json()))
                .allSatisfy(n -> assertThat(n).containsEntry("level", "info").containsEntry("logger", "statehouse-demo"))
                .extracting(n -> n.get("data"))
                .containsExactly("generate_report 2026-11: Step 1 of 3: totalling by category",
                        "generate_report 2026-11: Step 2 of 3: checking the entries",
                        "generate_report 2026-11: Step 3 of 3: laying out the report");

        Map<String, Object> report = parse(write(result.structuredContent()));
        assertThat(report).containsEntry("month", "2026-11").containsEntry("expenseCount", 7);
        assertThat(write(result.structuredContent())).contains("\"billable\":[{\"currency\":\"EUR\",\"total\":832.80}]");
        assertThat(text(result)).startsWith("Expense report for 2026-11: 7 expenses").contains("Billable: EUR 832.80");
        assertConformsToOutputSchema(DemoTools.GENERATE_REPORT, result);
    }

    @Test
    void generateReportDefaultsToTheCurrentMonthAndLogsEvenWithoutAProgressToken() {
        CallToolResult result = tools.generateReport(exchange(NOTHING), call(DemoTools.GENERATE_REPORT,
                Map.of("stepMillis", 0), null));

        assertThat(client.notifications("notifications/progress")).isEmpty();
        assertThat(client.notifications("notifications/message")).hasSize(DemoTools.DEFAULT_STEPS);
        assertThat(parse(write(result.structuredContent()))).containsEntry("month", "2026-11");
    }

    @Test
    void generateReportForAnEmptyMonthSaysSo() {
        CallToolResult result = tools.generateReport(exchange(NOTHING), call(DemoTools.GENERATE_REPORT,
                Map.of("month", "2020-01", "steps", 1, "stepMillis", 0), null));

        assertThat(text(result)).isEqualTo("Expense report for 2020-01: 0 expenses");
        assertConformsToOutputSchema(DemoTools.GENERATE_REPORT, result);
    }

    @Test
    void generateReportRejectsArgumentsOutOfRangeEvenIfTheSdkLetThemThrough() {
        CallToolResult badMonth = tools.generateReport(exchange(NOTHING), call(DemoTools.GENERATE_REPORT,
                Map.of("month", "2026-13"), null));
        CallToolResult tooManySteps = tools.generateReport(exchange(NOTHING), call(DemoTools.GENERATE_REPORT,
                Map.of("steps", 21), null));

        assertThat(badMonth.isError()).isTrue();
        assertThat(text(badMonth)).isEqualTo("month must be a month such as 2026-11, not 2026-13");
        assertThat(tooManySteps.isError()).isTrue();
        assertThat(text(tooManySteps)).isEqualTo("steps must be a whole number from 1 to 20, not 21");
        assertThat(client.notifications).isEmpty();
    }

    @Test
    void theLastStepIsAlwaysTheLastPhase() {
        assertThat(DemoTools.phase(1, 1)).isEqualTo("laying out the report");
        assertThat(DemoTools.phase(20, 20)).isEqualTo("laying out the report");
        assertThat(DemoTools.phase(1, 20)).isEqualTo("collecting the month's expenses");
        assertThat(DemoTools.phase(1, 5)).isEqualTo("collecting the month's expenses");
    }

    @Test
    void theSdkValidatesToolInputsAgainstTheInputSchemas() {
        assertThat(VALIDATOR.validate(tool(DemoTools.GENERATE_REPORT).inputSchema(),
                Map.of("month", "2026-11", "steps", 20, "stepMillis", 0)).valid()).isTrue();
        assertThat(VALIDATOR.validate(tool(DemoTools.GENERATE_REPORT).inputSchema(), Map.of("steps", 0)).valid()).isFalse();
        assertThat(VALIDATOR.validate(tool(DemoTools.GENERATE_REPORT).inputSchema(), Map.of("month", "11/2026")).valid())
                .isFalse();
        assertThat(VALIDATOR.validate(tool(DemoTools.RECORD_EXPENSE).inputSchema(), Map.of("amount", 3)).valid()).isFalse();
        assertThat(VALIDATOR.validate(tool(DemoTools.ANALYZE_SPENDING).inputSchema(), Map.of()).valid()).isTrue();
    }

    @Test
    void anOutputSchemaRejectsWhatDoesNotFitIt() {
        // Proof that the validation in assertConformsToOutputSchema can fail.
        assertThat(VALIDATOR.validate(tool(DemoTools.RECORD_EXPENSE).outputSchema(), Map.of("recorded", "yes")).valid())
                .isFalse();
        assertThat(VALIDATOR.validate(tool(DemoTools.GENERATE_REPORT).outputSchema(), Map.of("month", "2026-11")).valid())
                .isFalse();
    }

    private McpSyncServerExchange exchange(ClientCapabilities capabilities) {
        return client.exchange(capabilities);
    }

    private static CallToolRequest call(String name, Map<String, Object> arguments, Object progressToken) {
        return new CallToolRequest(name, arguments, progressToken == null ? null : Map.of("progressToken", progressToken));
    }

    private static String text(CallToolResult result) {
        assertThat(result.content()).hasSize(1);
        return ((TextContent) result.content().get(0)).text();
    }

    private Tool tool(String name) {
        return tools.specifications().stream().map(s -> s.tool()).filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow();
    }

    /** What the SDK does with a tool's result before it sends it, when the tool declares an outputSchema. */
    private void assertConformsToOutputSchema(String toolName, CallToolResult result) {
        var validation = VALIDATOR.validate(tool(toolName).outputSchema(), result.structuredContent());
        assertThat(validation.valid()).as(validation.errorMessage()).isTrue();
    }
}
