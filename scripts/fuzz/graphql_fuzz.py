#!/usr/bin/env python3
"""Sends operations generated from Integra's GraphQL schema to a running
server, anonymously and signed in as each demo role, and counts the
answers.

The operations come from hypothesis-graphql: every query and mutation of
graphql/schema.graphql with generated arguments and selections (valid by
the schema, so they reach the resolvers; dates partly outside the allowed
years). Nothing is judged but the server's health: an answer with status
5xx, an error coded INTERNAL or a dropped connection is a failure. The
last line printed is a JSON object with the counts; the exit status is 1
when anything failed.

    python3 scripts/fuzz/graphql_fuzz.py --url http://127.0.0.1:8080 --operations 10000
"""

import argparse
import collections
import datetime
import http.cookiejar
import json
import sys
import urllib.error
import urllib.request
import warnings

import graphql
import hypothesis_graphql
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes

PASSWORD = "integra-demo"
ROLES = {
    "anonymous": None,
    "counsellor": "counsellor.usti@example.org",
    "centre_admin": "admin.usti@example.org",
    "lecturer": "lecturer.usti@example.org",
    "ministry": "ministry@example.org",
}
# Operations that would end the fuzzer's own sessions or take away its
# roles: generated calls would only make the rest of the run anonymous.
LEFT_OUT = {
    "signOut",
    "signOutEverywhere",
    "removeStaffMember",
    "setStaffRoles",
    "switchCentre",
}


class Client:
    """One caller with its own cookie jar."""

    def __init__(self, url):
        self.url = url.rstrip("/") + "/graphql"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def post(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        req = urllib.request.Request(
            self.url,
            data=body,
            headers={"content-type": "application/json", "x-integra-csrf": "1"},
        )
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def sign_in(client, email):
    status, body = client.post(
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
        {"e": email, "p": PASSWORD},
    )
    data = json.loads(body)
    if status != 200 or data.get("errors"):
        raise SystemExit(f"sign-in of {email} failed: {status} {body[:300]!r}")


def root_fields(schema_text, kind):
    from graphql import build_schema

    schema = build_schema(schema_text)
    root = schema.query_type if kind == "query" else schema.mutation_type
    return sorted(name for name in root.fields if name not in LEFT_OUT)


SCALARS = {
    "Date": st.dates(datetime.date(1850, 1, 1), datetime.date(2300, 12, 31)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "DateTime": st.datetimes(
        datetime.datetime(1990, 1, 1), datetime.datetime(2100, 1, 1)
    ).map(lambda d: nodes.String(d.isoformat() + "Z")),
}

# Every per-kind id scalar (`CourseId`, `ClientId`, …): mostly UUIDs (of no
# record, or the nil one), sometimes text that is not one.
ID_VALUES = st.one_of(
    st.uuids().map(lambda u: nodes.String(str(u))),
    st.just(nodes.String("00000000-0000-0000-0000-000000000000")),
    st.text(max_size=40).map(nodes.String),
)


def scalars(schema_text):
    """The strategies for the schema's own scalars: dates, times, and ids."""
    schema = graphql.build_schema(schema_text)
    out = dict(SCALARS)
    for name, t in schema.type_map.items():
        if isinstance(t, graphql.GraphQLScalarType) and name.endswith("Id"):
            out[name] = ID_VALUES
    return out


def run(url, schema_text, operations):
    counts = collections.Counter()
    codes = collections.Counter()
    failures = []
    clients = {}
    for role, email in ROLES.items():
        clients[role] = Client(url)
        if email:
            sign_in(clients[role], email)
    strategies = {
        "query": hypothesis_graphql.queries(
            schema_text, fields=root_fields(schema_text, "query"), custom_scalars=scalars(schema_text)
        ),
        "mutation": hypothesis_graphql.mutations(
            schema_text, fields=root_fields(schema_text, "mutation"), custom_scalars=scalars(schema_text)
        ),
    }
    per_case = len(ROLES) * 2
    cases = max(1, -(-operations // per_case))

    @settings(
        max_examples=cases,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=strategies["query"], mutation=strategies["mutation"])
    def send(query, mutation):
        for role, client in clients.items():
            for text in (query, mutation):
                try:
                    status, body = client.post(text)
                except Exception as e:  # a dropped connection, a timeout
                    counts["transport_error"] += 1
                    failures.append({"role": role, "error": str(e), "query": text[:2000]})
                    continue
                counts["operations"] += 1
                counts[f"status_{status}"] += 1
                try:
                    errors = json.loads(body).get("errors") or []
                except ValueError:
                    errors = []
                for err in errors:
                    codes[(err.get("extensions") or {}).get("code", "NONE")] += 1
                internal = any(
                    (e.get("extensions") or {}).get("code") == "INTERNAL" for e in errors
                )
                if status >= 500 or internal:
                    counts["failed"] += 1
                    failures.append(
                        {"role": role, "status": status, "body": body[:500].decode("utf-8", "replace"), "query": text[:2000]}
                    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        send()
    for f in failures[:5]:
        print(json.dumps(f, ensure_ascii=False), file=sys.stderr)
    summary = {
        "operations": counts["operations"],
        "status_5xx": sum(v for k, v in counts.items() if k.startswith("status_5")),
        "internal": codes.get("INTERNAL", 0),
        "transport_errors": counts["transport_error"],
        "statuses": {k[7:]: v for k, v in sorted(counts.items()) if k.startswith("status_")},
        "codes": dict(sorted(codes.items())),
    }
    print(json.dumps(summary))
    return 1 if counts["failed"] or counts["transport_error"] else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    p.add_argument("--schema", default="graphql/schema.graphql")
    p.add_argument("--operations", type=int, default=1000)
    args = p.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        schema_text = f.read()
    sys.exit(run(args.url, schema_text, args.operations))


if __name__ == "__main__":
    main()
