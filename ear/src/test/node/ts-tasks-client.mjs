// A task requester on the TypeScript SDK v2 client (@modelcontextprotocol/client) and the Tasks extension's
// own requester (@modelcontextprotocol/ext-tasks/client): it calls one tool of a 2026-07-28 MCP server as a
// task (io.modelcontextprotocol/tasks, SEP-2663) and follows it with the package's API. One scenario per run.
//   node ts-tasks-client.mjs <endpoint-url> <user> <password> <scenario> <tool> <argumentsJson> [answerJson]
// Scenarios:
//   answer  answers every input request of the task with {action: "accept", content: <answerJson>} (the
//           package's input handler; the package sends tasks/update), then follows the task to its end
//   watch   never answers: prints {"watching": "<taskId>"} as soon as the task exists, then polls the task
//           (tasks/get at the server's pollIntervalMs) until it ends, answered or ended elsewhere
//   cancel  once the task is seen working or input_required, cancels it (tasks/cancel), then reads it once more
// Last line (exit 0): {"scenario", "taskId", "statuses": [each status seen, first-seen order, no repeats],
// "result": <the tool result's structuredContent or null>, "text": <its first text content, or a failed
// task's error message, or null>, "finalStatus"}. Any error: {"error": "<message>"} and exit 1. Gives up after 60 s.
//
// The package talks 2026-07-28 task traffic (tools/call, tasks/*) only through a host-owned raw dispatch
// (`rawDispatch`, below: one HTTP POST per request, with Authorization, MCP-Protocol-Version, Mcp-Method and
// Mcp-Name) and frames each request's _meta envelope itself from `v2RequestFraming`, declaring the extension;
// server/discover and tools/list go through the SDK Client, which declares the extension in its capabilities.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createTaskSessionFromClient, DispatchError } from "@modelcontextprotocol/ext-tasks/client";
import { ElicitResultV2Schema, TASKS_EXTENSION_ID_V2 } from "@modelcontextprotocol/ext-tasks/core/v2";

const PROTOCOL_VERSION = "2026-07-28";
const TIME_LIMIT_MS = 60_000;
const TERMINAL = new Set(["completed", "failed", "cancelled"]);

const [url, user, password, scenario, tool, argumentsJson = "{}", answerJson] = process.argv.slice(2);
const authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const out = { scenario, taskId: null, statuses: [], result: null, text: null, finalStatus: null };

function finish(line, code) {
  clearTimeout(deadline);
  process.stdout.write(JSON.stringify(line) + "\n", () => process.exit(code));
}

function describe(error) {
  let message = error instanceof Error ? error.message : String(error);
  if (typeof error?.code === "number") message += ` (code ${error.code})`;
  for (let cause = error?.cause; cause !== undefined && cause !== null; cause = cause.cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    if (!message.endsWith(text)) message += `: ${text}`;
  }
  return message;
}

const deadline = setTimeout(() => finish({ error: `gave up after ${TIME_LIMIT_MS / 1000} s` }, 1), TIME_LIMIT_MS);

function see(status) {
  if (status !== undefined && !out.statuses.includes(status)) out.statuses.push(status);
}

function takeToolResult(result) {
  out.result = result?.structuredContent ?? null;
  out.text = result?.content?.find((c) => c.type === "text")?.text ?? null;
}

/** A TaskOutcome (with the last TaskView seen) into the output. */
function takeOutcome(outcome, lastTask) {
  const task = outcome.task ?? lastTask;
  if (outcome.status === "completed") takeToolResult(outcome.result);
  else if (outcome.status === "failed") {
    // The package reports a result it cannot decode (or a lost connection) as a failed outcome too:
    // only a task the server itself marks failed is a task outcome, the rest is this run's error.
    if (task?.status !== "failed") throw outcome.error;
    out.text = outcome.error.message;
  }
  out.finalStatus = task?.status ?? outcome.status;
  see(out.finalStatus);
}

function pollDelay(view) {
  // As the package's own driver: the server's hint, floored at 10 ms, 1 s when there is none.
  return view.suggestedPollIntervalMs === undefined ? 1000 : Math.max(10, view.suggestedPollIntervalMs);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The host-owned request path of 2026-07-28 task traffic ----------------------------------------------

let nextId = 0;

/** One JSON-RPC message out of a response: the answer to `id` (a 2026-07-28 server may answer with SSE). */
function answerIn(contentType, text, id) {
  if (!contentType.includes("text/event-stream")) return JSON.parse(text);
  const messages = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
    if (data !== "") messages.push(JSON.parse(data));
  }
  const answer = messages.find((m) => m.id === id && ("result" in m || "error" in m));
  if (answer === undefined) throw new Error(`the event stream carried no answer to request ${id}`);
  return answer;
}

