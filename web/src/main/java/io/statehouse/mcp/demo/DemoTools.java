package io.statehouse.mcp.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest.ContextInclusionStrategy;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/**
 * The demo's three tools, standing in for the expense-tracking, spending-analysis and
 * report-generation agents of the Amazon Bedrock AgentCore announcement. Each one exercises one
 * thing a server can ask of its client: a person's input (elicitation), the client's model
 * (sampling), progress and log messages.
 *
 * <p>The handlers block: the SDK runs a synchronous tool on a worker thread of its own for the
 * duration of the call, and its servlet holds the container thread of the POST as well. That is
 * acceptable for a demo that stands in for somebody else's server; it is exactly what Statehouse's
 * own runtime must not do (a pending elicitation there holds a future, not a thread).
 */
final class DemoTools {

    static final String RECORD_EXPENSE = "record_expense";
    static final String ANALYZE_SPENDING = "analyze_spending";
    static final String GENERATE_REPORT = "generate_report";

    static final int SAMPLING_MAX_TOKENS = 400;
    static final int DEFAULT_STEPS = 5;
    static final int MAX_STEPS = 20;
    static final int DEFAULT_STEP_MILLIS = 400;
    static final int MAX_STEP_MILLIS = 5000;

    static final String SAMPLING_SYSTEM_PROMPT = "You are a concise financial analyst. Summarise the spending"
            + " you are given in at most three sentences: where most of the money went and anything unusual."
            + " Amounts are per currency; never convert or add up different currencies.";

    private static final String LOGGER = "statehouse-demo";

    private static final List<String> REPORT_PHASES = List.of("collecting the month's expenses",
            "totalling by category", "totalling what is billable", "checking the entries", "laying out the report");

    private static final String EXPENSE_SCHEMA = """
            {"type": "object",
             "properties": {
               "id": {"type": "string"},
               "amount": {"type": "number"},
               "currency": {"type": "string"},
               "category": {"type": "string"},
               "date": {"type": "string", "format": "date"},
               "description": {"type": "string"},
               "billable": {"type": "boolean"},
               "tags": {"type": "array", "items": {"type": "string"}},
               "contact": {"type": "string"}
             },
             "required": ["id", "amount", "currency", "category", "date", "billable", "tags"]}
            """;

    private static final String TOTAL_SCHEMA = """
            {"type": "object",
             "properties": {
               "category": {"type": "string"},
               "currency": {"type": "string"},
               "count": {"type": "integer"},
               "total": {"type": "number"}
             },
             "required": ["category", "currency", "count", "total"]}
            """;

    static final String RECORD_EXPENSE_INPUT = """
            {"type": "object",
             "properties": {
               "note": {"type": "string", "maxLength": 500,
                        "description": "Shown to the person above the form, e.g. what the expense was for"}
             },
             "additionalProperties": false}
            """;

    // Declined and cancelled forms carry structured content too: with an outputSchema the SDK turns
    // a result without it into an error, and a person saying no is not an error.
    static final String RECORD_EXPENSE_OUTPUT = """
            {"type": "object",
             "properties": {
               "recorded": {"type": "boolean"},
               "action": {"type": "string", "enum": ["accept", "decline", "cancel"]},
               "expense": %s
             },
             "required": ["recorded", "action"]}
            """.formatted(EXPENSE_SCHEMA);

    static final String ANALYZE_SPENDING_INPUT = """
            {"type": "object", "properties": {}, "additionalProperties": false}
            """;

    static final String ANALYZE_SPENDING_OUTPUT = """
            {"type": "object",
             "properties": {
               "expenseCount": {"type": "integer"},
               "totals": {"type": "array", "items": %s},
               "summary": {"type": "string"},
               "model": {"type": "string"},
               "note": {"type": "string"}
             },
             "required": ["expenseCount", "totals"]}
            """.formatted(TOTAL_SCHEMA);

    static final String GENERATE_REPORT_INPUT = """
            {"type": "object",
             "properties": {
               "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
                         "description": "The month to report, YYYY-MM; default: the current month"},
               "steps": {"type": "integer", "minimum": 1, "maximum": %d, "default": %d,
                         "description": "How many progress steps to report"},
               "stepMillis": {"type": "integer", "minimum": 0, "maximum": %d, "default": %d,
                              "description": "Milliseconds between steps"}
             },
             "additionalProperties": false}
            """.formatted(MAX_STEPS, DEFAULT_STEPS, MAX_STEP_MILLIS, DEFAULT_STEP_MILLIS);

