// The TypeScript SDK v2 client (@modelcontextprotocol/client), an independent implementation, as a
// caller of Statehouse's MCP server. One scenario per run; prints one JSON line with what it saw.
//   node ts-client.mjs <endpoint-url> <user> <password> [scenario]
// Scenarios:
//   basic          lists the tools, calls `greet`, answers `approve_by_caller` with its elicitation handler
//   tasklist-wins  calls `approve_by_caller` and does not answer; a person answers in the Tasklist, and
//                  the handler's signal reports that the server withdrew the question
//   cancel [request] calls `approve` (waits for a person) with that request and aborts the call after 3 s
//   sampling       calls `summarize`; its sampling handler plays the caller's model
//   progress       calls `greet` with a progress handler
//   bad-arguments  calls `greet` without its required argument
//   unknown-session, no-credentials: raw HTTP, what the server answers
//   rounds         negotiates the protocol ("auto": server/discover, then 2026-07-28), calls `greet`, and
//                  answers `approve_by_caller` in multi round-trip requests with its elicitation handler
//   wait-for-person <request> [2025-11-25|2026-07-28]
//                  calls `approve` (its run waits for a person in the Tasklist) with that request, in that
//                  protocol era (2026-07-28: "auto", server/discover first), and prints its result (or its
//                  error text) and the progress it heard; with `no-progress` last, it asks for no progress
//                  (a stream with progress events is one the SDK tries to resume when it drops), and with
//                  `timeout=<ms>` it gives up after that long (120000 by default)
//   call <tool> <request> [2025-11-25|2026-07-28]
//                  the same with any tool, answering each question it is asked with {decision: "confirmed by the caller"}
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const [url, user, password, scenario = "basic"] = process.argv.slice(2);
const authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const out = { scenario };

function client(capabilities, versionNegotiation) {
  return new Client({ name: "statehouse-it-ts", version: "1.0.0" }, { capabilities, ...(versionNegotiation ? { versionNegotiation } : {}) });
}

async function connect(c) {
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: authorization } } }));
  out.protocolVersion = c.getNegotiatedProtocolVersion ? c.getNegotiatedProtocolVersion() : undefined;
  return c;
}

