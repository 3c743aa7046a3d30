/**
 * `npm start` (scripts/start.ts) as a new user sees it: a short Dutch summary
 * on the terminal (where to go, which accounts to try, where the logs are),
 * and the services' JSON logs in a file, not before the summary. One node and
 * the hub (and the pseudonym service) on PGlite and the in-process bus, on free ports, in a data
 * directory of its own.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type StartEnv, startScriptEnv } from "./support/start";
import { MILA, YUSUF } from "./support/constants";

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

let run: StartEnv | undefined;

describe("npm start", () => {
  it("prints a short Dutch summary and keeps the JSON logs in .data/logs/start.log", async () => {
    const started = await startScriptEnv(dataDir, "GM0363,GM0384,GM0392");
    const { env, amsterdamNodePort: nodePort } = started;
    run = started;
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
    expect(amsNodes.nodes.map((n) => n.code)).toEqual(["GM0363", "GM0384"]);
    // Haarlem's node answers with its own gemeente
    const haarlem = await fetch(`http://localhost:${nodePort + 29}/api/v1/openapi.json`);
    expect(haarlem.status).toBe(200);
  }, 120_000);

  it("joins the regions through the national index: Yusuf (Diemen) and Mila (Haarlem) give both professionals a gezin match, each mailed once", async () => {
    expect(run, "npm start runs (the test above)").toBeDefined();
    const { env, diemenNodePort, haarlemNodePort } = run!;
    const token = (email: string) =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/token.ts", email], { cwd: new URL("..", import.meta.url), env, encoding: "utf8" }).trim();
    const sides = [
      {
        email: "jgz@ggd.example",
        node: `http://localhost:${diemenNodePort}`,
        bsn: YUSUF,
        own: "Yusuf",
        other: "Mila",
        counterpart: "jeugdteam@haarlem.example",
      },
      {
        email: "jeugdteam@haarlem.example",
        node: `http://localhost:${haarlemNodePort}`,
        bsn: MILA,
        own: "Mila",
        other: "Yusuf",
        counterpart: "jgz@ggd.example",
      },
    ];
    for (const side of sides) {
      const res = await fetch(`${side.node}/api/v1/signalen`, {
        method: "POST",
        headers: { authorization: `Bearer ${token(side.email)}`, "content-type": "application/json" },
        body: JSON.stringify({ bsn: side.bsn, geinformeerd: true }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    type MatchList = { matches: Array<{ soort: string; mijnSignaal: { jeugdige: { naam: string } }; betrokkenen: Array<{ email: string }> }> };
    for (const side of sides) {
      const authorization = `Bearer ${token(side.email)}`;
      let list: MatchList = { matches: [] };
      const until = Date.now() + 60_000;
      while (list.matches.length === 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        list = (await (await fetch(`${side.node}/api/v1/matches`, { headers: { authorization } })).json()) as MatchList;
      }
      expect(list.matches.map((m) => m.soort)).toEqual(["gezin"]);
      expect(list.matches[0]!.mijnSignaal.jeugdige.naam).toContain(side.own);
      expect(list.matches[0]!.betrokkenen.map((b) => b.email)).toEqual([side.counterpart]);
      expect(JSON.stringify(list)).not.toContain(side.other);
    }
    type Mail = { to: string[]; subject: string };
    let mails: Mail[] = [];
    const until = Date.now() + 30_000;
    while (mails.length < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      mails = (await (await fetch(`http://127.0.0.1:${env.SMTP_SINK_WEB_PORT}/api/berichten`)).json()) as Mail[];
    }
    for (const side of sides) expect(mails.filter((m) => m.to.includes(side.email)).map((m) => m.subject)).toEqual(["Nieuwe gezinsmatch in de Verwijsindex"]);
  }, 120_000);

  it("registers across the regions through one's own node: ib@buurtschool on Mila at Amsterdam, a client match with jeugdteam at Haarlem, both told", async () => {
    expect(run, "npm start runs (the first test)").toBeDefined();
    const { env, amsterdamNodePort, haarlemNodePort } = run!;
    const token = (email: string) =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/token.ts", email], { cwd: new URL("..", import.meta.url), env, encoding: "utf8" }).trim();
    const ib = `Bearer ${token("ib@buurtschool.example")}`;
    const res = await fetch(`http://localhost:${amsterdamNodePort}/api/v1/signalen`, {
      method: "POST",
      headers: { authorization: ib, "content-type": "application/json" },
      body: JSON.stringify({ bsn: MILA, geinformeerd: true }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { matches: Array<{ soort: string }> };
    expect(body.matches.map((m) => m.soort)).toEqual(["client"]);
    type MatchList = { matches: Array<{ soort: string; betrokkenen: Array<{ email: string }> }> };
    const clientMatch = async (node: number, authorization: string) => {
      const until = Date.now() + 30_000;
      for (;;) {
        const list = (await (await fetch(`http://localhost:${node}/api/v1/matches`, { headers: { authorization } })).json()) as MatchList;
        const hit = list.matches.find((m) => m.soort === "client");
        if (hit || Date.now() > until) return hit;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    expect((await clientMatch(amsterdamNodePort, ib))?.betrokkenen.map((b) => b.email)).toEqual(["jeugdteam@haarlem.example"]);
    const jeugdteam = `Bearer ${token("jeugdteam@haarlem.example")}`;
    expect((await clientMatch(haarlemNodePort, jeugdteam))?.betrokkenen.map((b) => b.email)).toEqual(["ib@buurtschool.example"]);
    type Mail = { to: string[]; subject: string };
    const mailsTo = async (email: string) =>
      ((await (await fetch(`http://127.0.0.1:${env.SMTP_SINK_WEB_PORT}/api/berichten`)).json()) as Mail[]).filter((m) => m.to.includes(email));
    const until = Date.now() + 30_000;
    while ((await mailsTo("ib@buurtschool.example")).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect((await mailsTo("ib@buurtschool.example")).map((m) => m.subject)).toEqual(["Nieuwe match in de Verwijsindex"]);
    expect((await mailsTo("jeugdteam@haarlem.example")).map((m) => m.subject).sort()).toEqual([
      "Nieuwe gezinsmatch in de Verwijsindex",
      "Nieuwe match in de Verwijsindex",
    ]);
  }, 120_000);
});
