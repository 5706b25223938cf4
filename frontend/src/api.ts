import { Client, cacheExchange, fetchExchange, mapExchange, type CombinedError } from "urql";

/** Header the server requires on every GraphQL request that carries the
 * session cookie (a cross-site form cannot set it). */
export const CSRF_HEADER = "x-integra-csrf";

/** Operations whose `UNAUTHENTICATED` answer is about the credentials
 * typed in, not about a session that ended. */
const CREDENTIAL_OPERATIONS = new Set(["SignIn", "AcceptInvitation", "ResetPassword"]);

/** The one GraphQL client of the app: same-origin `/graphql`, cookie
 * session. When the session ends (expired, signed out elsewhere) any
 * answer saying so calls `onSessionEnded`, which shows the sign-in page. */
export function makeClient(onSessionEnded: () => void = () => {}): Client {
  return new Client({
    url: "/graphql",
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error, operation) {
          const name = operation.query.definitions.find((d) => d.kind === "OperationDefinition")?.name?.value ?? "";
          if (!CREDENTIAL_OPERATIONS.has(name) && problemOf(error)?.code === "UNAUTHENTICATED") onSessionEnded();
        },
      }),
      fetchExchange,
    ],
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({
      credentials: "same-origin",
      headers: { [CSRF_HEADER]: "1" },
    }),
  });
}

/** What the server said went wrong, split into messages per input field
 * (`extensions.field`, e.g. `input.givenName`) and the rest. */
export interface ApiProblem {
  /** Messages by field path as the server names it. */
  fields: Record<string, string>;
  /** Messages not tied to a field. */
  general: string[];
  /** The first error's code (`BAD_USER_INPUT`, `CONFLICT`, `FORBIDDEN`...). */
  code: string | null;
  /** Clashes listed by a `CONFLICT`. */
  clashes: unknown[];
}

/** Splits a urql error into field messages and general messages. */
export function problemOf(error: CombinedError | undefined | null): ApiProblem | null {
  if (!error) return null;
  const out: ApiProblem = { fields: {}, general: [], code: null, clashes: [] };
  if (error.networkError && error.graphQLErrors.length === 0) {
    out.general.push(error.networkError.message);
    out.code = "NETWORK";
    return out;
  }
  for (const e of error.graphQLErrors) {
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    if (out.code === null && typeof ext.code === "string") out.code = ext.code;
    if (Array.isArray(ext.clashes)) out.clashes.push(...ext.clashes);
    const field = typeof ext.field === "string" ? ext.field : null;
    if (field) out.fields[field] = e.message;
    else out.general.push(e.message);
  }
  return out;
}

/** The message for one field, accepting the path with or without its
 * argument prefix (`input.givenName` or `givenName`). */
export function fieldError(p: ApiProblem | null, ...names: string[]): string | undefined {
  if (!p) return undefined;
  for (const n of names) {
    for (const [k, v] of Object.entries(p.fields)) {
      if (k === n || k.endsWith("." + n)) return v;
    }
  }
  return undefined;
}
