// Preloaded into @modelcontextprotocol/conformance (0.1.16 has no option for request headers), so that
// its client authenticates to Statehouse's MCP endpoint like any caller must:
//   STATEHOUSE_MCP_AUTHORIZATION='Basic ...' node --import ./conformance-auth.mjs node_modules/@modelcontextprotocol/conformance/dist/index.js server ...
// The suite speaks HTTP through fetch (the SDK transport, raw POSTs), through undici.request (the
// DNS-rebinding scenario) and through node:http's request (the header-validation scenarios of the
// 0.2.0 line); all get the header, and a header a scenario sets itself is left alone.
import http from "node:http";
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

// node:http, patched on the module object the suite imports too.
const requestAsIs = http.request;
http.request = function requestWithAuthorization(...args) {
  const options = args.find((a) => a && typeof a === "object" && !(a instanceof URL) && typeof a !== "function");
  if (options) {
    const headers = options.headers ?? {};
    if (!Object.keys(headers).some((n) => n.toLowerCase() === "authorization")) {
      options.headers = { ...headers, authorization };
    }
  }
  return requestAsIs.apply(this, args);
};
