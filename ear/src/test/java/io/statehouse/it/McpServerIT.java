package io.statehouse.it;

import static io.statehouse.it.Http.BASE;
import static io.statehouse.it.Http.ENGINE_REST;
import static io.statehouse.it.Http.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonArray;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Statehouse as an MCP server at {@code /statehouse/mcp}, called by the MCP Java SDK's client:
 * processes marked as tools are listed and called; a call waits for the run's person; what a
 * client without credentials, from a foreign origin or with an unknown session gets.
 */
@ExtendWith(ArquillianExtension.class)
class McpServerIT {

    static final String ENDPOINT = "/statehouse/mcp";

    private final Http demo = Http.as("demo", "demo");
    private static boolean deployed;
    private McpSyncClient client;

    @Deployment(testable = false)
    static EnterpriseArchive statehouse() {
        return StatehouseDeployment.ear();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    @Test
    void processesMarkedAsToolsAreListedWithTheirStartFormAsInputSchema() {
        McpSchema.Tool tool = awaitTool("greet");

        assertThat(tool.title()).isEqualTo("Greet someone");
        assertThat(tool.description()).isEqualTo("Greets a person by name, as often as asked.");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) tool.inputSchema().get("properties");
        assertThat(properties).containsKeys("name", "times");
        assertThat(tool.inputSchema().get("required")).isEqualTo(List.of("name"));
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).doesNotContain("AskPersonProcess", "McpToolCallProcess");
    }

    @Test
    void callStartsTheRunAsTheCallerAndAnswersWithItsOutputVariables() {
        awaitTool("greet");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("name", "Ayu", "times", 2)));

        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(result.structuredContent()).isEqualTo(Map.of("greeting", "Hello, Ayu (2)"));
        JsonArray runs = array(demo.get(ENGINE_REST + "/history/process-instance?processDefinitionKey=GreetToolProcess&startedBy=demo"));
        assertThat(runs).isNotEmpty();
    }

    @Test
    void callWaitsForThePersonInTheRunAndAnswersWhenTheTaskIsDone() throws Exception {
        awaitTool("approve");

        CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(
                () -> client.callTool(new McpSchema.CallToolRequest("approve", Map.of("request", "New laptop"))));
        String[] task = new String[1];
        Http.await("the approval task", Duration.ofSeconds(30), () -> {
            JsonArray tasks = array(demo.get(ENGINE_REST + "/task?processDefinitionKey=ApproveToolProcess"));
            tasks.getValuesAs(jakarta.json.JsonObject.class).stream().findFirst().ifPresent(t -> task[0] = t.getString("id"));
            return task[0] != null;
        });
        assertThat(call).isNotDone();
        HttpResponse<String> completed = demo.postJson(ENGINE_REST + "/task/" + task[0] + "/complete", Http.variables("decision", "approved"));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);

        McpSchema.CallToolResult result = call.get(30, TimeUnit.SECONDS);
        assertThat(result.structuredContent()).isEqualTo(Map.of("decision", "approved"));
    }

    @Test
    void aTaskMarkedForTheCallerIsAnsweredByTheClientsElicitationHandler() {
        deployTools();
        java.util.concurrent.atomic.AtomicReference<McpSchema.ElicitFormRequest> asked = new java.util.concurrent.atomic.AtomicReference<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.set(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "approved by the client"));
                })
                .build();
        client.initialize();
        Http.await("tool approve_by_caller to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("approve_by_caller")));

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("approve_by_caller", Map.of("request", "A new desk")));

        assertThat(result.structuredContent()).isEqualTo(Map.of("decision", "approved by the client"));
        assertThat(asked.get().message()).startsWith("Decide on the request");
        assertThat(asked.get().requestedSchema().toString()).contains("decision");
        JsonArray done = array(demo.get(ENGINE_REST + "/history/task?processDefinitionKey=ApproveByCallerToolProcess&finished=true"));
        assertThat(done).isNotEmpty();
    }

    @Test
    void withAProgressTokenEachCompletedActivityIsReportedToTheCaller() {
        deployTools();
        java.util.List<McpSchema.ProgressNotification> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .progressConsumer(reports::add).build();
        client.initialize();
        Http.await("tool greet to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("greet")));

        client.callTool(McpSchema.CallToolRequest.builder("greet").arguments(Map.of("name", "Rina")).progressToken("greet-1").build());

        Http.await("progress for the start, the task and the end", Duration.ofSeconds(10), () -> reports.size() >= 3);
        assertThat(reports).allMatch(r -> "greet-1".equals(r.progressToken()));
        assertThat(reports).extracting(McpSchema.ProgressNotification::message).anyMatch(m -> m.contains("Task_Greet"));
    }

    @Test
    void aRunThatStopsAtAnIncidentEndsTheCallWithAnErrorAPersonCanActOn() {
        awaitTool("break");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("break", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("stopped at an incident in activity Task_Break").contains("retry it in Cockpit");
    }

    @Test
    void aSamplingTaskAsksTheCallersModelWhenItDeclaredSampling() {
        deployTools();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                        .content(new McpSchema.TextContent("Summary by the caller's model of: "
                                + ((McpSchema.TextContent) request.messages().get(0).content()).text()))
                        .model("caller-model").build())
                .build();
        client.initialize();
        Http.await("tool summarize to be listed", Duration.ofSeconds(30),
                () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("summarize")));

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("summarize", Map.of("text", "Q3 revenue rose")));

        assertThat(result.structuredContent()).isEqualTo(Map.of("samplingReply", "Summary by the caller's model of: Summarize: Q3 revenue rose",
                "samplingModel", "caller-model"));
    }

    @Test
    void aSamplingTaskAsksAConfiguredProviderWhenTheCallerHasNoModel() throws Exception {
        try (NodeMcpServer standIn = NodeMcpServer.openAiStandIn()) {
            awaitTool("summarize");

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("summarize", Map.of("text", "Q4 costs fell")));

            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(result.structuredContent().toString()).contains("Stand-in model reply to: Summarize: Q4 costs fell")
                    .contains("stand-in-model-stand-in");
        }
    }

    @Test
    void theTypeScriptSdkClientListsCallsAndAnswersTheRunsQuestion() throws Exception {
        awaitTool("approve_by_caller");
        java.nio.file.Path script = java.nio.file.Path.of(System.getProperty("statehouse.it.node.dir", "target/node"), "ts-client.mjs");
        Process node = new ProcessBuilder("node", script.toString(), BASE + ENDPOINT, "demo", "demo").redirectErrorStream(true).start();
        boolean finished = node.waitFor(60, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            node.destroyForcibly();
        }
        assertThat(finished).as(output).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        String result = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        assertThat(result).as(output).contains("\"greet\"").contains("\"approve_by_caller\"")
                .contains("Hello, Dewi (3)").contains("approved by the TypeScript client").contains("Decide on the request");
    }

    @Test
    void argumentsThatDoNotFitTheSchemaAreAClearError() {
        awaitTool("greet");

        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet", Map.of("times", 2)));

        assertThat(result.isError()).isTrue();
        assertThat(result.content().toString()).contains("name");
    }

    @Test
    void withoutCredentialsThereIsNoSession() {
        HttpResponse<String> anonymous = Http.anonymous().postJson(BASE + ENDPOINT, initialize(), "Accept", "application/json, text/event-stream");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("Basic"));
        // Not demo: Camunda's login throttling would lock the user the other tests act as.
        HttpResponse<String> wrong = Http.as("mcp-stranger", "wrong-password-for-mcp").postJson(BASE + ENDPOINT, initialize(),
                "Accept", "application/json, text/event-stream");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void aForeignOriginAndAnUnknownSessionAreRefused() {
        HttpResponse<String> foreign = demo.postJson(BASE + ENDPOINT, initialize(), "Accept", "application/json, text/event-stream",
                "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = demo.postJson(BASE + ENDPOINT,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", "Accept", "application/json, text/event-stream",
                "Mcp-Session-Id", "no-such-session");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void theSdkClientWithAWrongPasswordCannotConnect() {
        McpSyncClient stranger = McpClient.sync(transport("mcp-stranger", "not-the-password")).requestTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(stranger::initialize).isInstanceOf(RuntimeException.class);
        stranger.close();
    }

    private McpSchema.Tool awaitTool(String name) {
        deployTools();
        client = McpClient.sync(transport("demo", "demo")).requestTimeout(Duration.ofMinutes(2)).build();
        client.initialize();
        McpSchema.Tool[] found = new McpSchema.Tool[1];
        Http.await("tool " + name + " to be listed", Duration.ofSeconds(30), () -> {
            client.listTools().tools().stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(t -> found[0] = t);
            return found[0] != null;
        });
        return found[0];
    }

    private synchronized void deployTools() {
        if (deployed) {
            return;
        }
        HttpResponse<String> response = demo.postDeployment(ENGINE_REST + "/deployment/create", "it-mcp-server-tools", "tools.bpmn", TOOLS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        deployed = true;
    }

    private static HttpClientStreamableHttpTransport transport(String user, String password) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClientStreamableHttpTransport.builder(BASE).endpoint(ENDPOINT)
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", basic)).build();
    }

    private static String initialize() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";
    }


    /** Two processes marked as tools: one that answers at once, one that waits for a person. */
    static final String TOOLS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              id="Definitions_ItTools" targetNamespace="https://statehouse.io/it">
              <bpmn:process id="GreetToolProcess" name="Greet someone" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:documentation>Greets a person by name, as often as asked.</bpmn:documentation>
                <bpmn:extensionElements>
                  <camunda:properties>
                    <camunda:property name="statehouse.tool" value="true" />
                    <camunda:property name="statehouse.tool.name" value="greet" />
                    <camunda:property name="statehouse.tool.output" value="greeting" />
                  </camunda:properties>
                </bpmn:extensionElements>
                <bpmn:startEvent id="StartEvent_GreetingAsked">
                  <bpmn:extensionElements>
                    <camunda:formData>
                      <camunda:formField id="name" label="Name" type="string">
                        <camunda:validation><camunda:constraint name="required" /></camunda:validation>
                      </camunda:formField>
                      <camunda:formField id="times" label="How often" type="long" defaultValue="1" />
                    </camunda:formData>
                  </bpmn:extensionElements>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="Flow_ToGreet" sourceRef="StartEvent_GreetingAsked" targetRef="Task_Greet" />
                <bpmn:serviceTask id="Task_Greet" camunda:expression="${execution.setVariable('greeting', 'Hello, '.concat(name).concat(' (').concat(times.toString()).concat(')'))}" />
                <bpmn:sequenceFlow id="Flow_ToGreeted" sourceRef="Task_Greet" targetRef="EndEvent_Greeted" />
                <bpmn:endEvent id="EndEvent_Greeted" />
              </bpmn:process>
              <bpmn:process id="ApproveToolProcess" name="Approve a request" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:extensionElements>
                  <camunda:properties>
                    <camunda:property name="statehouse.tool" value="true" />
                    <camunda:property name="statehouse.tool.name" value="approve" />
                    <camunda:property name="statehouse.tool.output" value="decision" />
                  </camunda:properties>
                </bpmn:extensionElements>
                <bpmn:startEvent id="StartEvent_ApprovalAsked">
                  <bpmn:extensionElements>
                    <camunda:formData>
                      <camunda:formField id="request" label="Request" type="string" />
                    </camunda:formData>
                  </bpmn:extensionElements>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="Flow_ToApprove" sourceRef="StartEvent_ApprovalAsked" targetRef="Task_Approve" />
                <bpmn:userTask id="Task_Approve" name="Approve the request" camunda:candidateGroups="reviewers" />
                <bpmn:sequenceFlow id="Flow_ToApproved" sourceRef="Task_Approve" targetRef="EndEvent_Approved" />
                <bpmn:endEvent id="EndEvent_Approved" />
              </bpmn:process>
              <bpmn:process id="ApproveByCallerToolProcess" name="Approve a request, asking the caller" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:extensionElements>
                  <camunda:properties>
                    <camunda:property name="statehouse.tool" value="true" />
                    <camunda:property name="statehouse.tool.name" value="approve_by_caller" />
                    <camunda:property name="statehouse.tool.output" value="decision" />
                  </camunda:properties>
                </bpmn:extensionElements>
                <bpmn:startEvent id="StartEvent_CallerApprovalAsked">
                  <bpmn:extensionElements>
                    <camunda:formData>
                      <camunda:formField id="request" label="Request" type="string" />
                    </camunda:formData>
                  </bpmn:extensionElements>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="Flow_ToDecide" sourceRef="StartEvent_CallerApprovalAsked" targetRef="Task_Decide" />
                <bpmn:userTask id="Task_Decide" name="Decide on the request" camunda:candidateGroups="reviewers">
                  <bpmn:extensionElements>
                    <camunda:properties>
                      <camunda:property name="statehouse.elicit" value="caller" />
                    </camunda:properties>
                    <camunda:formData>
                      <camunda:formField id="decision" label="Your decision" type="string">
                        <camunda:validation><camunda:constraint name="required" /></camunda:validation>
                      </camunda:formField>
                    </camunda:formData>
                  </bpmn:extensionElements>
                </bpmn:userTask>
                <bpmn:sequenceFlow id="Flow_ToDecided" sourceRef="Task_Decide" targetRef="EndEvent_Decided" />
                <bpmn:endEvent id="EndEvent_Decided" />
              </bpmn:process>
              <bpmn:process id="BreakToolProcess" name="Break" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:extensionElements>
                  <camunda:properties>
                    <camunda:property name="statehouse.tool" value="true" />
                    <camunda:property name="statehouse.tool.name" value="break" />
                  </camunda:properties>
                </bpmn:extensionElements>
                <bpmn:startEvent id="StartEvent_BreakAsked" />
                <bpmn:sequenceFlow id="Flow_ToBreak" sourceRef="StartEvent_BreakAsked" targetRef="Task_Break" />
                <bpmn:serviceTask id="Task_Break" camunda:asyncBefore="true" camunda:expression="${execution.getVariable('missing').length()}">
                  <bpmn:extensionElements>
                    <camunda:failedJobRetryTimeCycle>R1/PT1S</camunda:failedJobRetryTimeCycle>
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="Flow_ToBroken" sourceRef="Task_Break" targetRef="EndEvent_Broken" />
                <bpmn:endEvent id="EndEvent_Broken" />
              </bpmn:process>
              <bpmn:process id="SummarizeToolProcess" name="Summarize a text" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:extensionElements>
                  <camunda:properties>
                    <camunda:property name="statehouse.tool" value="true" />
                    <camunda:property name="statehouse.tool.name" value="summarize" />
                    <camunda:property name="statehouse.tool.output" value="samplingReply,samplingModel" />
                  </camunda:properties>
                </bpmn:extensionElements>
                <bpmn:startEvent id="StartEvent_SummaryAsked">
                  <bpmn:extensionElements>
                    <camunda:formData>
                      <camunda:formField id="text" label="Text" type="string" />
                    </camunda:formData>
                  </bpmn:extensionElements>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="Flow_ToSummarize" sourceRef="StartEvent_SummaryAsked" targetRef="Task_Summarize" />
                <bpmn:serviceTask id="Task_Summarize" name="Summarize" camunda:type="external" camunda:topic="statehouse-sampling">
                  <bpmn:extensionElements>
                    <camunda:inputOutput>
                      <camunda:inputParameter name="samplingPrompt">Summarize: ${text}</camunda:inputParameter>
                    </camunda:inputOutput>
                  </bpmn:extensionElements>
                </bpmn:serviceTask>
                <bpmn:sequenceFlow id="Flow_ToSummarized" sourceRef="Task_Summarize" targetRef="EndEvent_Summarized" />
                <bpmn:endEvent id="EndEvent_Summarized" />
              </bpmn:process>
            </bpmn:definitions>
            """;
}