    static final String GENERATE_REPORT_OUTPUT = """
            {"type": "object",
             "properties": {
               "month": {"type": "string"},
               "expenseCount": {"type": "integer"},
               "totals": {"type": "array", "items": %s},
               "billable": {"type": "array", "items": {"type": "object",
                            "properties": {"currency": {"type": "string"}, "total": {"type": "number"}},
                            "required": ["currency", "total"]}},
               "expenses": {"type": "array", "items": %s}
             },
             "required": ["month", "expenseCount", "totals", "billable", "expenses"]}
            """.formatted(TOTAL_SCHEMA, EXPENSE_SCHEMA);

    private final ExpenseStore store;
    private final Clock clock;
    private final McpJsonMapper jsonMapper;

    DemoTools(ExpenseStore store, Clock clock, McpJsonMapper jsonMapper) {
        this.store = store;
        this.clock = clock;
        this.jsonMapper = jsonMapper;
    }

    List<SyncToolSpecification> specifications() {
        return List.of(
                SyncToolSpecification.builder()
                        .tool(Tool.builder(RECORD_EXPENSE)
                                .title("Record an expense")
                                .description("Record an expense; asks a person for the details.")
                                .inputSchema(jsonMapper, RECORD_EXPENSE_INPUT)
                                .outputSchema(jsonMapper, RECORD_EXPENSE_OUTPUT)
                                .annotations(hints(false, false))
                                .build())
                        .callHandler(this::recordExpense)
                        .build(),
                SyncToolSpecification.builder()
                        .tool(Tool.builder(ANALYZE_SPENDING)
                                .title("Analyse spending")
                                .description("Analyse spending by category; asks the client's model for a summary.")
                                .inputSchema(jsonMapper, ANALYZE_SPENDING_INPUT)
                                .outputSchema(jsonMapper, ANALYZE_SPENDING_OUTPUT)
                                .annotations(hints(true, false))
                                .build())
                        .callHandler(this::analyzeSpending)
                        .build(),
                SyncToolSpecification.builder()
                        .tool(Tool.builder(GENERATE_REPORT)
                                .title("Generate a monthly report")
                                .description("Generate a monthly expense report, reporting progress.")
                                .inputSchema(jsonMapper, GENERATE_REPORT_INPUT)
                                .outputSchema(jsonMapper, GENERATE_REPORT_OUTPUT)
                                .annotations(hints(true, true))
                                .build())
                        .callHandler(this::generateReport)
                        .build());
    }

    CallToolResult recordExpense(McpSyncServerExchange exchange, CallToolRequest request) {
        if (!declaresFormElicitation(exchange.getClientCapabilities())) {
            return error(RECORD_EXPENSE + " asks a person for the details with a form, but this client did not"
                    + " declare the elicitation capability (form mode) when it connected. Connect with a client"
                    + " that does, such as Statehouse's MCP client.");
        }
        Object note = arguments(request).get("note");
        String message = "Please enter the details of the expense to record."
                + (note instanceof String text && !text.isBlank() ? " Note from the agent: " + text : "");
        ElicitResult answer;
        try {
            // Blocks this worker until the person answers; the server's requestTimeout (hours) bounds it.
            answer = exchange.createElicitation(ElicitFormRequest.builder(message, ExpenseForm.requestedSchema()).build());
        } catch (RuntimeException e) {
            return error("Asking for the expense failed: " + describe(e));
        }
        if (answer == null || answer.action() == null) {
            return error("The client answered the form without an action (accept, decline or cancel).");
        }
        switch (answer.action()) {
            case ACCEPT:
                Expense expense;
                try {
                    expense = store.record(ExpenseForm.read(answer.content()));
                } catch (ExpenseForm.AnswerRejected | IllegalStateException e) {
                    return error("Nothing was recorded. " + e.getMessage());
                }
                Map<String, Object> recorded = new LinkedHashMap<>();
                recorded.put("recorded", true);
                recorded.put("action", "accept");
                recorded.put("expense", expense.toStructured());
                return CallToolResult.builder()
                        .addTextContent("Recorded " + expense.id() + ": " + expense.toLine())
                        .structuredContent(recorded)
                        .build();
            case DECLINE:
                return notRecorded("decline", "Nothing was recorded: the person declined to enter the expense.");
            default:
                return notRecorded("cancel", "Nothing was recorded: the form was dismissed without an answer.");
        }
    }

