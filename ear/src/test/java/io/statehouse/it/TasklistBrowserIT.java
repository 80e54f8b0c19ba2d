package io.statehouse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.AskPerson;
import io.statehouse.bpmn.ProcessModels.ExpenseAgent;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * A business user in a real browser: headless Chromium, driven by the scripts in
 * {@code src/test/node/}, works in the Tasklist as a person would. The engine's history, read over
 * REST, then says whether what the person did really happened.
 */
@ExtendWith(ArquillianExtension.class)
class TasklistBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("statehouse.it.chromium", "/usr/bin/chromium"));
    private static final Path SCRIPTS = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));
    private static final Path SCREENSHOTS = Path.of(System.getProperty("statehouse.it.screenshots", "target/screenshots"));

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @BeforeEach
    void browserIsThere() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "SKIPPED: no Chromium at " + CHROMIUM + "; install Debian's chromium (CI does) to run the browser test");
        assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core")),
                "SKIPPED: playwright-core is not installed in " + SCRIPTS);
    }

    @Test
    void businessUserStartsAndAnswersARunInTheTasklist() throws IOException, InterruptedException {
        String question = "Browser question " + UUID.randomUUID();
        String answer = "Answered in the browser";

        browse("tasklist.mjs", question, answer);

        String run = onlyRun(AskPerson.PROCESS_KEY, AskPerson.VAR_QUESTION, question);
        awaitEnded(run);
        assertThat(engine.onlyHistoricText(run, AskPerson.VAR_ANSWER)).isEqualTo(answer);
        assertThat(engine.historicTasks(run).getJsonObject(0).getString("assignee")).isEqualTo("demo");
    }

    /**
     * The demo as a newcomer does it: the run's two questions (the demo server's form, then its
     * request for a model's reply) answered in the embedded forms, a wrong answer first.
     */
    @Test
    void businessUserRunsTheExpenseAgentAndAnswersTheMcpServerInTheTasklist() throws IOException, InterruptedException {
        String note = "Taxi to the client " + UUID.randomUUID();
        LocalDate spent = LocalDate.now();
        JsonObject expense = Json.createObjectBuilder()
                .add("amount", "42.50").add("currency", "CHF").add("category", "travel").add("date", spent.toString())
                .add("description", "Taxi to the client and back").add("billable", true)
                .add("tags", Json.createArrayBuilder().add("client-visit").add("urgent"))
                .add("contact", "ayu@example.org")
                .build();
        String reply = "Travel dominates; the taxi in CHF is the only expense outside the euro.";

        browse("expense-agent.mjs", note, expense.toString(), reply);

        String run = onlyRun(ExpenseAgent.PROCESS_KEY, ExpenseAgent.VAR_NOTE, note);
        awaitEnded(run);
        assertThat(engine.historicActivities(run, ExpenseAgent.END_REPORT_READY)).as("the run ended with the report").hasSize(1);

        JsonObject recorded = Http.object(engine.onlyHistoricText(run, ExpenseAgent.VAR_RECORDED_EXPENSE));
        assertThat(recorded.getBoolean("recorded")).as(recorded.toString()).isTrue();
        JsonObject stored = recorded.getJsonObject("expense");
        assertThat(stored.getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("42.50");
        assertThat(stored.getString("currency")).isEqualTo("CHF");
        assertThat(stored.getString("category")).isEqualTo("travel");
        assertThat(stored.getString("date")).isEqualTo(spent.toString());
        assertThat(stored.getString("description")).isEqualTo("Taxi to the client and back");
        assertThat(stored.getBoolean("billable")).isTrue();
        assertThat(stored.getJsonArray("tags").getValuesAs(JsonString::getString)).containsExactly("client-visit", "urgent");
        assertThat(stored.getString("contact")).isEqualTo("ayu@example.org");

        assertThat(Http.object(engine.onlyHistoricText(run, ExpenseAgent.VAR_SPENDING_ANALYSIS)).getString("summary")).isEqualTo(reply);
        JsonObject report = Http.object(engine.onlyHistoricText(run, ExpenseAgent.VAR_MONTHLY_REPORT));
        if (report.getString("month").equals(YearMonth.from(spent).toString())) { // not when the month turned meanwhile
            assertThat(report.getJsonArray("expenses").getValuesAs(JsonObject.class))
                    .extracting(e -> e.getString("id")).contains(stored.getString("id"));
        }

        List<JsonObject> questions = new ArrayList<>();
        for (JsonObject call : engine.historicCalls(run).getValuesAs(JsonObject.class)) {
            questions.addAll(engine.historicTasks(call.getString("id")).getValuesAs(JsonObject.class));
        }
        assertThat(questions).extracting(t -> t.getString("taskDefinitionKey"))
                .containsExactlyInAnyOrder(McpToolCall.TASK_ANSWER_ELICITATION, McpToolCall.TASK_WRITE_MODEL_REPLY);
        assertThat(questions).allSatisfy(t -> {
            assertThat(t.getString("assignee")).isEqualTo("demo");
            assertThat(t.getString("deleteReason")).isEqualTo("completed");
        });
        JsonObject form = questions.stream()
                .filter(t -> McpToolCall.TASK_ANSWER_ELICITATION.equals(t.getString("taskDefinitionKey"))).findFirst().orElseThrow();
        List<String> sent = engine.variableUpdates(form.getString("processInstanceId")).getValuesAs(JsonObject.class).stream()
                .filter(d -> McpToolCall.VAR_CONTENT.equals(d.getString("variableName")) && !d.isNull("value"))
                .map(d -> d.getString("value")).toList();
        assertThat(sent).as("the answer that did not fit never left the browser; the one that did, once").hasSize(1);
        assertThat(Http.object(sent.get(0)).getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("42.50");
    }

    /** Runs one script of {@code src/test/node/} against the server; it must finish, and say OK. */
    private static void browse(String script, String... arguments) throws IOException, InterruptedException {
        Files.createDirectories(SCREENSHOTS);
        Path log = SCREENSHOTS.resolve(script.replace(".mjs", ".log"));
        List<String> command = new ArrayList<>(List.of("node", script, Http.BASE));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        Process browser = builder.start();
        boolean finished = browser.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            browser.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as(script + " finished within 3 minutes: " + output).isTrue();
        assertThat(browser.exitValue()).as(output + " (screenshots in " + SCREENSHOTS.toAbsolutePath() + ")").isZero();
    }

    /** The one run of that process started with that value of that variable. */
    private String onlyRun(String processKey, String variable, String value) {
        JsonArray runs = engine.historicRunsStartedWith(processKey, variable, value);
        assertThat(runs).as("runs of " + processKey + " started in the browser with " + variable + " = " + value).hasSize(1);
        return runs.getJsonObject(0).getString("id");
    }

    private void awaitEnded(String run) {
        engine.awaitEnded(run, "run " + run + " started in the browser to end", Duration.ofSeconds(60));
    }
}
