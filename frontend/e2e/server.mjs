// Starts the real `integra` binary on a fresh SQLite database (dev mode:
// migrated and seeded with the demo network) and the built web app.
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const frontendDir = resolve(here, "..");
const repo = resolve(frontendDir, "..");

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** The integra binary: $INTEGRA_BIN, else the debug build of the workspace. */
export function integraBin() {
  const candidates = [
    process.env.INTEGRA_BIN,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, "debug", "integra"),
    join(repo, "target", "debug", "integra"),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no integra binary (tried ${candidates.join(", ")}); run cargo build -p integra-gateway`);
  return found;
}

/** Starts integra; resolves with its base URL and a stop function. */
export async function startIntegra(extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "integra-e2e-"));
  const child = spawn(integraBin(), ["serve"], {
    env: {
      ...process.env,
      INTEGRA_BIND: `127.0.0.1:${port}`,
      INTEGRA_DATA_DIR: dataDir,
      INTEGRA_DATABASE_URL: `sqlite://${join(dataDir, "integra.sqlite3")}`,
      INTEGRA_WEB_DIR: join(frontendDir, "dist"),
      INTEGRA_MODE: "dev",
      INTEGRA_LOG: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`integra exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/health/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`integra did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    log: () => log,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok();
        child.once("exit", () => ok());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
