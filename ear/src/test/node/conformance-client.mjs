// Statehouse as the client under test in a client scenario of the MCP conformance suite, for
// sep-2322-client-request-state (MCP 2026-07-28). The suite starts this script with its mock
// server's URL as the last argument. The script registers that server in Statehouse and starts one
// run per tool the mock serves; each run's "MCP tool call" element calls its tool in rounds, and a
// person (this script, over the engine's REST API) answers the question tasks the rounds become.
// It exits 0 once every run has completed. Environment: STATEHOUSE_BASE (http://127.0.0.1:8080),
// STATEHOUSE_USER / STATEHOUSE_PASSWORD (who answers), STATEHOUSE_OPERATOR / STATEHOUSE_OPERATOR_PASSWORD
// (who registers the server), STATEHOUSE_RUN_PROCESS (the process key of a run with one tool call).
const url = process.argv[process.argv.length - 1];
const base = process.env.STATEHOUSE_BASE ?? "http://127.0.0.1:8080";
const engine = `${base}/statehouse/engine-rest`;
const basic = (user, password) => "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const person = basic(process.env.STATEHOUSE_USER ?? "demo", process.env.STATEHOUSE_PASSWORD ?? "demo");
const operator = basic(process.env.STATEHOUSE_OPERATOR ?? "operator", process.env.STATEHOUSE_OPERATOR_PASSWORD ?? "");
const runProcess = process.env.STATEHOUSE_RUN_PROCESS ?? "McpClientItProcess";
const tools = ["test_mrtr_echo_state", "test_mrtr_no_state", "test_mrtr_unrelated", "test_mrtr_no_result_type"];

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
for (const tool of tools) {
  const run = await call("POST", `${engine}/process-definition/key/${runProcess}/start`, person, {
    variables: { server: text(server), tool: text(tool), arguments: text("{}"), review: text("none"), provider: text("human") },
  });
  runs.push({ tool, id: run.id });
}

const deadline = Date.now() + 60000;
const answered = new Set();
while (Date.now() < deadline) {
  const calls = (await Promise.all(runs.map((r) => call("GET", `${engine}/process-instance?superProcessInstance=${r.id}`, person)))).flat();
  const tasks = (await Promise.all(calls.map((c) => call("GET", `${engine}/task?processInstanceId=${c.id}&taskDefinitionKey=Task_AnswerElicitation`, person)))).flat();
  for (const task of tasks) {
    if (answered.has(task.id)) continue;
    const schema = JSON.parse((await call("GET", `${engine}/task/${task.id}/variables/mcpRequestedSchema`, person)).value);
    // Yes to every yes-or-no question of the mock server: it asks to confirm.
    const content = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, field]) => [name, field.type === "boolean" ? true : "yes"]));
    await call("POST", `${engine}/task/${task.id}/complete`, person, {
      variables: { mcpAction: text("accept"), mcpContent: text(JSON.stringify(content)) },
    });
    answered.add(task.id);
  }
  const states = await Promise.all(runs.map((r) => call("GET", `${engine}/history/process-instance/${r.id}`, person)));
  if (states.every((s) => s.state !== "ACTIVE")) {
    const failed = runs.filter((r, i) => states[i].state !== "COMPLETED");
    console.log(JSON.stringify({ runs: runs.map((r, i) => ({ tool: r.tool, state: states[i].state })), answered: answered.size }));
    process.exit(failed.length === 0 ? 0 : 1);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.log(JSON.stringify({ timedOut: true, runs }));
process.exit(1);
