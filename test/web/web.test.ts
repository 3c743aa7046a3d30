/**
 * The web application for professionals in a real browser (Debian's Chromium through playwright-core) against a
 * running region: the real OpenID Connect provider, municipal nodes on PostgreSQL, an SMTP sink. Every page the
 * tests visit is checked with axe-core (WCAG 2.1 A and AA): no violation.
 */
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { PDFDocument } from "pdf-lib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebRegion, type WebRegion } from "../support/web";
import { pdfText } from "./pdf-text";

const ADAM = "999900018";
const LIAM = "999900079";
const SEM = "999900080";
const LOTTE = "999900146";
const IB = "ib@buurtschool.example";
const JGZ = "jgz@ggd.example";
const HUISARTS = "huisarts@purmerend.example";
const DOCENT = "docent@buurtschool.example";
const LEERPLICHT = "leerplicht@amsterdam.example";

/**
 * Each test drives a real browser through several pages and runs axe-core on each: on a quiet 2-core machine
 * 10-40 s a test; the limit leaves room for a machine shared with other suites.
 */
const BROWSER_TEST_MS = 120_000;

let w: WebRegion;

beforeAll(async () => {
  w = await startWebRegion({ gemeenten: ["GM0363", "GM0362", "GM0384", "GM0415", "GM0439"] });
});
afterAll(async () => w?.close());

/** axe-core on the page as it is now: no WCAG 2.1 A/AA violation. */
async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

/** Signals on `bsn` through the start page's form (informed as the age rules say); resolves on the confirmation page. */
async function signal(page: Page, bsn: string) {
  await page.goto(`${w.web.url}/`);
  await page.getByLabel("BSN van de jeugdige").fill(bsn);
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
  await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
}

/** The professional's active signal on the youth named `naam`, made through the form when there is none yet; resolves on /signalen. */
async function ensureSignal(page: Page, bsn: string, naam: string) {
  await page.goto(`${w.web.url}/signalen`);
  if ((await page.locator(".vi-card[data-signaal]", { hasText: naam }).count()) === 0) {
    await signal(page, bsn);
    await page.goto(`${w.web.url}/signalen`);
  }
}

const matchCount = async (page: Page) => Number(await page.locator("#match-count").getAttribute("data-count"));

