package io.statehouse.it;

import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.statehouse.bpmn.ProcessModels.AskPerson;

/**
 * An agent run on the real server through the public engine REST API: started, answered by the
 * demo user, finished by the job executor, kept in history; and what bad input does to it.
 */
@ExtendWith(ArquillianExtension.class)
class AgentRunIT {

    private final Http demo = Http.as("demo", "demo");
    private final EngineRest engine = new EngineRest(demo);

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @Test
    void runWaitsForAPersonThenFinishesOnTheJobExecutorAndStaysInHistory() {
        String run = startAskPerson("May I book the 9:40 train to Bandung?");
        JsonObject task = engine.onlyTask(run);
        assertThat(task.getString("taskDefinitionKey")).isEqualTo(AskPerson.TASK_ANSWER_QUESTION);
        JsonArray links = engine.identityLinks(task.getString("id"));
        assertThat(links.getValuesAs(JsonObject.class))
                .anyMatch(l -> AskPerson.CANDIDATE_GROUP.equals(l.getString("groupId", null)));

        assertThat(engine.claim(task.getString("id"), "demo").statusCode()).isEqualTo(204);
        HttpResponse<String> completed = engine.complete(task.getString("id"),
                EngineRest.variables(AskPerson.VAR_ANSWER, "Yes, the 9:40 is fine."));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        engine.awaitEnded(run, "run " + run + " to end through its async continuation", Duration.ofSeconds(60));
        JsonArray answer = engine.historicVariables(run, AskPerson.VAR_ANSWER);
        assertThat(answer.getJsonObject(0).getString("value")).isEqualTo("Yes, the 9:40 is fine.");
        JsonArray historicTask = engine.historicTasks(run);
        assertThat(historicTask.getJsonObject(0).getString("assignee")).isEqualTo("demo");
        JsonArray ended = engine.historicActivities(run, AskPerson.END_ANSWERED);
        assertThat(ended).hasSize(1);
    }

    @Test
    void brokenModelIsRejectedWithAClearErrorAndEarlierRunsStayIntact() {
        String run = startAskPerson("Is the quarterly report ready?");
        long deploymentsBefore = engine.deploymentCount();

        HttpResponse<String> rejected = engine.deploy("it-broken-model", "broken.bpmn", Fixtures.text(BROKEN_MODEL));

        assertThat(rejected.statusCode()).isEqualTo(400);
        JsonObject error = object(rejected);
        assertThat(error.getString("type")).isEqualTo("ParseException");
        assertThat(error.getString("message")).contains("Flow_ToNowhere");
        assertThat(rejected.body()).doesNotContain("at org.camunda");
        assertThat(engine.deploymentCount()).isEqualTo(deploymentsBefore);
        JsonObject task = engine.onlyTask(run);
        assertThat(engine.complete(task.getString("id"), EngineRest.variables(AskPerson.VAR_ANSWER, "Not yet.")).statusCode()).isEqualTo(204);
    }

    @Test
    void wrongOrMissingCredentialsGet401AndNoStackTrace() {
        String user = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String newUser = Json.createObjectBuilder()
                .add("profile", Json.createObjectBuilder().add("id", user).add("firstName", "Integration").add("lastName", "Test"))
                .add("credentials", Json.createObjectBuilder().add("password", "correct-horse-battery"))
                .build().toString();
        assertThat(demo.postJson(ENGINE_REST + "/user/create", newUser).statusCode()).isEqualTo(204);
        // First the right password (a failed login locks the user for a few seconds, by design).
        assertThat(Http.as(user, "correct-horse-battery").get(ENGINE_REST + "/task").statusCode()).isEqualTo(200);

        HttpResponse<String> wrong = Http.as(user, "wrong-password").get(ENGINE_REST + "/process-definition");
        HttpResponse<String> missing = Http.anonymous().get(ENGINE_REST + "/task");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(wrong.body()).doesNotContain("Exception");
        assertThat(missing.statusCode()).isEqualTo(401);
    }

    @Test
    void configuredAdministratorExistsAndMayAdministerUsers() {
        Http operator = Http.as("operator", "operator-secret-for-tests");

        JsonArray admins = array(operator.get(ENGINE_REST + "/user?memberOfGroup=camunda-admin"));

        assertThat(admins.getValuesAs(JsonObject.class)).extracting(u -> u.getString("id")).contains("operator");
        String created = Json.createObjectBuilder()
                .add("profile", Json.createObjectBuilder().add("id", "op" + UUID.randomUUID().toString().substring(0, 8))
                        .add("firstName", "Created").add("lastName", "By Operator"))
                .add("credentials", Json.createObjectBuilder().add("password", "another-long-password"))
                .build().toString();
        assertThat(operator.postJson(ENGINE_REST + "/user/create", created).statusCode()).isEqualTo(204);
    }

    @Test
    void readinessIsGreenWithTheEngineUp() {
        HttpResponse<String> ready = Http.anonymous().get("http://127.0.0.1:9990/health/ready");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonObject engine = object(ready).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> "statehouse-engine".equals(c.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no statehouse-engine check in " + ready.body()));
        assertThat(engine.getString("status")).isEqualTo("UP");
        assertThat(engine.getJsonObject("data").getString("jobExecutor")).isEqualTo("active");
    }

    private String startAskPerson(String question) {
        return engine.startRun(AskPerson.PROCESS_KEY, EngineRest.variables(AskPerson.VAR_QUESTION, question));
    }

    /** A model the engine must reject: its one sequence flow leads nowhere. */
    private static final String BROKEN_MODEL = "fixtures/broken-model.bpmn";
}
