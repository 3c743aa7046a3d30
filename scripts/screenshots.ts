/**
 * `npm run screenshots`: the main pages of the web application, as a professional, the matchregisseur, the privacy
 * officer, the organisation coordinator and the convenantmanager see them, in docs/screenshots/ (shown in the README).
 * Starts the same region as the browser tests (test/support/web.ts, with the hub over NATS):
 * the OpenID Connect provider, nodes on PostgreSQL (DATABASE_URL, default the local server; a fresh database,
 * dropped afterwards), the web application, and Debian's Chromium.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { startWebRegion } from "../test/support/web";
import { regioScreenshots } from "./screenshots-regio";

const out = resolve(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });
const w = await startWebRegion({
  gemeenten: ["GM0363", "GM0439"],
  // With the hub (NATS_URL, default the local server): the coordinator's page reads the hub's register.
  hub: true,
  adminDatabaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
});
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: resolve(out, `${name}.png`), fullPage: true });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
};
const signal = async (page: Page, bsn: string) => {
  await page.goto(`${w.web.url}/`);
  await page.getByLabel("BSN van de jeugdige").fill(bsn);
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
  await page.waitForURL(/\?nieuw=1$/);
};

try {
  const visitor = await w.browser.newContext({ locale: "nl-NL", viewport: { width: 1100, height: 800 } });
  const v = await visitor.newPage();
  await v.goto(`${w.web.url}/aanmelden`);
  await v.waitForURL(/\/interaction\//);
  await shot(v, "aanmelden");
  await visitor.close();

  const ib = await w.signIn("ib@buurtschool.example", { viewport: { width: 1100, height: 800 } });
  await shot(ib.page, "signaal-afgeven");
  await ib.page.getByLabel("BSN van de jeugdige").fill("999900183");
  await ib.page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await ib.page.getByRole("button", { name: "Signaal afgeven" }).click();
  await ib.page.waitForSelector("#bsn-fout");
  await shot(ib.page, "signaal-fout");
  await signal(ib.page, "999900018");
  await ib.page.goto(`${w.web.url}/matches`);
  await ib.page.waitForSelector('body[data-live-verbonden="1"]');

  const jgz = await w.signIn("jgz@ggd.example", { viewport: { width: 1100, height: 800 } });
  await signal(jgz.page, "999900018");
  await shot(jgz.page, "bevestiging-met-match");
  await ib.page.locator(".vi-match", { hasText: "Anouk Vermeulen" }).waitFor();
  await shot(ib.page, "matches-live");
  await ib.page.goto(`${w.web.url}/signalen`);
  await ib.page.getByText("Intrekken", { exact: true }).first().click();
  await shot(ib.page, "mijn-signalen");
  await ib.page.locator(".vi-card", { hasText: "Adam van Haarlem" }).getByRole("link", { name: "Cliëntkaart" }).click();
  await shot(ib.page, "clientkaart");
  await ib.page.goto(`${ib.page.url().replace(/\/clientkaart$/, "")}/inzage?voor=ouders`);
  await shot(ib.page, "inzage");

  const huisarts = await w.signIn("huisarts@purmerend.example", { viewport: { width: 1100, height: 800 } });
  await signal(huisarts.page, "999900146");
  await huisarts.page.goto(`${huisarts.page.url().replace(/\?nieuw=1$/, "")}/inzage?voor=ouders`);
  await shot(huisarts.page, "inzage-toestemming-nodig");

  await ib.page.goto(`${w.web.url}/hulp/afweging?antwoorden=nee,ja,ja,nee`);
  await shot(ib.page, "afweging");
  await ib.page.goto(`${w.web.url}/hulp/criteria?zoek=verzuim`);
  await shot(ib.page, "criteria");

  // Matchregie: jgz records that contact was made; the matchregisseur's main page shows it (and a family match).
  await jgz.page.goto(`${w.web.url}/matches`);
  const jgzMatch = jgz.page.locator(".vi-match", { hasText: "Marieke de Graaf" });
  await jgzMatch.getByLabel("Status van deze match").selectOption("contact-gelegd");
  await jgzMatch.getByRole("button", { name: "Status opslaan" }).click();
  await jgz.page.waitForURL(/gedaan=status$/);
  await signal(ib.page, "999900079");
  const regie = await w.browser.newContext({ locale: "nl-NL", viewport: { width: 1100, height: 800 } });
  const r = await regie.newPage();
  await r.goto(`${w.web.url}/aanmelden`);
  await r.getByRole("link", { name: "matchregie@amsterdam.example", exact: true }).click();
  await r.waitForURL(`${w.web.url}/matchregie`);
  await shot(r, "matchregie");
  await r.locator('.vi-regie[data-status="contact-gelegd"]').getByRole("link", { name: "Match openen en opvolgen" }).click();
  await r.waitForURL(/\/matchregie\/[0-9a-f-]{36}$/);
  await shot(r, "matchregie-match");
  await regie.close();

  // The AVG desk: what the index holds on Adam, with the audit trail.
  const avg = await w.signIn("avg@amsterdam.example", { viewport: { width: 1100, height: 800 } });
  await avg.page.goto(`${w.web.url}/avg`);
  await avg.page.getByLabel("BSN van de jeugdige").fill("999900018");
  await avg.page.getByRole("button", { name: "Zoeken" }).click();
  await avg.page.locator("#avg-resultaat").waitFor();
  await shot(avg.page, "avg-loket");

  // The organisation coordinator: designations and the handover of a leaving professional's signals.
  const coordinator = await w.signIn("coordinator@buurtschool.example", { viewport: { width: 1100, height: 800 } });
  await coordinator.page.goto(`${w.web.url}/coordinatie`);
  await coordinator.page.locator("#aanwijzingen").waitFor();
  await shot(coordinator.page, "coordinatie");

  const phone = await w.signIn("ib@buurtschool.example", { viewport: { width: 320, height: 640 } });
  await shot(phone.page, "telefoon-320px");
} finally {
  await w.close();
}

// The convenantmanager's page needs the hub and NATS (NATS_URL, default the local server).
await regioScreenshots(out);