    CallToolResult analyzeSpending(McpSyncServerExchange exchange, CallToolRequest request) {
        Object progressToken = request.progressToken();
        List<Expense> expenses = store.all();
        progress(exchange, progressToken, 1, 3, "Totalling " + expenses.size() + " expenses by category");
        List<CategoryTotal> totals = ExpenseStore.totalsByCategory(expenses);

        Map<String, Object> analysis = new LinkedHashMap<>();
        analysis.put("expenseCount", expenses.size());
        analysis.put("totals", totals.stream().map(CategoryTotal::toStructured).toList());
        String summary = null;
        String note = null;
        if (!declaresSampling(exchange.getClientCapabilities())) {
            note = "No model summary: the client did not declare the sampling capability.";
        } else {
            progress(exchange, progressToken, 2, 3, "Asking the client's model for a summary");
            try {
                // Sampling: the client's model writes the summary; this server has no model and no key.
                CreateMessageResult answer = exchange.createMessage(CreateMessageRequest.builder()
                        .systemPrompt(SAMPLING_SYSTEM_PROMPT)
                        .messages(List.of(new SamplingMessage(Role.USER, new TextContent(samplingPrompt(expenses, totals)))))
                        .includeContext(ContextInclusionStrategy.NONE)
                        .maxTokens(SAMPLING_MAX_TOKENS)
                        .build());
                summary = text(answer.content());
                if (answer.model() != null) {
                    analysis.put("model", answer.model());
                }
            } catch (RuntimeException e) {
                note = "No model summary: the client's model did not answer (" + describe(e) + ").";
            }
        }
        if (summary != null) {
            analysis.put("summary", summary);
        }
        if (note != null) {
            analysis.put("note", note);
        }
        progress(exchange, progressToken, 3, 3, "Done");
        StringBuilder text = new StringBuilder();
        if (summary != null) {
            text.append(summary).append("\n\n");
        }
        text.append("Spending by category (").append(expenses.size()).append(" expenses; currencies are not converted):");
        totals.forEach(t -> text.append("\n- ").append(t.toLine()));
        if (note != null) {
            text.append("\n\n").append(note);
        }
        return CallToolResult.builder().addTextContent(text.toString()).structuredContent(analysis).build();
    }

