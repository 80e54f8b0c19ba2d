// Statehouse as the client under test in a client scenario of the MCP conformance suite: initialize,
// tools_call and elicitation-sep1034-client-defaults (both suite versions, MCP 2025-11-25), and of the
// 0.2.0-alpha line (MCP 2026-07-28) request-metadata, json-schema-ref-no-deref,
// sep-2322-client-request-state, and SEP-2243's http-standard-headers, http-custom-headers and
// http-invalid-tool-headers. The suite starts this script with its mock
// server's URL as the last argument (and, for some scenarios, the tool calls to make in
// MCP_CONFORMANCE_CONTEXT). The script registers that server in Statehouse and starts one run per
// tool call; each run's "MCP tool call" element calls its tool (in rounds, where the mock asks),
// and a person (this script, over the engine's REST API) answers the question tasks the rounds
// become. Which tools: the context's tool calls; for the header scenarios, every tool the mock
// lists (read here with one tools/list of its own, arguments made from each tool's schema); for the
// others, the tools their mocks offer (scenarioCalls). It prints each run's outcome and exits 0 once every run has ended. Environment: STATEHOUSE_BASE (http://127.0.0.1:8080),
// STATEHOUSE_USER / STATEHOUSE_PASSWORD (who answers), STATEHOUSE_OPERATOR / STATEHOUSE_OPERATOR_PASSWORD
// (who registers the server), STATEHOUSE_RUN_PROCESS (the process key of a run with one tool call).
const url = process.argv[process.argv.length - 1];
const base = process.env.STATEHOUSE_BASE ?? "http://127.0.0.1:8080";
const engine = `${base}/statehouse/engine-rest`;
const basic = (user, password) => "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const person = basic(process.env.STATEHOUSE_USER ?? "demo", process.env.STATEHOUSE_PASSWORD ?? "demo");
const operator = basic(process.env.STATEHOUSE_OPERATOR ?? "operator", process.env.STATEHOUSE_OPERATOR_PASSWORD ?? "");
const runProcess = process.env.STATEHOUSE_RUN_PROCESS ?? "McpClientItProcess";
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "sep-2322-client-request-state";
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};

// An argument for a property of the mock's schema, so that a listed tool can be called.
const sample = (property) => ({ string: "us-west1", integer: 1, number: 1.5, boolean: true, object: {}, array: [], null: null })[property?.type] ?? "x";

async function listedTools() {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28",
      "Mcp-Method": "tools/list" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "list", method: "tools/list", params: { _meta: {
      "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }),
  });
  const tools = (await response.json()).result?.tools ?? [];
  return tools.map((tool) => ({
    name: tool.name,
    arguments: Object.fromEntries((tool.inputSchema?.required ?? []).map((name) => [name, sample(tool.inputSchema.properties?.[name])])),
  }));
}

// The tools each scenario's mock offers, where the suite gives no context. A scenario of the first
// kind judges only what Statehouse sent (its initialize, or that it listed tools without fetching a
// remote $ref), so the run may end as the mock makes it end: initialize's mock declares no tools
// capability, json-schema-ref-no-deref's knows no tools/call.
const wireOnly = new Set(["initialize", "json-schema-ref-no-deref"]);
const scenarioCalls = {
  "initialize": [{ name: "probe", arguments: {} }],
  "tools_call": [{ name: "add_numbers", arguments: { a: 2, b: 3 } }],
  "elicitation-sep1034-client-defaults": [{ name: "test_client_elicitation_defaults", arguments: {} }],
  "request-metadata": [{ name: "probe", arguments: {} }],
  "json-schema-ref-no-deref": [{ name: "lookup_user", arguments: { id: "ayu-1" } }],
  "sep-2322-client-request-state": ["test_mrtr_echo_state", "test_mrtr_no_state", "test_mrtr_unrelated", "test_mrtr_no_result_type"]
    .map((name) => ({ name, arguments: {} })),
};

const toolCalls = context.toolCalls ?? (scenario.startsWith("http-") ? await listedTools() : scenarioCalls[scenario]);
if (!toolCalls) {
  console.log(JSON.stringify({ scenario, error: "conformance-client.mjs knows no tool calls for this scenario" }));
  process.exit(2);
}

async function call(method, path, authorization, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: authorization, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

const text = (value) => ({ value, type: "String" });
const server = `conformance-${Date.now()}`;
await call("PUT", `${base}/statehouse/api/mcp-servers/${server}`, operator, { url });
const runs = [];
for (const toolCall of toolCalls) {
  const run = await call("POST", `${engine}/process-definition/key/${runProcess}/start`, person, {
    variables: { server: text(server), tool: text(toolCall.name), arguments: text(JSON.stringify(toolCall.arguments ?? {})),
      review: text("none"), provider: text("human") },
  });
  runs.push({ tool: toolCall.name, id: run.id });
}

const deadline = Date.now() + 60000;
const answered = new Set();
while (Date.now() < deadline) {
  const calls = (await Promise.all(runs.map((r) => call("GET", `${engine}/process-instance?superProcessInstance=${r.id}`, person)))).flat();
  const tasks = (await Promise.all(calls.map((c) => call("GET", `${engine}/task?processInstanceId=${c.id}&taskDefinitionKey=Task_AnswerElicitation`, person)))).flat();
  for (const task of tasks) {
    if (answered.has(task.id)) continue;
    const schema = JSON.parse((await call("GET", `${engine}/task/${task.id}/variables/mcpRequestedSchema`, person)).value);
    // As a person who changes nothing the form fills in: a field with a default is left to it (Statehouse
    // applies the schema's defaults, SEP-1034); yes to every other yes-or-no question, "yes" in every other field.
    const content = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([, field]) => field.default === undefined)
      .map(([name, field]) => [name, field.type === "boolean" ? true : "yes"]));
    await call("POST", `${engine}/task/${task.id}/complete`, person, {
      variables: { mcpAction: text("accept"), mcpContent: text(JSON.stringify(content)) },
    });
    answered.add(task.id);
  }
  const states = await Promise.all(runs.map((r) => call("GET", `${engine}/history/process-instance/${r.id}`, person)));
  // A call Statehouse refuses to make (a tool whose definition breaks SEP-2243) stops at an incident that says why.
  const incidents = await Promise.all(runs.map((r) => call("GET", `${engine}/incident?processInstanceId=${r.id}`, person)));
  if (states.every((s, i) => s.state !== "ACTIVE" || incidents[i].length > 0)) {
    const outcomes = await Promise.all(runs.map(async (r, i) => {
      const variables = await call("GET", `${engine}/history/variable-instance?processInstanceId=${r.id}`, person);
      const error = variables.find((v) => v.name === "toolError")?.value ?? incidents[i][0]?.incidentMessage;
      return { tool: r.tool, state: incidents[i].length > 0 ? "INCIDENT" : states[i].state, ...(error ? { error } : {}) };
    }));
    console.log(JSON.stringify({ scenario, runs: outcomes, answered: answered.size }));
    // The header scenarios judge what Statehouse sent (a call it refuses stops at an incident), as do the
    // wire-only ones; the others want every run completed.
    const failed = outcomes.filter((o) => !wireOnly.has(scenario) && o.state !== "COMPLETED"
      && !(scenario.startsWith("http-") && o.state === "INCIDENT"));
    process.exit(failed.length === 0 ? 0 : 1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.log(JSON.stringify({ timedOut: true, runs }));
process.exit(1);
