/**
 * The second region's users in a real browser (Debian's Chromium through playwright-core) against `npm start` itself
 * (scripts/start.ts on free ports, in a data directory of its own, embedded defaults): Regio Amsterdam's node and
 * Zuid-Kennemerland beside it, one OpenID Connect provider and one web application for both. jeugdteam@haarlem.example
 * signs in, signals on Mila (who lives in Haarlem) and the signal is stored at Haarlem's node (8392's stand-in), not
 * Amsterdam's; matchregie@haarlem.example sees Haarlem's matchregie page.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MILA } from "../support/constants";
import { startScriptEnv } from "../support/start";
import { CHROMIUM, CHROMIUM_ARGS } from "../support/web";

const HAARLEM = "jeugdteam@haarlem.example";
const MATCHREGIE_HAARLEM = "matchregie@haarlem.example";
const BROWSER_TEST_MS = 120_000;

let child: ChildProcess | undefined;
let browser: Browser | undefined;
const dataDir = mkdtempSync(join(tmpdir(), "vi-haarlem-"));
const env: NodeJS.ProcessEnv = { ...process.env };
let web = "";
let amsterdamNode = "";
let haarlemNode = "";

beforeAll(async () => {
  const started = await startScriptEnv(dataDir);
  Object.assign(env, started.env);
  for (const k of Object.keys(env)) if (!(k in started.env)) delete env[k];
  web = `http://localhost:${env.WEB_PORT}`;
  amsterdamNode = `http://localhost:${started.amsterdamNodePort}`;
  haarlemNode = `http://localhost:${started.haarlemNodePort}`;
  child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: new URL("../..", import.meta.url), env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const until = Date.now() + 150_000;
  while (!stdout.includes("Probeer het") && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
  if (!stdout.includes("Probeer het")) throw new Error(`npm start did not come up: ${stderr.slice(-2000)}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** A fresh browser context signed in as `email`, on the page the web application lands them on (`landing`). */
async function signIn(email: string, landing = "/") {
  const context = await browser!.newContext({ locale: "nl-NL", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${web}/aanmelden`);
  await page.getByRole("link", { name: email, exact: true }).click();
  await page.waitForURL(`${web}${landing}`);
  return { context, page };
}

/** A bearer token of the demo provider for `email`, as `npm run token` makes it (the dev issuer's key in dataDir). */
async function token(email: string): Promise<string> {
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "scripts/token.ts", email], {
      cwd: new URL("../..", import.meta.url),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let s = "";
    p.stdout!.on("data", (b: Buffer) => (s += b.toString()));
    p.once("exit", (code) => (code === 0 ? resolve(s.trim()) : reject(new Error(`npm run token exited ${code}`))));
  });
  return out;
}

describe("a Haarlem user in the web application of npm start", () => {
  it(
    "jeugdteam@haarlem.example signs in and signals on Mila: stored at Haarlem's node, shown on her card",
    async () => {
      const { context, page } = await signIn(HAARLEM);
      // The start page names the professional's own gemeente: Haarlem, not a code and not Amsterdam.
      expect(await page.locator("body").textContent()).toContain("Haarlem");
      await page.getByLabel("BSN van de jeugdige").fill(MILA);
      await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
      await page.getByRole("button", { name: "Signaal afgeven" }).click();
      await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
      const id = /\/signalen\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      expect(await page.locator("body").textContent()).toContain("Mila Jansen");
      await context.close();

      // Through the API: the signal is at Haarlem's node; Amsterdam's node does not know the professional's signal.
      const bearer = { Authorization: `Bearer ${await token(HAARLEM)}` };
      const own = await fetch(`${haarlemNode}/api/v1/signalen`, { headers: bearer });
      expect(own.status).toBe(200);
      const list = (await own.json()) as { signalen: Array<{ id: string }> };
      expect(list.signalen.map((s) => s.id)).toContain(id);
      const atAmsterdam = await fetch(`${amsterdamNode}/api/v1/signalen`, { headers: bearer });
      expect(atAmsterdam.status).toBe(403);
    },
    BROWSER_TEST_MS,
  );

  it(
    "matchregie@haarlem.example signs in and sees Haarlem's matchregie page",
    async () => {
      // A matchregisseur's start page is matchregie.
      const { context, page } = await signIn(MATCHREGIE_HAARLEM, "/matchregie");
      expect(await page.locator("h1").textContent()).toBe("Matchregie Haarlem");
      expect(await page.locator("#samenvatting").textContent()).toMatch(/^\d+ match/);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});