describe("the web application in a browser", () => {
  it(
    "shows the demo accounts on the provider's sign-in page, and the signed-out start page, both accessible",
    async () => {
      const context = await w.browser.newContext({ locale: "nl-NL" });
      const page = await context.newPage();
      await page.goto(`${w.web.url}/`);
      expect(await page.locator("h1").textContent()).toBe("Verwijsindex voor professionals");
      await expectAccessible(page);
      await page.getByRole("link", { name: "Aanmelden" }).first().click();
      await page.waitForURL(/\/interaction\//);
      for (const email of [IB, JGZ, DOCENT, HUISARTS]) expect(await page.getByRole("link", { name: email, exact: true }).count()).toBe(1);
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "ib and jgz both signal on Adam: ib's open page shows the match appear without reload, and it disappears when jgz withdraws",
    async () => {
      const ib = await w.signIn(IB);
      await signal(ib.page, ADAM);
      await expectAccessible(ib.page);
      await ib.page.goto(`${w.web.url}/matches`);
      await ib.page.waitForSelector('body[data-live-verbonden="1"]');
      await expectAccessible(ib.page);
      const before = await matchCount(ib.page);
      await ib.page.evaluate("window.zelfdePagina = true");

      const jgz = await w.signIn(JGZ);
      await signal(jgz.page, ADAM);
      // The confirmation shows the match made at once: whom to call and how.
      const confirmation = jgz.page.locator("#matches-signaal");
      await expect(confirmation.textContent()).resolves.toContain("Marieke de Graaf");
      expect(await confirmation.textContent()).toContain("020 555 0101");
      await expectAccessible(jgz.page);

      // ib's page, never reloaded, now shows the client match with jgz, and the count in the header went up.
      const card = ib.page.locator(".vi-match", { hasText: "Anouk Vermeulen" });
      await card.waitFor({ state: "visible" });
      expect(await card.textContent()).toContain("Cliëntmatch");
      expect(await matchCount(ib.page)).toBe(before + 1);
      expect(await ib.page.evaluate("window.zelfdePagina === true")).toBe(true);
      await expectAccessible(ib.page);

      // jgz withdraws (it was unjustified): the match disappears from ib's matches, again without reload.
      await jgz.page.goto(`${w.web.url}/signalen`);
      const mine = jgz.page.locator(".vi-card", { hasText: "Adam van Haarlem" });
      await mine.getByText("Intrekken", { exact: true }).click();
      expect(await mine.textContent()).toContain("als het signaal onterecht was; het wordt verwijderd en niet gearchiveerd");
      await expectAccessible(jgz.page);
      await mine.getByRole("button", { name: "Trek het signaal op Adam van Haarlem in" }).click();
      await jgz.page.waitForURL(/gedaan=ingetrokken/);
      expect(await jgz.page.locator(".vi-card", { hasText: "Adam van Haarlem" }).count()).toBe(0);

      await card.waitFor({ state: "detached" });
      expect(await matchCount(ib.page)).toBe(before);
      await ib.page.reload();
      expect(await ib.page.locator(".vi-match", { hasText: "Anouk Vermeulen" }).count()).toBe(0);
      await ib.context.close();
      await jgz.context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "every refusal of a signal is told next to the BSN field, in Dutch",
    async () => {
      const { page, context } = await w.signIn(JGZ);
      // GGD works in every gemeente; each youth is refused at the node of the gemeente where the youth lives.
      const cases: Array<[string, string, RegExp]> = [
        ["GM0363", "123456789", /elfproef/],
        ["GM0363", "999900183", /onbekend in de BRP/],
        ["GM0363", SEM, /andere gemeente/],
        ["GM0384", "999900092", /23 jaar of ouder/],
        ["GM0415", "999900171", /overleden/],
      ];
      for (const [gemeente, bsn, message] of cases) {
        await page.getByLabel("Werkt via de verwijsindex van").selectOption(gemeente);
        await page.getByRole("button", { name: "Kies" }).click();
        await page.waitForURL(`${w.web.url}/`);
        await page.getByLabel("BSN van de jeugdige").fill(bsn);
        await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
        await page.getByRole("button", { name: "Signaal afgeven" }).click();
        await page.waitForSelector("#bsn-fout");
        expect(await page.locator("#bsn-fout").textContent()).toMatch(message);
        expect(await page.getByLabel("BSN van de jeugdige").getAttribute("aria-invalid")).toBe("true");
      }
      await expectAccessible(page);
      // Nothing chosen about informing: the form says so at that question.
      await page.goto(`${w.web.url}/`);
      await page.getByLabel("BSN van de jeugdige").fill(ADAM);
      await page.getByRole("button", { name: "Signaal afgeven" }).click();
      expect(await page.locator("#geinformeerd-fout").textContent()).toContain("Kies of u hebt geïnformeerd");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "Sem's inzage is refused with the reason (secret address)",
    async () => {
      const { page, context } = await w.signIn(JGZ);
      // GGD is connected to all gemeenten: jgz chooses Amstelveen, where Sem lives.
      await page.getByLabel("Werkt via de verwijsindex van").selectOption("GM0362");
      await page.getByRole("button", { name: "Kies" }).click();
      await page.waitForURL(`${w.web.url}/`);
      await signal(page, SEM);
      await page.getByRole("link", { name: "Inzage geven" }).click();
      await expectAccessible(page);
      await page.getByRole("button", { name: "Toon de inzage" }).click();
      const reason = await page.getByRole("alert").textContent();
      expect(reason).toContain("geheim adres");
      expect(await page.locator(".vi-inzage").count()).toBe(0);
      await expectAccessible(page);
      // The client card shows no address either.
      await page.getByRole("link", { name: "Terug naar de cliëntkaart" }).click();
      expect(await page.locator("main").textContent()).toContain("Geheim adres");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "Lotte's parents' inzage asks for Lotte's consent (a huisarts is involved), and shows it once given",
    async () => {
      const { page, context } = await w.signIn(HUISARTS);
      await ensureSignal(page, LOTTE, "Lotte Mulder");
      await page.locator(".vi-card", { hasText: "Lotte Mulder" }).first().getByRole("link", { name: "Inzage geven" }).click();
      await page.getByLabel("De ouders of verzorgers").check();
      await page.getByRole("button", { name: "Toon de inzage" }).click();
      expect(await page.locator("h1").textContent()).toBe("Toestemming van de jeugdige nodig");
      const consent = page.getByLabel("De jeugdige heeft toestemming gegeven dat de ouders inzage krijgen");
      expect(await consent.count()).toBe(1);
      await expectAccessible(page);
      await consent.check();
      await page.getByRole("button", { name: "Toon de inzage voor de ouders" }).click();
      const view = page.locator(".vi-inzage");
      expect(await view.textContent()).toContain("Huisartsenpraktijk Purmerend");
      // Organisations, never the professional's name.
      expect(await view.textContent()).not.toContain("Sanne Hoekstra");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "the docent cannot reach the form",
    async () => {
      const { page, context } = await w.signIn(DOCENT);
      expect(await page.locator("#bsn").count()).toBe(0);
      expect(await page.locator("main").textContent()).toContain("niet signaleringsbevoegd");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "the inzage PDF opens and holds the organisations but no professional's name; by secure mail it opens only with the code",
    async () => {
      const { page, context } = await w.signIn(LEERPLICHT);
      await signal(page, LIAM);
      const signalUrl = page.url().replace(/\?nieuw=1$/, "");
      await page.goto(`${signalUrl}/inzage?voor=ouders`);
      expect(await page.locator(".vi-inzage").textContent()).toContain("Leerplicht Amsterdam");
      await expectAccessible(page);

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download als PDF" }).click()]);
      const pdf = new Uint8Array(readFileSync((await download.path())!));
      const doc = await PDFDocument.load(pdf);
      expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
      const text = pdfText(pdf);
      expect(text).toContain("Leerplicht Amsterdam");
      expect(text).toContain("Liam van Haarlem");
      for (const name of ["Rachid Benali", "Marieke de Graaf", "Anouk Vermeulen"]) expect(text).not.toContain(name);

      // Secure mail: the mail has no personal data, the code is shown only to the professional.
      await page.getByLabel("Beveiligd mailen naar (e-mailadres)").fill("ouders@voorbeeld.example");
      await page.getByRole("button", { name: "Verstuur beveiligd" }).click();
      const code = (await page.locator("#inzage-code").textContent())!.trim();
      await expectAccessible(page);
      const mail = await w.sink.waitFor((m) => m.to.includes("ouders@voorbeeld.example"));
      for (const secret of ["Liam", "Haarlem", "Leerplicht", LIAM, code]) expect(`${mail.subject}\n${mail.text}`).not.toContain(secret);
      const link = /https?:\/\/\S+\/inzage\/[A-Za-z0-9_-]+/.exec(mail.text)![0];

      const parent = await w.browser.newContext({ locale: "nl-NL", acceptDownloads: true });
      const p = await parent.newPage();
      await p.goto(link);
      await expectAccessible(p);
      await p.getByLabel("Code").fill("AAAAA-AAAAA");
      await p.getByRole("button", { name: "Open het overzicht" }).click();
      expect(await p.locator("#code-fout").textContent()).toContain("klopt niet");
      await expectAccessible(p);
      await p.getByLabel("Code").fill(code);
      const [mailed] = await Promise.all([p.waitForEvent("download"), p.getByRole("button", { name: "Open het overzicht" }).click()]);
      expect(pdfText(new Uint8Array(readFileSync((await mailed.path())!)))).toContain("Leerplicht Amsterdam");
      await parent.close();
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "my signals, the client card, and ending a signal (it goes to the archive)",
    async () => {
      const { page, context } = await w.signIn(HUISARTS);
      await ensureSignal(page, LOTTE, "Lotte Mulder");
      await expectAccessible(page);
      await page.locator(".vi-card", { hasText: "Lotte Mulder" }).first().getByRole("link", { name: "Cliëntkaart" }).click();
      expect(await page.locator("main").textContent()).toContain("Huisartsenpraktijk Purmerend");
      await expectAccessible(page);
      await page.goto(`${w.web.url}/signalen`);
      const card = page.locator(".vi-card", { hasText: "Lotte Mulder" }).first();
      await card.getByText("Beëindigen", { exact: true }).click();
      await card.getByRole("button", { name: "Beëindig het signaal op Lotte Mulder" }).click();
      await page.waitForURL(/gedaan=beeindigd/);
      expect(await page.getByRole("status").first().textContent()).toContain("archief");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "the guide leads from the flowchart's questions to advice, and the criteria can be searched",
    async () => {
      const context = await w.browser.newContext({ locale: "nl-NL" });
      const page = await context.newPage();
      await page.goto(`${w.web.url}/hulp/afweging`);
      await expectAccessible(page);
      await page.getByLabel("Ja").check();
      await page.getByRole("button", { name: "Volgende" }).click();
      expect(await page.locator("h1").textContent()).toContain("Meldcode huiselijk geweld en kindermishandeling");
      await expectAccessible(page);
      await page.goto(`${w.web.url}/hulp/afweging`);
      await page.getByLabel("Nee").check();
      await page.getByRole("button", { name: "Volgende" }).click();
      await page.getByLabel("Ja").check();
      await page.getByRole("button", { name: "Volgende" }).click();
      await page.getByLabel("Ja", { exact: true }).check();
      await page.getByRole("button", { name: "Volgende" }).click();
      await page.getByLabel("Nee, de zorgen blijven bestaan").check();
      await page.getByRole("button", { name: "Volgende" }).click();
      await page.getByLabel("Leervraagstukken zonder achterliggende problematiek").check();
      await page.getByRole("button", { name: "Volgende" }).click();
      expect(await page.locator("h1").textContent()).toBe("Advies: geef geen signaal af");

      await page.goto(`${w.web.url}/hulp/criteria`);
      await page.getByLabel("Zoek in de criteria").fill("suicidaliteit");
      await page.getByRole("button", { name: "Zoeken" }).click();
      expect(await page.locator("main").textContent()).toContain("Suïcidaliteit");
      expect(await page.locator("main li").count()).toBeLessThan(5);
      await expectAccessible(page);
      await page.goto(`${w.web.url}/toegankelijkheid`);
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "is usable 320 px wide: no horizontal scrolling, and still accessible",
    async () => {
      const { page, context } = await w.signIn(IB, { viewport: { width: 320, height: 640 } });
      for (const path of ["/", "/signalen", "/matches", "/hulp/criteria", "/toegankelijkheid"]) {
        await page.goto(`${w.web.url}${path}`);
        expect(await page.evaluate("document.documentElement.scrollWidth"), path).toBeLessThanOrEqual(320);
        await expectAccessible(page);
      }
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});
