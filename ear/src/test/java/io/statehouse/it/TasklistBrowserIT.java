package io.statehouse.it;

import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.AskPerson;

/**
 * A business user in a real browser: headless Chromium, driven by {@code src/test/node/tasklist.mjs},
 * logs in to the Tasklist, starts "Ask a person" from its start form, claims the task and answers
 * it. The engine's history, read over REST, then says whether that really happened.
 */
@ExtendWith(ArquillianExtension.class)
class TasklistBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("statehouse.it.chromium", "/usr/bin/chromium"));
    private static final Path SCRIPTS = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"));
    private static final Path SCREENSHOTS = Path.of(System.getProperty("statehouse.it.screenshots", "target/screenshots"));

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void businessUserStartsAndAnswersARunInTheTasklist() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "SKIPPED: no Chromium at " + CHROMIUM + "; install Debian's chromium (CI does) to run the browser test");
        assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core")),
                "SKIPPED: playwright-core is not installed in " + SCRIPTS);
        String question = "Browser question " + UUID.randomUUID();
        String answer = "Answered in the browser";

        Files.createDirectories(SCREENSHOTS);
        Path log = SCREENSHOTS.resolve("browser.log");
        ProcessBuilder script = new ProcessBuilder("node", "tasklist.mjs", Http.BASE, question, answer)
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        script.environment().put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
        script.environment().put("CHROMIUM", CHROMIUM.toString());
        Process browser = script.start();
        boolean finished = browser.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            browser.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as("the browser finished within 3 minutes: " + output).isTrue();
        assertThat(browser.exitValue()).as(output + " (screenshots in " + SCREENSHOTS.toAbsolutePath() + ")").isZero();
        Http demo = Http.as("demo", "demo");
        String query = Json.createObjectBuilder().add("variables", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("name", AskPerson.VAR_QUESTION).add("operator", "eq").add("value", question))).build().toString();
        JsonArray runs = array(demo.postJson(ENGINE_REST + "/history/process-instance", query));
        assertThat(runs).as("runs started in the browser with the question " + question).hasSize(1);
        String run = runs.getJsonObject(0).getString("id");
        Http.await("the run answered in the browser to end", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(object(demo.get(ENGINE_REST + "/history/process-instance/" + run)).getString("state")));
        JsonArray answers = array(demo.get(ENGINE_REST + "/history/variable-instance?processInstanceId=" + run
                + "&variableName=" + AskPerson.VAR_ANSWER));
        assertThat(answers.getJsonObject(0).getString("value")).isEqualTo(answer);
        assertThat(array(demo.get(ENGINE_REST + "/history/task?processInstanceId=" + run)).getJsonObject(0).getString("assignee"))
                .isEqualTo("demo");
    }
}
