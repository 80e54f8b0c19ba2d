package io.statehouse.it;

import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static io.statehouse.it.Http.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The engine REST API ({@code /statehouse/engine-rest}) as the ITs drive it, over {@link Http} as one
 * user, on one node (node A's port 8080 unless told another base): deployments, runs and the MCP tool calls they make, their tasks, variables, incidents and
 * history. Part of the ITs' one shared harness, beside {@link Http} and the Node peers. Every query
 * about a run takes that run's process instance id, so that a test sees its own run and never
 * another test's; the few queries by process definition say so in their names.
 */
final class EngineRest {

    private final Http http;
    private final String base;

    /** The engine REST API of the node the single-node ITs run on (port 8080). */
    EngineRest(Http http) {
        this(http, ENGINE_REST);
    }

    /** The engine REST API at {@code base} ({@code http://127.0.0.1:8180/statehouse/engine-rest}: another node of a cluster). */
    EngineRest(Http http, String base) {
        this.http = http;
        this.base = base;
    }

    // Deployments

    /** Deploys one resource, by name, as one deployment ({@code /deployment/create}). */
    HttpResponse<String> deploy(String deploymentName, String fileName, String content) {
        return deploy(deploymentName, Map.of(fileName, content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Deletes a deployment with its runs (what a test deployed for itself, whose tool names others use too). */
    HttpResponse<String> undeploy(String deploymentId) {
        return http.delete(base + "/deployment/" + deploymentId + "?cascade=true");
    }

    /** Deploys resources, by name, as one deployment: the multipart form of {@code /deployment/create}. */
    HttpResponse<String> deploy(String deploymentName, Map<String, byte[]> files) {
        String boundary = "statehouse-it-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"deployment-name\"\r\n\r\n" + deploymentName + "\r\n").getBytes(StandardCharsets.UTF_8));
        files.forEach((fileName, content) -> {
            body.writeBytes(("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + fileName + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.post(base + "/deployment/create", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    long deploymentCount() {
        return object(http.get(base + "/deployment/count")).getJsonNumber("count").longValue();
    }

    // Runs

    /** Starts a run of the latest version of a process; the response as the engine gave it. */
    HttpResponse<String> start(String processKey, String variables) {
        return http.postJson(base + "/process-definition/key/" + processKey + "/start", variables);
    }

    /** Starts a run that must start (200), and gives its process instance id. */
    String startRun(String processKey, String variables) {
        HttpResponse<String> started = start(processKey, variables);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        return object(started).getString("id");
    }

    /** The run as history knows it: state, duration, delete reason. */
    JsonObject historicRun(String run) {
        return object(http.get(base + "/history/process-instance/" + run));
    }

    boolean ended(String run) {
        return "COMPLETED".equals(historicRun(run).getString("state"));
    }

    /** Waits up to 60 s for the run to complete (its async continuations run on the job executor). */
    void awaitEnded(String run) {
        awaitEnded(run, "run " + run + " to end", Duration.ofSeconds(60));
    }

    void awaitEnded(String run, String what, Duration limit) {
        Http.await(what, limit, () -> ended(run));
    }

    /** The run while it is active: a list of one, empty once it has ended. */
    JsonArray activeRun(String run) {
        return array(http.get(base + "/process-instance?processInstanceIds=" + run));
    }

    /** The active process instances the run called: its MCP tool calls. */
    JsonArray calls(String run) {
        return array(http.get(base + "/process-instance?superProcessInstance=" + run));
    }

    /** Waits up to 30 s for the run's first MCP tool call and gives its process instance id. */
    String awaitCall(String run) {
        return awaitFirstId("the MCP tool call of run " + run, Duration.ofSeconds(30), () -> calls(run));
    }

    /** The process instances the run called, ended ones included. */
    JsonArray historicCalls(String run) {
        return array(http.get(base + "/history/process-instance?superProcessInstanceId=" + run));
    }

    /** The runs of a process started with that value of that variable, from history. */
    JsonArray historicRunsStartedWith(String processKey, String variable, String value) {
        String query = Json.createObjectBuilder()
                .add("processDefinitionKey", processKey)
                .add("variables", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", variable).add("operator", "eq").add("value", value)))
                .build().toString();
        return array(http.postJson(base + "/history/process-instance", query));
    }

    /** Runs from history by a query of the caller's ({@code processDefinitionKey=...&...}), not by process instance. */
    JsonArray historicRunsByQuery(String query) {
        return array(http.get(base + "/history/process-instance?" + query));
    }

    // Tasks

    /** The open tasks of a process instance. */
    JsonArray tasks(String run) {
        return array(http.get(base + "/task?processInstanceId=" + run));
    }

    /** The open tasks of a process instance for one task definition. */
    JsonArray tasks(String run, String taskKey) {
        return array(http.get(base + "/task?processInstanceId=" + run + "&taskDefinitionKey=" + taskKey));
    }

    /** The one open task of a run: there must be exactly one. */
    JsonObject onlyTask(String run) {
        JsonArray tasks = tasks(run);
        assertThat(tasks).as("open tasks of run " + run).hasSize(1);
        return tasks.getJsonObject(0);
    }

    /** Waits up to 30 s for an open task of that definition in an MCP tool call's process instance. */
    JsonObject awaitTask(String call, String taskKey) {
        AtomicReference<JsonObject> task = new AtomicReference<>();
        Http.await("task " + taskKey + " in call " + call, Duration.ofSeconds(30), () -> {
            JsonArray tasks = tasks(call, taskKey);
            if (!tasks.isEmpty()) {
                task.set(tasks.getJsonObject(0));
            }
            return task.get() != null;
        });
        return task.get();
    }

    /**
     * Waits up to 30 s for the open task of the run of a process started with that value of that
     * variable, and gives its id: how a test finds the run an MCP client started.
     */
    String awaitOpenTask(String processDefinitionKey, String variable, String value) {
        String[] task = new String[1];
        Http.await("the task of " + processDefinitionKey + " for " + value, Duration.ofSeconds(30), () -> {
            JsonArray tasks = tasksByQuery("processDefinitionKey=" + processDefinitionKey
                    + "&processVariables=" + variable + "_eq_" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            tasks.getValuesAs(JsonObject.class).stream().findFirst().ifPresent(t -> task[0] = t.getString("id"));
            return task[0] != null;
        });
        return task[0];
    }

    /** The run (process instance id) of an open task. */
    String runOfTask(String task) {
        return object(http.get(base + "/task/" + task)).getString("processInstanceId");
    }

    /** Open tasks by a query of the caller's ({@code processDefinitionKey=...&...}), not by process instance. */
    JsonArray tasksByQuery(String query) {
        return array(http.get(base + "/task?" + query));
    }

    /** How many tasks of any run of that process are open. */
    int openTaskCountOfProcess(String processDefinitionKey) {
        return object(http.get(base + "/task/count?processDefinitionKey=" + processDefinitionKey)).getInt("count");
    }

    /** Cancels a run, as an operator does in Cockpit. */
    HttpResponse<String> cancel(String run) {
        return http.delete(base + "/process-instance/" + run);
    }

    HttpResponse<String> claim(String task, String userId) {
        return http.postJson(base + "/task/" + task + "/claim", "{\"userId\":\"" + userId + "\"}");
    }

    HttpResponse<String> complete(String task, String variables) {
        return http.postJson(base + "/task/" + task + "/complete", variables);
    }

    /** Completes a task through its form, so that the form's fields and validation apply. */
    HttpResponse<String> submitForm(String task, String variables) {
        return http.postJson(base + "/task/" + task + "/submit-form", variables);
    }

    /** The variables a task sees, by name. */
    JsonObject taskVariables(String task) {
        return object(http.get(base + "/task/" + task + "/variables"));
    }

    JsonArray identityLinks(String task) {
        return array(http.get(base + "/task/" + task + "/identity-links"));
    }

    JsonArray comments(String task) {
        return array(http.get(base + "/task/" + task + "/comment"));
    }

    // Variables and incidents of active runs

    /** A variable of an active process instance, by name: a list of one, or empty. */
    JsonArray variableInstances(String run, String name) {
        return array(http.get(base + "/variable-instance?processInstanceIdIn=" + run + "&variableName=" + name));
    }

    /** A variable's value as JSON text, or null while the process instance has none of that name. */
    String variableJson(String run, String name) {
        HttpResponse<String> response = http.get(base + "/process-instance/" + run + "/variables/" + name);
        return response.statusCode() == 200 ? object(response).get("value").toString() : null;
    }

    /** The open external tasks of a process instance: an MCP tool call's, with the worker that holds it ({@code workerId}). */
    JsonArray externalTasks(String run) {
        return array(http.get(base + "/external-task?processInstanceId=" + run));
    }

    JsonArray incidents(String run) {
        return array(http.get(base + "/incident?processInstanceId=" + run));
    }

    JsonObject incident(String id) {
        return object(http.get(base + "/incident/" + id));
    }

    // History

    /** A variable of a run in history, by name. */
    JsonArray historicVariables(String run, String name) {
        return array(http.get(base + "/history/variable-instance?processInstanceId=" + run + "&variableName=" + name));
    }

    /** A text variable's value in the run's history; the run must have set it. */
    String historicText(String run, String name) {
        JsonArray values = historicVariables(run, name);
        assertThat(values).as("variable " + name + " of run " + run).isNotEmpty();
        return values.getJsonObject(0).getString("value");
    }

    /** A text variable's value in the run's history; the run must have exactly one of that name. */
    String onlyHistoricText(String run, String name) {
        JsonArray values = historicVariables(run, name);
        assertThat(values).as("variable " + name + " of run " + run).hasSize(1);
        return values.getJsonObject(0).getString("value");
    }

    /** A number variable's value in the run's history; the run must have set it. */
    double historicNumber(String run, String name) {
        JsonArray values = historicVariables(run, name);
        assertThat(values).as("variable " + name + " of run " + run).isNotEmpty();
        return values.getJsonObject(0).getJsonNumber("value").doubleValue();
    }

    /** A variable a task set, in history, by name. */
    JsonArray historicTaskVariables(String task, String name) {
        return array(http.get(base + "/history/variable-instance?taskIdIn=" + task + "&variableName=" + name));
    }

    /** Every variable update of a process instance, in order: what was sent, not only the last value. */
    JsonArray variableUpdates(String run) {
        return array(http.get(base + "/history/detail?variableUpdates=true&processInstanceId=" + run));
    }

    /** The tasks of a process instance, ended ones included. */
    JsonArray historicTasks(String run) {
        return array(http.get(base + "/history/task?processInstanceId=" + run));
    }

    JsonArray historicTasks(String run, String taskKey) {
        return array(http.get(base + "/history/task?processInstanceId=" + run + "&taskDefinitionKey=" + taskKey));
    }

    /** Tasks from history by a query of the caller's ({@code processDefinitionKey=...&...}), not by process instance. */
    JsonArray historicTasksByQuery(String query) {
        return array(http.get(base + "/history/task?" + query));
    }

    /** Where the run has been: its instances of one activity (an end event, a task). */
    JsonArray historicActivities(String run, String activityId) {
        return array(http.get(base + "/history/activity-instance?processInstanceId=" + run + "&activityId=" + activityId));
    }

    /** The job log of one activity of a process instance: each job's creation, failures and success, with the {@code hostname} that ran it. */
    JsonArray jobLog(String processInstance, String activityId) {
        return array(http.get(base + "/history/job-log?processInstanceId=" + processInstance + "&activityIdIn=" + activityId));
    }

    // Waiting and request bodies

    /** Waits for a query to find something and gives the id of the first it found. */
    static String awaitFirstId(String what, Duration limit, Supplier<JsonArray> query) {
        AtomicReference<String> id = new AtomicReference<>();
        Http.await(what, limit, () -> {
            JsonArray found = query.get();
            if (!found.isEmpty()) {
                id.set(found.getJsonObject(0).getString("id"));
            }
            return id.get() != null;
        });
        return id.get();
    }

    /** A request body that carries one string variable. */
    static String variables(String name, String value) {
        return variables(Json.createObjectBuilder().add(name, stringValue(value)));
    }

    /** A request body that carries these variables. */
    static String variables(JsonObjectBuilder variables) {
        return Json.createObjectBuilder().add("variables", variables).build().toString();
    }

    /** A variable's value typed as a String, as the engine REST API writes it. */
    static JsonObjectBuilder stringValue(String value) {
        return Json.createObjectBuilder().add("value", value).add("type", "String");
    }
}
