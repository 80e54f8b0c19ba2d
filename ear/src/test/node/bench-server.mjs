// A small MCP server for the MCP client benchmark (ear/src/test/java/io/statehouse/it/McpClientBenchmark.java),
// on the TypeScript SDK over Streamable HTTP, stateful sessions. Its tools report when the server sent a
// request and when it got the answer (epoch milliseconds with fractions, same machine as the benchmark).
//   noop - answers at once
//   ask  - sends elicitation/create and answers with the times
//   url_then_complete - sends a URL-mode elicitation/create, and notifications/elicitation/complete a second later
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ElicitResultSchema, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";

const now = () => performance.timeOrigin + performance.now();

function newServer() {
  const server = new McpServer({ name: "statehouse-bench", version: "1.0.0" });
  server.registerTool("noop", { description: "Answers at once" }, async () => ({
    content: [{ type: "text", text: "ok" }],
  }));
  server.registerTool("ask", { description: "Asks the client one question and reports the times" }, async () => {
    const sentAt = now();
    const answer = await server.server.elicitInput({
      message: "Benchmark question",
      requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    }, { timeout: 10 * 60 * 1000 });
    const answeredAt = now();
    return {
      content: [{ type: "text", text: JSON.stringify({ sentAt, answeredAt, action: answer.action }) }],
      structuredContent: { sentAt, answeredAt, action: answer.action },
    };
  });
  server.registerTool("url_then_complete", { description: "A URL elicitation that the server itself reports complete", inputSchema: {} },
    async (args, extra) => {
      const elicitationId = randomUUID();
      const answer = extra.sendRequest({
        method: "elicitation/create",
        params: { mode: "url", url: "https://example.org/consent", message: "Give consent on the page", elicitationId },
      }, ElicitResultSchema, { timeout: 10 * 60 * 1000 });
      setTimeout(() => extra.sendNotification({ method: "notifications/elicitation/complete", params: { elicitationId } }), 1000);
      const result = await answer;
      return { content: [{ type: "text", text: `URL step ${elicitationId}: ${result.action}` }] };
    });
  return server;
}

const transports = new Map();

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}

const httpServer = http.createServer(async (req, res) => {
  try {
    const sessionId = req.headers["mcp-session-id"];
    const parsed = req.method === "POST" ? await body(req) : undefined;
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport && req.method === "POST" && isInitializeRequest(parsed)) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    if (!transport) {
      res.writeHead(404, { "content-type": "application/json" }).end(
        JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
      return;
    }
    await transport.handleRequest(req, res, parsed);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});

httpServer.listen(Number(process.env.PORT || 3002), "127.0.0.1", () => {
  console.error(`bench MCP server on http://127.0.0.1:${httpServer.address().port}/mcp`);
});
