package io.statehouse.it;

import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.AskPerson;
import io.statehouse.bpmn.ProcessModels.ExpenseAgent;
import io.statehouse.bpmn.ProcessModels.McpToolCall;

/**
 * A run that waits for a person survives a full stop and start of the server on the embedded H2
 * database: the same task is there afterwards, and answering it finishes the run. An MCP tool call
 * that was in flight lost its session with the server: the restarted server ends it as a lost
 * session, its question closed with the reason.
 */
@ExtendWith(ArquillianExtension.class)
class RestartIT {

    static final String SERVER = "wildfly-manual";
    static final String EAR = "statehouse";

    @ArquillianResource
    ContainerController server;

    @ArquillianResource
    Deployer deployer;

    private final Http demo = Http.as("demo", "demo");

    @Deployment(name = EAR, managed = false, testable = false)
    @TargetsContainer(SERVER)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void waitingRunAndItsTaskSurviveAServerRestart() {
        server.start(SERVER);
        deployer.deploy(EAR);
        String run = object(demo.postJson(ENGINE_REST + "/process-definition/key/" + AskPerson.PROCESS_KEY + "/start",
                Http.variables(AskPerson.VAR_QUESTION, "Still there after a restart?"))).getString("id");
        String task = array(demo.get(ENGINE_REST + "/task?processInstanceId=" + run)).getJsonObject(0).getString("id");
        String agent = object(demo.postJson(ENGINE_REST + "/process-definition/key/" + ExpenseAgent.PROCESS_KEY + "/start",
                Http.variables(ExpenseAgent.VAR_NOTE, "Lunch with the auditors"))).getString("id");
        String call = awaitOne("the agent's MCP tool call", () -> array(demo.get(ENGINE_REST + "/process-instance?superProcessInstance=" + agent)));
        String question = awaitOne("the MCP server's question", () -> array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call
                + "&taskDefinitionKey=" + McpToolCall.TASK_ANSWER_ELICITATION)));

        // The EAR stays deployed in the server's configuration: the second start deploys it again by itself.
        server.stop(SERVER);
        server.start(SERVER);
        try {
            Http.await("the engine to be ready after the restart", Duration.ofSeconds(60),
                    () -> Http.anonymous().get("http://127.0.0.1:9990/health/ready").statusCode() == 200);
            JsonArray tasks = array(demo.get(ENGINE_REST + "/task?processInstanceId=" + run));
            assertThat(tasks).hasSize(1);
            assertThat(tasks.getJsonObject(0).getString("id")).isEqualTo(task);
            HttpResponse<String> completed = demo.postJson(ENGINE_REST + "/task/" + task + "/complete",
                    Http.variables(AskPerson.VAR_ANSWER, "Yes."));
            assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
            Http.await("run " + run + " to end", Duration.ofSeconds(60),
                    () -> "COMPLETED".equals(object(demo.get(ENGINE_REST + "/history/process-instance/" + run)).getString("state")));

            // The MCP session of the agent's call died with the server: found when its lock runs out, never a silent hang.
            String incident = awaitOne("the lost session to end the call", () -> array(demo.get(ENGINE_REST + "/incident?processInstanceId=" + call)));
            JsonObject failed = object(demo.get(ENGINE_REST + "/incident/" + incident));
            assertThat(failed.getString("incidentMessage")).contains("Statehouse stopped while this MCP call was in flight")
                    .contains(McpToolCall.ERROR_SESSION_LOST);
            assertThat(array(demo.get(ENGINE_REST + "/task?processInstanceId=" + call))).as("the question is closed").isEmpty();
            assertThat(array(demo.get(ENGINE_REST + "/history/variable-instance?taskIdIn=" + question
                    + "&variableName=" + McpToolCall.VAR_CLOSED_REASON)).toString()).contains("Statehouse stopped");
        } finally {
            deployer.undeploy(EAR);
            server.stop(SERVER);
        }
    }

    private static String awaitOne(String what, java.util.function.Supplier<JsonArray> query) {
        java.util.concurrent.atomic.AtomicReference<String> id = new java.util.concurrent.atomic.AtomicReference<>();
        Http.await(what, Duration.ofSeconds(90), () -> {
            JsonArray found = query.get();
            if (!found.isEmpty()) {
                id.set(found.getJsonObject(0).getString("id"));
            }
            return id.get() != null;
        });
        return id.get();
    }
}
