// A remote MCP server on the TypeScript SDK v2 (@modelcontextprotocol/server) that speaks MCP 2026-07-28
// statelessly and serves the Tasks extension (io.modelcontextprotocol/tasks, SEP-2663) as its receiver:
// a tools/call answers with a task handle (resultType "task"), which the caller follows with tasks/get,
// answers with tasks/update and may stop with tasks/cancel (Mcp-Name = the task id). Tasks live in memory.
//   node tasks-server.mjs [port]        (or PORT=...; 0 or nothing: any free port)
// It prints one JSON line, {"url":"http://127.0.0.1:<port>/mcp"}, once it listens.
// Tool `book_trip` {destination}: working ~1 s, then input_required with one elicitation keyed `traveller`;
// once tasks/update answers it, working ~1 s more, then completed: "Booked <destination> for <name>".
// Tool `slow_report` {seconds}: working for that long, then completed: "Report ready".
// Without the extension declared on the tools/call, book_trip is refused with -32021 (it cannot be
// served without a task) and slow_report answers at once, when its time is up, with the plain result.
// Every request it gets is one JSON line on stderr; GET /calls answers them all as a JSON array.
//
// @modelcontextprotocol/ext-tasks 0.2.2 has no 2026-07-28 receiver for servers (its ./receiver binds
// 2025-11-25 task-augmented sampling/elicitation to an SDK Client), so the task lifecycle is kept
// here; the package's V2 wire schemas (./core/v2) check every task message this server sends or takes.
import http from "node:http";
import crypto from "node:crypto";
import { McpServer, createMcpHandler, ProtocolError, ProtocolErrorCode, MissingRequiredClientCapabilityError } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";
import {
  TASKS_EXTENSION_ID_V2 as TASKS,
  CLIENT_CAPABILITIES_META_KEY_V2,
  hasTaskClientCapabilityV2,
  CreateTaskResultV2Schema,
  GetTaskResultV2Schema,
  UpdateTaskResultV2Schema,
  CancelTaskResultV2Schema,
  InputResponsesV2Schema,
} from "@modelcontextprotocol/ext-tasks/core/v2";
import { z } from "zod";

const PORT = Number(process.argv[2] ?? process.env.PORT ?? 0);
const TTL_MS = 10 * 60 * 1000;
const POLL_INTERVAL_MS = Number(process.env.POLL_INTERVAL_MS ?? 500);
const STEP_MS = 1000;

const calls = [];
const tasks = new Map();

// --- The tasks, in memory -------------------------------------------------------------------------

function now() {
  return new Date().toISOString();
}

function createTask(tool) {
  const at = now();
  const record = {
    tool,
    task: { taskId: crypto.randomUUID(), status: "working", createdAt: at, lastUpdatedAt: at, ttlMs: TTL_MS, pollIntervalMs: POLL_INTERVAL_MS },
    timers: new Set(),
    onInput: undefined,
  };
  tasks.set(record.task.taskId, record);
  const expiry = setTimeout(() => tasks.delete(record.task.taskId), TTL_MS);
  expiry.unref();
  return record;
}

function terminal(record) {
  return ["completed", "failed", "cancelled"].includes(record.task.status);
}

function after(record, ms, step) {
  const timer = setTimeout(() => {
    record.timers.delete(timer);
    if (!terminal(record)) step();
  }, ms);
  record.timers.add(timer);
}

function transition(record, status, fields = {}) {
  const { inputRequests, result, error, statusMessage } = fields;
  delete record.task.statusMessage;
  record.task = { ...record.task, status, lastUpdatedAt: now(), ...(statusMessage === undefined ? {} : { statusMessage }) };
  record.inputRequests = inputRequests;
  record.result = result;
  record.error = error;
  if (status !== "input_required") record.onInput = undefined;
  if (terminal(record)) {
    for (const timer of record.timers) clearTimeout(timer);
    record.timers.clear();
  }
}