    CallToolResult generateReport(McpSyncServerExchange exchange, CallToolRequest request) {
        YearMonth month;
        int steps;
        int stepMillis;
        try {
            Map<String, Object> arguments = arguments(request);
            month = arguments.get("month") == null ? YearMonth.now(clock) : month(arguments.get("month"));
            steps = integer(arguments, "steps", DEFAULT_STEPS, 1, MAX_STEPS);
            stepMillis = integer(arguments, "stepMillis", DEFAULT_STEP_MILLIS, 0, MAX_STEP_MILLIS);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        Object progressToken = request.progressToken();
        // The steps are paced, not real work: the point is the stream of progress and log messages.
        for (int step = 1; step <= steps; step++) {
            String message = "Step " + step + " of " + steps + ": " + phase(step, steps);
            progress(exchange, progressToken, step, steps, message);
            exchange.loggingNotification(LoggingMessageNotification.builder()
                    .level(LoggingLevel.INFO).logger(LOGGER).data(GENERATE_REPORT + " " + month + ": " + message)
                    .build());
            if (step < steps && stepMillis > 0) {
                try {
                    // Sleeps on the SDK's worker thread for this call: acceptable for a demo (see the class comment).
                    Thread.sleep(stepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return error("The report was interrupted at step " + step + " of " + steps + ".");
                }
            }
        }
        return report(month, store.inMonth(month));
    }

    static CallToolResult report(YearMonth month, List<Expense> expenses) {
        List<CategoryTotal> totals = ExpenseStore.totalsByCategory(expenses);
        Map<String, BigDecimal> billable = new TreeMap<>();
        expenses.stream().filter(Expense::billable)
                .forEach(e -> billable.merge(e.currency(), e.amount(), BigDecimal::add));

        List<Map<String, Object>> billableJson = new ArrayList<>();
        billable.forEach((currency, total) -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("currency", currency);
            json.put("total", total.setScale(2, RoundingMode.HALF_EVEN));
            billableJson.add(json);
        });
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("month", month.toString());
        report.put("expenseCount", expenses.size());
        report.put("totals", totals.stream().map(CategoryTotal::toStructured).toList());
        report.put("billable", billableJson);
        report.put("expenses", expenses.stream().map(Expense::toStructured).toList());

        StringBuilder text = new StringBuilder("Expense report for ").append(month).append(": ")
                .append(expenses.size()).append(expenses.size() == 1 ? " expense" : " expenses");
        if (!expenses.isEmpty()) {
            text.append("\n\nBy category (currencies are not converted):");
            totals.forEach(t -> text.append("\n- ").append(t.toLine()));
            text.append("\n\nBillable: ").append(billable.isEmpty() ? "nothing" : String.join(", ",
                    billable.entrySet().stream().map(b -> b.getKey() + " "
                            + b.getValue().setScale(2, RoundingMode.HALF_EVEN).toPlainString()).toList()));
            text.append("\n\nExpenses:");
            expenses.forEach(e -> text.append("\n- ").append(e.toLine()));
        }
        return CallToolResult.builder().addTextContent(text.toString()).structuredContent(report).build();
    }

    /** The user message of the sampling request: the totals, one per line, as a person would read them. */
    static String samplingPrompt(List<Expense> expenses, List<CategoryTotal> totals) {
        StringBuilder prompt = new StringBuilder("Spending of a small consulting team, ")
                .append(expenses.size()).append(" expenses in total, by category and currency:");
        totals.forEach(t -> prompt.append("\n- ").append(t.toLine()));
        return prompt.toString();
    }

    /** Which phase a step belongs to; the last step is always the last phase. */
    static String phase(int step, int steps) {
        return REPORT_PHASES.get((step * REPORT_PHASES.size() - 1) / steps);
    }

    static boolean declaresFormElicitation(ClientCapabilities capabilities) {
        if (capabilities == null || capabilities.elicitation() == null) {
            return false;
        }
        // "elicitation": {} means form mode; a client that declares only "url" has no forms.
        return capabilities.elicitation().form() != null || capabilities.elicitation().url() == null;
    }

    static boolean declaresSampling(ClientCapabilities capabilities) {
        return capabilities != null && capabilities.sampling() != null;
    }

    private static void progress(McpSyncServerExchange exchange, Object progressToken, int progress, int total,
                                 String message) {
        if (progressToken != null) { // progress goes only to a caller that asked for it with a token
            exchange.progressNotification(new ProgressNotification(progressToken, progress, (double) total, message));
        }
    }

    private static CallToolResult notRecorded(String action, String message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recorded", false);
        json.put("action", action);
        return CallToolResult.builder().addTextContent(message).structuredContent(json).build();
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private static Map<String, Object> arguments(CallToolRequest request) {
        return request.arguments() == null ? Map.of() : request.arguments();
    }

    private static YearMonth month(Object value) {
        try {
            if (value instanceof String text) {
                return YearMonth.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("month must be a month such as 2026-11, not " + value);
    }

    private static int integer(Map<String, Object> arguments, String name, int defaultValue, int minimum, int maximum) {
        Object value = arguments.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < minimum || number.doubleValue() > maximum) {
            throw new IllegalArgumentException(name + " must be a whole number from " + minimum + " to " + maximum
                    + ", not " + value);
        }
        return number.intValue();
    }

    private static String text(Content content) {
        if (content instanceof TextContent text) {
            return text.text();
        }
        return "(the model answered with " + (content == null ? "nothing" : content.type()) + " rather than text)";
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static ToolAnnotations hints(boolean readOnly, boolean idempotent) {
        return ToolAnnotations.builder().readOnlyHint(readOnly).idempotentHint(idempotent).destructiveHint(false)
                .openWorldHint(false).build();
    }
}
