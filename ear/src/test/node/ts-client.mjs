// The TypeScript SDK v2 client (@modelcontextprotocol/client), an independent implementation, as a
// caller of Statehouse's MCP server: lists the tools, calls `greet`, and calls `approve_by_caller`
// answering the run's question with its elicitation handler. Prints one JSON line with what it got.
//   node ts-client.mjs <endpoint-url> <user> <password>
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const [url, user, password] = process.argv.slice(2);
const authorization = "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
const client = new Client({ name: "statehouse-it-ts", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } });
const asked = [];
client.setRequestHandler("elicitation/create", async (request) => {
  asked.push(request.params.message);
  return { action: "accept", content: { decision: "approved by the TypeScript client" } };
});
await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: authorization } } }));
const tools = (await client.listTools()).tools.map((t) => t.name);
const greet = await client.callTool({ name: "greet", arguments: { name: "Dewi", times: 3 } });
const approve = await client.callTool({ name: "approve_by_caller", arguments: { request: "A second monitor" } });
console.log(JSON.stringify({
  protocolVersion: client.getNegotiatedProtocolVersion ? client.getNegotiatedProtocolVersion() : undefined,
  tools, greet: greet.structuredContent, approve: approve.structuredContent, asked,
}));
await client.close();
