// A remote MCP server on the TypeScript SDK v2 (@modelcontextprotocol/server), an independent
// implementation, speaking MCP 2026-07-28: its tool asks its questions in multi round-trip requests.
//   PORT=... node rounds-server.mjs
// Tool `plan_trip` {destination}: round 1 asks the traveller's name (elicitation) and a one-line
// pitch of the destination (sampling) at once; round 2 asks the budget; then it answers with all
// three as structured content. Its requestState is signed by the SDK's own codec, so a client that
// alters it is refused. A client on the stateful era is served by the SDK's stateless fallback,
// which cannot ask anything: the tool then answers with an error result.
import http from "node:http";
import crypto from "node:crypto";
import { McpServer, createMcpHandler, inputRequired, acceptedContent, createRequestStateCodec } from "@modelcontextprotocol/server";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { z } from "zod";

const PORT = Number(process.env.PORT ?? 3101);
const codec = createRequestStateCodec({ key: crypto.randomBytes(32).toString("hex"), ttlSeconds: 600, bind: (ctx) => ctx.mcpReq.method });
const calls = [];

function factory() {
  const server = new McpServer({ name: "statehouse-it-rounds", version: "1.0.0" }, { capabilities: { tools: {} }, requestState: { verify: codec.verify } });
  server.registerTool("plan_trip", {
    description: "Plans a trip, asking the traveller's name, a pitch of the destination and the budget",
    inputSchema: z.object({ destination: z.string() }),
  }, async (args, ctx) => {
    const state = ctx.mcpReq.requestState();
    const answers = ctx.mcpReq.inputResponses ?? {};
    calls.push({ round: state?.round ?? 0, keys: Object.keys(answers) });
    if (state?.round === 1) {
      const traveller = acceptedContent(answers, "traveller");
      const pitch = answers.pitch?.content?.text;
      if (traveller?.name && pitch) {
        return inputRequired({
          inputRequests: {
            budget: inputRequired.elicit({
              message: `What may the trip to ${args.destination} cost, ${traveller.name}?`,
              requestedSchema: { type: "object", properties: { euros: { type: "integer", minimum: 1 } }, required: ["euros"] },
            }),
          },
          requestState: await codec.mint({ round: 2, destination: args.destination, traveller: traveller.name, pitch }, ctx),
        });
      }
    }
    if (state?.round === 2) {
      const budget = acceptedContent(answers, "budget");
      if (budget?.euros) {
        const plan = { destination: state.destination, traveller: state.traveller, pitch: state.pitch, euros: budget.euros };
        return { content: [{ type: "text", text: `${plan.traveller} goes to ${plan.destination} for ${plan.euros} EUR` }], structuredContent: plan };
      }
    }
    return inputRequired({
      inputRequests: {
        traveller: inputRequired.elicit({
          message: `Who travels to ${args.destination}?`,
          requestedSchema: { type: "object", properties: { name: { type: "string", title: "Name" } }, required: ["name"] },
        }),
        pitch: inputRequired.createMessage({
          messages: [{ role: "user", content: { type: "text", text: `Pitch ${args.destination} in one line.` } }],
          maxTokens: 60,
        }),
      },
      requestState: await codec.mint({ round: 1 }, ctx),
    });
  });
  return server;
}

const handle = toNodeHandler(createMcpHandler(factory, { onerror: (e) => console.error("[onerror]", e.message) }));
http.createServer((req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (path === "/calls") {
    // What the tool saw, round by round: the ITs check that the retries carried the answers.
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(calls));
  } else if (path === "/mcp") {
    handle(req, res);
  } else {
    res.writeHead(404).end();
  }
}).listen(PORT, "127.0.0.1", () => console.log(`rounds server on http://127.0.0.1:${PORT}/mcp`));
