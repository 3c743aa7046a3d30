/**
 * The convenantmanager's main page for docs/screenshots (called by scripts/screenshots.ts; alone:
 * `tsx scripts/screenshots-regio.ts`): the federation of the browser tests (test/support/web-federation.ts) with
 * nodes, hub and NATS (NATS_URL, default the local server), a few signals and their matches, and Debian's Chromium.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { eventually } from "../test/support/federation";
import { startWebFederation } from "../test/support/web-federation";

export async function regioScreenshots(out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const w = await startWebFederation({
    gemeenten: ["GM0363", "GM0479", "GM0362"],
    adminDatabaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  try {
    const f = w.fed;
    const informed = (bsn: string) => ({ bsn, geinformeerd: true });
    for (const who of ["ib@buurtschool.example", "leerplicht@amsterdam.example", "jgz@ggd.example"]) {
      for (const bsn of ["999900018", "999900079"]) await f.call("GM0363", who, "POST", "/api/v1/signalen", informed(bsn));
    }
    await f.call("GM0479", "wijkteam@zaanstad.example", "POST", "/api/v1/signalen", informed("999900055"));
    await f.call("GM0362", "jgz@ggd.example", "POST", "/api/v1/signalen", informed("999900080"));
    await eventually(async () => (await f.call("GM0479", "wijkteam@zaanstad.example", "GET", "/api/v1/matches")).body.matches.length > 0, "the hub's match");
    await f.call("GM0363", "ib@buurtschool.example", "GET", "/api/v1/meldingen");
    const { page } = await w.signIn("convenant@regio-amsterdam.example", { path: "/regio", viewport: { width: 1280, height: 900 } });
    await page.goto(`${w.web.url}/regio?gemeente=GM0363&maand=${f.today.slice(0, 7)}`);
    await page.screenshot({ path: resolve(out, "convenantmanager.png"), fullPage: true });
    process.stdout.write("docs/screenshots/convenantmanager.png\n");
  } finally {
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await regioScreenshots(resolve(import.meta.dirname, "..", "docs", "screenshots"));