async function raw(headers, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

const initialize = {
  jsonrpc: "2.0", id: 1, method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

switch (scenario) {
  case "basic": {
    const c = client({ elicitation: { form: {} } });
    const asked = [];
    c.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { decision: "approved by the TypeScript client" } };
    });
    await connect(c);
    out.tools = (await c.listTools()).tools.map((t) => t.name);
    out.greet = (await c.callTool({ name: "greet", arguments: { name: "Dewi", times: 3 } })).structuredContent;
    out.approve = (await c.callTool({ name: "approve_by_caller", arguments: { request: "A second monitor" } })).structuredContent;
    out.asked = asked;
    await c.close();
    break;
  }
  case "rounds": {
    const c = client({ elicitation: { form: {} } }, { mode: "auto" });
    const asked = [];
    c.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params.message);
      return { action: "accept", content: { decision: "approved in rounds" } };
    });
    await connect(c);
    out.era = c.getProtocolEra();
    out.tools = (await c.listTools()).tools.map((t) => t.name);
    out.greet = (await c.callTool({ name: "greet", arguments: { name: "Wayan", times: 2 } })).structuredContent;
    out.approve = (await c.callTool({ name: "approve_by_caller", arguments: { request: "A round table" } })).structuredContent;
    out.asked = asked;
    await c.close();
    break;
  }
  case "wait-for-person":
  case "call": {
    const args = process.argv.slice(6).filter((a) => a !== "no-progress" && !a.startsWith("timeout="));
    const quiet = process.argv.includes("no-progress");
    const timeout = Number(process.argv.find((a) => a.startsWith("timeout="))?.substring(8) ?? 120000);
    const [tool, request, era = "2025-11-25"] = scenario === "call" ? args : ["approve", ...args];
    const c = client(scenario === "call" ? { elicitation: { form: {} } } : {}, era === "2026-07-28" ? { mode: "auto" } : undefined);
    if (scenario === "call") {
      out.asked = [];
      c.setRequestHandler("elicitation/create", async (request) => {
        out.asked.push(request.params.message);
        return { action: "accept", content: { decision: "confirmed by the caller" } };
      });
    }
    await connect(c);
    out.era = c.getProtocolEra();
    console.log(JSON.stringify({ calling: request }));
    out.progress = [];
    const result = await c.callTool({ name: tool, arguments: { request } },
      quiet ? { timeout } : { timeout, onprogress: (p) => out.progress.push(p) });
    // A run that did not complete has no structured content: its error text says why.
    out.result = result.structuredContent ?? null;
    out.isError = result.isError === true;
    out.text = result.content?.find((c) => c.type === "text")?.text ?? null;
    await c.close();
    break;
  }
  case "tasklist-wins": {
    const c = client({ elicitation: { form: {} } });
    let withdrawn = new Promise(() => {});
    c.setRequestHandler("elicitation/create", (request, ctx) => {
      out.asked = request.params.message;
      console.log(JSON.stringify({ asked: true }));
      // Nobody answers here; the request ends when the server withdraws it.
      withdrawn = new Promise((resolve) => ctx.mcpReq.signal.addEventListener("abort", () => resolve(String(ctx.mcpReq.signal.reason))));
      return new Promise((resolve, reject) => ctx.mcpReq.signal.addEventListener("abort", () => reject(new Error("withdrawn"))));
    });
    await connect(c);
    const result = await c.callTool({ name: "approve_by_caller", arguments: { request: "A standing desk" } }, { timeout: 120000 });
    out.result = result.structuredContent;
    out.withdrawn = await Promise.race([withdrawn, new Promise((resolve) => setTimeout(() => resolve(null), 5000))]);
    await c.close();
    break;
  }
  case "cancel": {
    const [request = "To be cancelled"] = process.argv.slice(6);
    const c = await connect(client({}));
    const abort = new AbortController();
    setTimeout(() => abort.abort("the agent changed its mind"), 3000);
    try {
      await c.callTool({ name: "approve", arguments: { request } }, { signal: abort.signal, timeout: 120000 });
      out.outcome = "answered";
    } catch (e) {
      out.outcome = "aborted";
      out.error = String(e.message ?? e);
    }
    // Let the notification reach the server before the session ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await c.close();
    break;
  }
  case "sampling": {
    const c = client({ sampling: {} });
    c.setRequestHandler("sampling/createMessage", async (request) => {
      out.prompt = request.params.messages[0].content.text;
      return { role: "assistant", model: "ts-caller-model", content: { type: "text", text: "A short summary from the TypeScript caller" } };
    });
    await connect(c);
    out.result = (await c.callTool({ name: "summarize", arguments: { text: "Long text about tax forms" } })).structuredContent;
    await c.close();
    break;
  }
  case "progress": {
    const c = await connect(client({}));
    out.progress = [];
    const result = await c.callTool({ name: "greet", arguments: { name: "Sari", times: 1 } },
      { onprogress: (p) => out.progress.push(p) });
    out.result = result.structuredContent;
    await c.close();
    break;
  }
  case "bad-arguments": {
    const c = await connect(client({}));
    const result = await c.callTool({ name: "greet", arguments: { times: 2 } });
    out.isError = result.isError;
    out.text = result.content.map((x) => x.text).join("\n");
    await c.close();
    break;
  }
  case "unknown-session":
    out.response = await raw({ Authorization: authorization, "Mcp-Session-Id": "no-such-session" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" });
    break;
  case "no-credentials":
    out.response = await raw({}, initialize);
    break;
  default:
    throw new Error("unknown scenario " + scenario);
}
console.log(JSON.stringify(out));
