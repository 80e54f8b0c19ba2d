// A stand-in for a hosted OpenAI-compatible chat completions API, which cannot be reached from here:
// the MCP client IT points a sampling provider at it. It answers every request with a reply that
// quotes the last user message, and says so.
import http from "node:http";

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  if (req.method !== "POST" || !req.url.endsWith("/chat/completions")) {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
    return;
  }
  const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const last = [...body.messages].reverse().find((m) => m.role === "user");
  const text = typeof last?.content === "string" ? last.content : (last?.content ?? []).map((p) => p.text ?? "").join(" ");
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
    id: "chatcmpl-stand-in",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: `${body.model}-stand-in`,
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: `Stand-in model reply to: ${text}` } }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  }));
});

server.listen(Number(process.env.PORT || 18091), "127.0.0.1", () => {
  console.error(`OpenAI stand-in on http://127.0.0.1:${server.address().port}/v1`);
});