/** The DetailedTask of tasks/get: the task, with inputRequests, result or error as its status has them. */
function detailed(record) {
  return {
    ...record.task,
    ...(record.task.status === "input_required" ? { inputRequests: record.inputRequests } : {}),
    // The CallToolResult the tools/call would have answered on 2026-07-28, resultType and all (the
    // extension's requester parses it as one: @modelcontextprotocol/ext-tasks' CallToolResultV2Schema).
    ...(record.task.status === "completed" ? { result: { resultType: "complete", ...record.result } } : {}),
    ...(record.task.status === "failed" ? { error: record.error } : {}),
  };
}

function checked(schema, value, what) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProtocolError(ProtocolErrorCode.InternalError, `tasks-server built an invalid ${what}: ${parsed.error.message}`);
  return value;
}

function toolResult(text, structuredContent, isError = false) {
  return { content: [{ type: "text", text }], ...(structuredContent === undefined ? {} : { structuredContent }), isError };
}

const TRAVELLER_SCHEMA = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };

function startBooking(destination) {
  const record = createTask("book_trip");
  after(record, STEP_MS, () => {
    transition(record, "input_required", {
      statusMessage: `Waiting for the traveller to ${destination}`,
      inputRequests: {
        traveller: {
          method: "elicitation/create",
          params: { mode: "form", message: `Who travels to ${destination}?`, requestedSchema: TRAVELLER_SCHEMA },
        },
      },
    });
    record.onInput = (responses) => {
      const answer = responses.traveller;
      if (answer === undefined) return; // another key: ignored, the task stays input_required
      const name = answer.action === "accept" ? answer.content?.name : undefined;
      if (typeof name !== "string" || name.length === 0) {
        transition(record, "completed", { result: toolResult(`Not booked: the traveller's form was answered with ${answer.action}`, undefined, true) });
        return;
      }
      transition(record, "working", { statusMessage: `Booking ${destination} for ${name}` });
      after(record, STEP_MS, () =>
        transition(record, "completed", { result: toolResult(`Booked ${destination} for ${name}`, { destination, traveller: name }) }));
    };
  });
  return record;
}

function startReport(seconds) {
  const record = createTask("slow_report");
  after(record, Math.max(0, seconds) * 1000, () => transition(record, "completed", { result: toolResult("Report ready") }));
  return record;
}

function taskOf(taskId) {
  const record = tasks.get(taskId);
  if (!record) throw new ProtocolError(ProtocolErrorCode.InvalidParams, "Failed to retrieve task: Task not found");
  return record;
}

function missingTasksCapability() {
  return new MissingRequiredClientCapabilityError({ requiredCapabilities: { extensions: { [TASKS]: {} } } }, "Missing required client capability");
}

/** Whether the request declared the tasks extension in its per-request client capabilities. */
function declaresTasks(ctx) {
  return hasTaskClientCapabilityV2({ _meta: ctx.mcpReq.envelope ?? {} });
}

// --- The MCP server ------------------------------------------------------------------------------

const TOOLS = [
  {
    name: "book_trip",
    description: "Books a trip as a task: asks who travels (elicitation, through the task), then books",
    inputSchema: { type: "object", properties: { destination: { type: "string" } }, required: ["destination"] },
  },
  {
    name: "slow_report",
    description: "Writes a report as a task that works for the given number of seconds",
    inputSchema: { type: "object", properties: { seconds: { type: "number", minimum: 0 } }, required: ["seconds"] },
  },
];

const TaskIdParams = z.looseObject({ taskId: z.string() });

