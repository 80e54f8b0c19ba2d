package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Statehouse's process-backed tools as MCP tasks (the tasks extension of 2026-07-28), followed by an
 * independent requester: the TypeScript SDK v2 client with {@code @modelcontextprotocol/ext-tasks}
 * ({@code ts-tasks-client.mjs}). The tool {@code confirm_delete} is a task from its start and asks
 * its caller to confirm: the client answers the task's question, or a person answers it in the
 * Tasklist while the client follows, or the client cancels the task and its run with it.
 */
@ExtendWith(ArquillianExtension.class)
class McpTasksIT {

    private static final String URL = BASE + McpServerIT.ENDPOINT;
    /** The deployment of the tasks fixtures, removed after this class: its {@code greet} is another tool than McpServerIT's. */
    private static String taskTools;

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @BeforeEach
    synchronized void deployTaskTools() {
        if (taskTools == null) {
            HttpResponse<String> deployed = engine.deploy("it-mcp-tasks", "conformance-tasks.bpmn", Fixtures.text("conformance/conformance-tasks.bpmn"));
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            taskTools = Http.object(deployed.body()).getString("id");
        }
        Http.await("tool confirm_delete to be listed", Duration.ofSeconds(30),
                () -> StatelessMcp.post(demo, URL, "tools/list", "{}", "{}").body().contains("confirm_delete"));
    }

    @AfterAll
    static void undeployTaskTools() {
        if (taskTools != null) {
            HttpResponse<String> removed = new EngineRest(Http.as("demo", "demo")).undeploy(taskTools);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
            taskTools = null;
        }
    }

    @Test
    void theClientAnswersTheTasksQuestionAndGetsItsResult() throws Exception {
        String file = "answered-by-the-client-" + System.nanoTime() + ".pdf";
        JsonObject seen = client("answer", file, "{\"confirm\": true}").result(Duration.ofSeconds(90));

        assertThat(seen.getString("finalStatus")).as(seen.toString()).isEqualTo("completed");
        assertThat(statuses(seen)).as(seen.toString()).contains("\"input_required\"").endsWith("\"completed\"]");
        assertThat(seen.getString("text")).isEqualTo("Deleted " + file + ": true");
        JsonArray runs = engine.historicRunsStartedWith("ConfirmDeleteProcess", "filename", file);
        assertThat(runs).hasSize(1);
        assertThat(runs.getJsonObject(0).getString("state")).isEqualTo("COMPLETED");
    }

    @Test
    void aPersonAnswersTheTasksQuestionInTheTasklistWhileTheClientFollowsIt() throws Exception {
        String file = "answered-in-the-tasklist-" + System.nanoTime() + ".pdf";
        NodeScript following = client("watch", file, null);
        String task = engine.awaitOpenTask("ConfirmDeleteProcess", "filename", file);
        Http.await("the client to follow the task", Duration.ofSeconds(30), () -> following.output().contains("\"watching\""));
        assertThat(engine.submitForm(task, EngineRest.variables(Json.createObjectBuilder()
                .add("confirm", Json.createObjectBuilder().add("value", true).add("type", "Boolean")))).statusCode()).isEqualTo(204);

        JsonObject seen = following.result(Duration.ofSeconds(60));
        assertThat(seen.getString("finalStatus")).as(seen.toString()).isEqualTo("completed");
        assertThat(seen.getString("text")).isEqualTo("Deleted " + file + ": true");
    }

    @Test
    void theClientCancelsTheTaskAndItsRunIsCancelled() throws Exception {
        String file = "cancelled-by-the-client-" + System.nanoTime() + ".pdf";
        JsonObject seen = client("cancel", file, null).result(Duration.ofSeconds(90));

        assertThat(seen.getString("finalStatus")).as(seen.toString()).isEqualTo("cancelled");
        Http.await("the run to be cancelled", Duration.ofSeconds(30), () -> {
            JsonArray runs = engine.historicRunsStartedWith("ConfirmDeleteProcess", "filename", file);
            return runs.size() == 1 && "EXTERNALLY_TERMINATED".equals(runs.getJsonObject(0).getString("state"));
        });
        assertThat(engine.tasksByQuery("processDefinitionKey=ConfirmDeleteProcess&processInstanceId="
                + engine.historicRunsStartedWith("ConfirmDeleteProcess", "filename", file).getJsonObject(0).getString("id")))
                .as("the run's task in the Tasklist").isEmpty();
    }

    private static NodeScript client(String scenario, String file, String answer) throws java.io.IOException {
        String arguments = "{\"filename\": \"" + file + "\"}";
        return answer == null ? NodeScript.start("ts-tasks-client.mjs", URL, "demo", "demo", scenario, "confirm_delete", arguments)
                : NodeScript.start("ts-tasks-client.mjs", URL, "demo", "demo", scenario, "confirm_delete", arguments, answer);
    }

    private static String statuses(JsonObject seen) {
        return seen.getJsonArray("statuses").toString();
    }
}
