// Preloaded into @modelcontextprotocol/conformance (0.1.16 has no option for request headers), so that
// its client authenticates to Statehouse's MCP endpoint like any caller must:
//   STATEHOUSE_MCP_AUTHORIZATION='Basic ...' node --import ./conformance-auth.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js server ...
// The suite speaks HTTP through fetch (the SDK transport, raw POSTs) and through undici.request (the
// DNS-rebinding scenario); both get the header, and a header a scenario sets itself is left alone.
import { createRequire } from "node:module";

const authorization = process.env.STATEHOUSE_MCP_AUTHORIZATION;
if (!authorization) {
  throw new Error("STATEHOUSE_MCP_AUTHORIZATION is not set");
}

const fetchAsIs = globalThis.fetch;
globalThis.fetch = function fetchWithAuthorization(input, init) {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  if (!headers.has("authorization")) {
    headers.set("authorization", authorization);
  }
  return fetchAsIs.call(this, input, { ...(init ?? {}), headers });
};

// The copy of undici that the conformance package itself loads.
const require = createRequire(new URL("./node_modules/@modelcontextprotocol/conformance/package.json", import.meta.url));
const undici = require("undici");
const withAuthorization = (dispatch) => (options, handler) => {
  let headers = options.headers ?? {};
  if (Array.isArray(headers)) {
    const names = headers.filter((_, i) => i % 2 === 0).map((n) => String(n).toLowerCase());
    headers = names.includes("authorization") ? headers : [...headers, "authorization", authorization];
  } else if (!Object.keys(headers).some((n) => n.toLowerCase() === "authorization")) {
    headers = { ...headers, authorization };
  }
  return dispatch({ ...options, headers }, handler);
};
undici.setGlobalDispatcher(new undici.Agent().compose(withAuthorization));