function factory() {
  const mcp = new McpServer({ name: "statehouse-it-tasks", version: "1.0.0" }, { capabilities: { tools: {}, extensions: { [TASKS]: {} } } });
  const server = mcp.server;
  server.setRequestHandler("tools/list", () => ({ tools: TOOLS }));
  server.setRequestHandler("tools/call", async (request, ctx) => {
    const { name, arguments: args = {} } = request.params;
    const tasking = declaresTasks(ctx);
    if (name === "book_trip") {
      if (typeof args.destination !== "string") throw new ProtocolError(ProtocolErrorCode.InvalidParams, "book_trip needs {destination: string}");
      if (!tasking) throw missingTasksCapability();
      return checked(CreateTaskResultV2Schema, { resultType: "task", ...startBooking(args.destination).task }, "CreateTaskResult");
    }
    if (name === "slow_report") {
      const seconds = Number(args.seconds ?? 0);
      if (!Number.isFinite(seconds)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, "slow_report needs {seconds: number}");
      if (!tasking) {
        await new Promise((done) => setTimeout(done, Math.max(0, seconds) * 1000));
        return toolResult("Report ready");
      }
      return checked(CreateTaskResultV2Schema, { resultType: "task", ...startReport(seconds).task }, "CreateTaskResult");
    }
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
  });
  server.setRequestHandler("tasks/get", { params: TaskIdParams }, (params, ctx) => {
    if (!declaresTasks(ctx)) throw missingTasksCapability();
    return checked(GetTaskResultV2Schema, { resultType: "complete", ...detailed(taskOf(params.taskId)) }, "GetTaskResult");
  });
  server.setRequestHandler("tasks/update", { params: TaskIdParams }, (params, ctx) => {
    if (!declaresTasks(ctx)) throw missingTasksCapability();
    const record = taskOf(params.taskId);
    // The SDK lifts a request's top-level inputResponses (reserved for multi round-trip requests) out of
    // its params before handlers run: tasks/update's own field arrives at ctx.mcpReq.inputResponses.
    const responses = InputResponsesV2Schema.safeParse(params.inputResponses ?? ctx.mcpReq.inputResponses);
    if (!responses.success) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Invalid inputResponses: ${responses.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`);
    // Keys that are not outstanding (never asked, answered already) are ignored, as the extension says.
    const outstanding = Object.fromEntries(Object.entries(responses.data).filter(([key]) => record.task.status === "input_required" && key in (record.inputRequests ?? {})));
    if (Object.keys(outstanding).length > 0) record.onInput?.(outstanding);
    return checked(UpdateTaskResultV2Schema, { resultType: "complete" }, "UpdateTaskResult");
  });
  server.setRequestHandler("tasks/cancel", { params: TaskIdParams }, (params, ctx) => {
    if (!declaresTasks(ctx)) throw missingTasksCapability();
    const record = taskOf(params.taskId);
    if (!terminal(record)) transition(record, "cancelled", { statusMessage: "Cancelled at the caller's request" });
    return checked(CancelTaskResultV2Schema, { resultType: "complete" }, "CancelTaskResult");
  });
  return mcp;
}

// --- HTTP: /mcp, and /calls for the tests ---------------------------------------------------------

function logCall(req, body) {
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    if (message === null || typeof message !== "object" || typeof message.method !== "string") continue;
    const params = message.params ?? {};
    const meta = params._meta ?? {};
    const entry = {
      method: message.method,
      ...(message.id === undefined ? { notification: true } : {}),
      protocolVersion: meta["io.modelcontextprotocol/protocolVersion"] ?? req.headers["mcp-protocol-version"] ?? null,
      mcpMethod: req.headers["mcp-method"] ?? null,
      mcpName: req.headers["mcp-name"] ?? null,
      tasksDeclared: meta[CLIENT_CAPABILITIES_META_KEY_V2] !== undefined ? hasTaskClientCapabilityV2(params) : false,
      ...(message.method === "tools/call" ? { tool: params.name, arguments: params.arguments ?? {} } : {}),
      ...(typeof params.taskId === "string" ? { taskId: params.taskId } : {}),
      ...(message.method === "tasks/update" ? { inputResponseKeys: Object.keys(params.inputResponses ?? {}), inputResponses: params.inputResponses ?? {} } : {}),
      at: now(),
    };
    calls.push(entry);
    process.stderr.write(JSON.stringify(entry) + "\n");
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const handle = toNodeHandler(createMcpHandler(factory, { onerror: (e) => process.stderr.write(JSON.stringify({ onerror: e.message }) + "\n") }));

const httpServer = http.createServer(async (req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (path === "/calls" && req.method === "GET") {
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(calls));
  } else if (path === "/mcp") {
    if (req.method !== "POST") return handle(req, res);
    const text = await readBody(req);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      process.stderr.write(JSON.stringify({ unparsable: text.slice(0, 200) }) + "\n");
      res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
      return;
    }
    logCall(req, body);
    handle(req, res, body);
  } else {
    res.writeHead(404).end();
  }
});

httpServer.listen(PORT, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${httpServer.address().port}/mcp` }));
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