async function rawDispatch(request, options = {}) {
  const id = ++nextId;
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    Authorization: authorization,
    "MCP-Protocol-Version": PROTOCOL_VERSION,
    "Mcp-Method": request.method,
    // tasks/* get Mcp-Name (= taskId) from the package, through options.context.headers.
    ...(request.method === "tools/call" ? { "Mcp-Name": request.params.name } : {}),
    ...(options.context?.headers ?? {}),
  };
  const signals = [options.signal, options.context?.requestTimeoutMs === undefined ? undefined : AbortSignal.timeout(options.context.requestTimeoutMs)]
    .filter((s) => s !== undefined);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id, ...request }),
      ...(signals.length === 0 ? {} : { signal: AbortSignal.any(signals) }),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DispatchError(`${request.method}: ${describe(error)}`, false, { cause: error });
  }
  const text = await response.text();
  let message;
  try {
    message = answerIn(response.headers.get("content-type") ?? "", text, id);
  } catch {
    throw new DispatchError(`${request.method}: HTTP ${response.status} ${text.slice(0, 300)}`);
  }
  // JSON-RPC errors come with HTTP 200 or 400 (header/capability checks); both are protocol answers.
  if (message?.error !== undefined) return { kind: "error", error: message.error };
  if (!response.ok || message?.result === undefined) throw new DispatchError(`${request.method}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { kind: "result", result: message.result };
}

// --- The run ---------------------------------------------------------------------------------------------

async function run() {
  if (!["answer", "watch", "cancel"].includes(scenario)) throw new Error(`unknown scenario ${scenario}`);
  if (!tool) throw new Error("usage: ts-tasks-client.mjs <url> <user> <password> <scenario> <tool> <argumentsJson> [answerJson]");
  const args = JSON.parse(argumentsJson);
  let answer;
  if (scenario === "answer") {
    answer = { action: "accept", content: JSON.parse(answerJson ?? "{}") };
    // The package drops (and asks again for) an answer that is not an ElicitResult: fail now instead.
    const checked = ElicitResultV2Schema.safeParse(answer);
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      throw new Error(`answerJson is no elicitation content (string, number, boolean or string[] values): ${problems}`);
    }
  }

  const clientInfo = { name: "statehouse-it-ts-tasks", version: "1.0.0" };
  const clientCapabilities = { elicitation: { form: {} }, extensions: { [TASKS_EXTENSION_ID_V2]: {} } };
  const client = new Client(clientInfo, { capabilities: clientCapabilities, versionNegotiation: { mode: { pin: PROTOCOL_VERSION } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: authorization } } }));

  const session = createTaskSessionFromClient(client, {
    endpointId: url,
    rawDispatch,
    v2RequestFraming: { protocolVersion: PROTOCOL_VERSION, clientInfo, clientCapabilities },
    onError: (error) => console.error("ext-tasks:", describe(error)),
    onInputRequest: async (request, context) => {
      if (scenario === "answer") {
        if (request.kind !== "elicitation") throw new Error(`cannot answer a ${request.kind} request`);
        return answer;
      }
      // watch and cancel never answer. Without a handler the package would answer an elicitation with
      // {action: "cancel"}; a handler that ends only when the task's input lifetime does answers nothing.
      await new Promise((resolve, reject) => context.signal?.addEventListener("abort", () => reject(new Error("input lifetime ended")), { once: true }));
      throw new Error("unreachable");
    },
  });
  try {
    if (session.capabilities.execution !== true) {
      throw new Error(`the server does not offer ${TASKS_EXTENSION_ID_V2} as the package needs it (capabilities.extensions["${TASKS_EXTENSION_ID_V2}"] = {}): ${JSON.stringify(client.getServerCapabilities())}`);
    }
    // preference "require": an immediate (non-task) answer fails the call instead of passing for a task.
    const execution = await session.callTool(tool, args, { task: { preference: "require" } });
    out.taskId = execution.handle.taskId;

    if (scenario === "answer") {
      const { outcome, lastTask } = await execution.settle({ onEvent: (event) => event.type === "task" && see(event.task.status) });
      takeOutcome(outcome, lastTask);
      return;
    }

    if (scenario === "watch") process.stdout.write(JSON.stringify({ watching: out.taskId }) + "\n");
    // Stop the execution's own driver (it would answer input requests) without cancelling the task, and
    // follow the task with a non-owning controller: tasks/get, tasks/cancel.
    await execution.detach();
    const task = session.task(out.taskId);
    let view;
    for (;;) {
      view = await task.snapshot();
      see(view.status);
      if (TERMINAL.has(view.status) || (scenario === "cancel" && ["working", "input_required"].includes(view.status))) break;
      await sleep(pollDelay(view));
    }
    if (scenario === "watch") {
      takeOutcome(await task.result(), view);
      return;
    }
    if (!TERMINAL.has(view.status)) {
      await task.cancel();
      view = await task.snapshot();
      see(view.status);
    }
    out.finalStatus = view.status;
    if (view.status === "completed") takeToolResult(view.raw.result);
    if (view.status === "failed") out.text = view.raw.error?.message ?? null;
  } finally {
    await session.close();
    await client.close();
  }
}

run().then(() => finish(out, 0), (error) => finish({ error: describe(error) }, 1));
