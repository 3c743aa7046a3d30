/**
 * The gemeente's AVG desk in a real browser (Debian's Chromium through playwright-core) against the real OpenID
 * Connect provider and the Amsterdam node on PostgreSQL: the privacy officer finds Adam (the BSN is posted, never in
 * the address bar), exports the PDF, and removes one signal with a reason from the list; the professional's own
 * list no longer has it. A professional cannot open the desk. Every page is checked with axe-core.
 */
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { PDFDocument } from "pdf-lib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebRegion, type WebRegion } from "../support/web";
import { pdfText } from "./pdf-text";

const ADAM = "999900018";
const IB = "ib@buurtschool.example";
const JGZ = "jgz@ggd.example";
const AVG = "avg@amsterdam.example";
/** Several pages with axe-core on each: room for a machine shared with other suites (web.test.ts says why). */
const BROWSER_TEST_MS = 120_000;

let w: WebRegion;
beforeAll(async () => {
  w = await startWebRegion({ gemeenten: ["GM0363"] });
});
afterAll(async () => w?.close());

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

async function signal(page: Page, bsn: string) {
  await page.goto(`${w.web.url}/`);
  await page.getByLabel("BSN van de jeugdige").fill(bsn);
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
  await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
}

describe("the AVG desk in a browser", () => {
  it(
    "the privacy officer finds Adam, exports the PDF, and removes jgz's signal: jgz's list no longer has it",
    async () => {
      const ib = await w.signIn(IB);
      await signal(ib.page, ADAM);
      const jgz = await w.signIn(JGZ);
      await signal(jgz.page, ADAM);

      const avg = await w.signIn(AVG);
      await avg.page.getByRole("link", { name: "AVG-loket" }).click();
      await avg.page.waitForURL(`${w.web.url}/avg`);
      await expectAccessible(avg.page);
      await avg.page.getByLabel("BSN van de jeugdige").fill(ADAM);
      await avg.page.getByRole("button", { name: "Zoeken" }).click();
      await avg.page.locator("#avg-resultaat").waitFor();
      // The BSN never reaches the address bar.
      expect(avg.page.url()).not.toContain(ADAM);
      expect(await avg.page.locator("#avg-jeugdige").textContent()).toBe("Adam van Haarlem");
      const rows = avg.page.locator("#avg-signalen tbody tr");
      expect(await rows.count()).toBe(2);
      expect(await avg.page.locator("#avg-logboek").textContent()).toContain("Signaal afgegeven");
      await expectAccessible(avg.page);

      const [download] = await Promise.all([avg.page.waitForEvent("download"), avg.page.getByRole("button", { name: "Exporteer als PDF" }).click()]);
      const pdf = new Uint8Array(readFileSync((await download.path())!));
      expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(1);
      const text = await pdfText(pdf);
      expect(text).toContain("Adam van Haarlem");
      expect(text).toContain("GGD Amsterdam");
      expect(text).toContain("De Buurtschool");

      // Without a reason nothing is removed.
      await avg.page.getByRole("button", { name: "Verwijder het signaal van GGD Amsterdam" }).click();
      expect(await avg.page.locator("#avg-signalen tbody tr").count()).toBe(2);
      await avg.page.getByLabel("Reden voor het verwijderen van het signaal van GGD Amsterdam").selectOption("geen-betrokkenheid");
      await avg.page.getByRole("button", { name: "Verwijder het signaal van GGD Amsterdam" }).click();
      await avg.page.locator("#avg-gedaan").waitFor();
      expect(await avg.page.locator("#avg-signalen tbody tr").count()).toBe(1);
      expect(await avg.page.locator("#avg-signalen").textContent()).not.toContain("GGD Amsterdam");
      expect(await avg.page.locator("#avg-logboek").textContent()).toContain("Signaal verwijderd (AVG)");
      await expectAccessible(avg.page);

      await jgz.page.goto(`${w.web.url}/signalen`);
      expect(await jgz.page.locator(".vi-card", { hasText: "Adam van Haarlem" }).count()).toBe(0);
      await ib.page.goto(`${w.web.url}/signalen`);
      expect(await ib.page.locator(".vi-card", { hasText: "Adam van Haarlem" }).count()).toBe(1);
      for (const s of [ib, jgz, avg]) await s.context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "a professional gets no AVG desk: no menu item, and the page refuses",
    async () => {
      const ib = await w.signIn(IB);
      expect(await ib.page.getByRole("link", { name: "AVG-loket" }).count()).toBe(0);
      const res = await ib.page.goto(`${w.web.url}/avg`);
      expect(res?.status()).toBe(403);
      expect(await ib.page.locator("main").textContent()).toContain("alleen voor de privacyfunctionaris");
      await expectAccessible(ib.page);
      await ib.context.close();
    },
    BROWSER_TEST_MS,
  );
});
