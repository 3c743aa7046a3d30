/**
 * `npm start` (scripts/start.ts) as a new user sees it: a short Dutch summary
 * on the terminal (where to go, which accounts to try, where the logs are),
 * and the services' JSON logs in a file, not before the summary. One node and
 * the hub (and the pseudonym service) on PGlite and the in-process bus, on free ports, in a data
 * directory of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startScriptEnv } from "./support/start";

let child: ChildProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), "vi-start-"));
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("prints a short Dutch summary and keeps the JSON logs in .data/logs/start.log", async () => {
    const { env, amsterdamNodePort: nodePort } = await startScriptEnv(dataDir);
    child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: new URL("..", import.meta.url), env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
    const until = Date.now() + 90_000;
    while (!stdout.includes("Probeer het") && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    expect(stdout, `stderr: ${stderr}`).toContain("Probeer het");

    const lines = stdout.split("\n").filter((l) => l.trim() !== "");
    const json = lines.filter((l) => l.trim().startsWith("{"));
    expect(json, "JSON log lines on the terminal").toEqual([]);
    expect(lines.length).toBeLessThan(40);
    expect(stdout).toContain("ib@buurtschool.example");
    expect(stdout).toContain(`http://localhost:${nodePort}`);
    expect(stdout).toContain(join(dataDir, "logs", "start.log"));
    // The web application for professionals answers on its port with a Dutch start page.
    const web = await fetch(`http://localhost:${env.WEB_PORT}/`);
    expect(web.status).toBe(200);
    expect(await web.text()).toContain('<html lang="nl"');

    const file = join(dataDir, "logs", "start.log");
    expect(existsSync(file)).toBe(true);
    const logged = readFileSync(file, "utf8").split("\n").filter(Boolean);
    expect(logged.some((l) => JSON.parse(l).msg === "node listening")).toBe(true);

    // The second region: its own hub (its own schema), whose registry has Haarlem's node and only that; Regio
    // Amsterdam's hub does not know Haarlem.
    expect(stdout).toContain("Zuid-Kennemerland");
    expect(stdout).toContain(`http://localhost:${nodePort + 29}`);
    expect(stdout).toContain("jeugdteam@haarlem.example");
    const hubs = logged.map((l) => JSON.parse(l)).filter((l) => l.msg === "hub started");
    expect(hubs.map((h) => h.schema).sort()).toEqual(["hub", "hub_zuid_kennemerland"]);
    const zkNodes = (await (await fetch(`http://127.0.0.1:${env.ZK_HUB_ADMIN_PORT}/api/v1/nodes`)).json()) as { nodes: Array<{ code: string }> };
    expect(zkNodes.nodes.map((n) => n.code)).toEqual(["GM0392"]);
    const amsNodes = (await (await fetch(`http://127.0.0.1:${env.HUB_ADMIN_PORT ?? 9000}/api/v1/nodes`)).json()) as { nodes: Array<{ code: string }> };
    expect(amsNodes.nodes.map((n) => n.code)).toEqual(["GM0363"]);
    // Haarlem's node answers with its own gemeente
    const haarlem = await fetch(`http://localhost:${nodePort + 29}/api/v1/openapi.json`);
    expect(haarlem.status).toBe(200);
  }, 120_000);
});
