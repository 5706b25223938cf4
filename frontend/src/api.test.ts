import { describe, expect, it } from "vitest";
import { CombinedError } from "urql";
import { GraphQLError } from "graphql";
import { fieldError, problemOf } from "./api";

describe("server errors", () => {
  it("splits field messages from the rest and keeps the code", () => {
    const err = new CombinedError({
      graphQLErrors: [
        new GraphQLError("must not be empty", { extensions: { code: "BAD_USER_INPUT", field: "input.givenName" } }),
        new GraphQLError("something else", { extensions: { code: "BAD_USER_INPUT" } }),
      ],
    });
    const p = problemOf(err);
    expect(p?.code).toBe("BAD_USER_INPUT");
    expect(fieldError(p, "givenName")).toBe("must not be empty");
    expect(fieldError(p, "input.givenName")).toBe("must not be empty");
    expect(fieldError(p, "familyName")).toBeUndefined();
    expect(p?.general).toEqual(["something else"]);
  });

  it("collects clashes of a CONFLICT", () => {
    const err = new CombinedError({
      graphQLErrors: [new GraphQLError("clash", { extensions: { code: "CONFLICT", clashes: [{ what: "room" }] } })],
    });
    expect(problemOf(err)?.clashes).toEqual([{ what: "room" }]);
  });

  it("reports a network failure as general", () => {
    const p = problemOf(new CombinedError({ networkError: new Error("offline") }));
    expect(p?.code).toBe("NETWORK");
    expect(p?.general).toEqual(["offline"]);
    expect(problemOf(null)).toBeNull();
  });
});
