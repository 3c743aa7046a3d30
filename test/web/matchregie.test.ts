/**
 * Matchregie in a real browser (Debian's Chromium through playwright-core) against a running region: the real
 * OpenID Connect provider, Amsterdam's node on PostgreSQL, the web application. The matchregisseur sees the status a
 * professional set on their match, opens the match and records a regievoerder; a professional is refused the page.
 * Every page is checked with axe-core (WCAG 2.1 A and AA): no violation.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAM, IB, JGZ, REGIE_AMSTERDAM } from "../support/constants";
import { startWebRegion, type WebRegion } from "../support/web";

/** As in test/web/web.test.ts: a real browser through several pages, axe-core on each. */
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

/** Signals on `bsn` through the start page's form (informed as the age rules say); resolves on the confirmation page. */
async function signal(page: Page, bsn: string) {
  await page.goto(`${w.web.url}/`);
  await page.getByLabel("BSN van de jeugdige").fill(bsn);
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
  await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
}

/** Signs in as the demo account in a fresh context and waits for the page the account lands on. */
async function signInTo(email: string, landing: string, viewport = { width: 1280, height: 900 }) {
  const context = await w.browser.newContext({ locale: "nl-NL", viewport });
  const page = await context.newPage();
  await page.goto(`${w.web.url}/aanmelden`);
  await page.getByRole("link", { name: email, exact: true }).click();
  await page.waitForURL(`${w.web.url}${landing}`);
  return { context, page };
}

describe("matchregie in the web application", () => {
  it(
    "the matchregisseur sees the status a professional set, opens the match and records a regievoerder",
    async () => {
      // ib signals on Adam, then jgz: a client match at Amsterdam's node.
      const ib = await signInTo(IB, "/");
      await signal(ib.page, ADAM);
      await ib.context.close();
      const jgz = await signInTo(JGZ, "/");
      await signal(jgz.page, ADAM);
      // jgz records on their own match that contact was made.
      await jgz.page.goto(`${w.web.url}/matches`);
      const card = jgz.page.locator(".vi-match", { hasText: "Marieke de Graaf" });
      await card.getByLabel("Status van deze match").selectOption("contact-gelegd");
      await card.getByRole("button", { name: "Status opslaan" }).click();
      await jgz.page.waitForURL(/\/matches\?gedaan=status$/);
      expect(await jgz.page.locator(".vi-match", { hasText: "Marieke de Graaf" }).locator(".vi-regie-status").textContent()).toContain("Contact gelegd");
      await expectAccessible(jgz.page);

      // The matchregisseur lands on Matchregie: the match with jgz's status, the organisations, and no youth's name.
      const regie = await signInTo(REGIE_AMSTERDAM, "/matchregie");
      expect(await regie.page.locator("h1").textContent()).toBe("Matchregie Amsterdam");
      const item = regie.page.locator(".vi-regie", { hasText: "GGD Amsterdam" });
      expect(await item.getAttribute("data-status")).toBe("contact-gelegd");
      const itemText = (await item.textContent()) ?? "";
      expect(itemText).toContain("Contact gelegd");
      expect(itemText).toContain(JGZ);
      expect(itemText).toContain("De Buurtschool");
      // The rule of the region proposes jgz (jeugdgezondheidszorg before onderwijs); nobody confirmed one yet.
      expect(itemText).toContain("Voorstel van de regio: Anouk Vermeulen, GGD Amsterdam");
      expect(await regie.page.locator("main").textContent()).not.toContain("Adam");
      await expectAccessible(regie.page);

      // Opening it shows the name, to act on it.
      await item.getByRole("link", { name: "Match openen en opvolgen" }).click();
      await regie.page.waitForURL(/\/matchregie\/[0-9a-f-]{36}$/);
      expect(await regie.page.locator("h1").textContent()).toBe("Match over Adam van Haarlem");
      expect(await regie.page.getByLabel("Anouk Vermeulen, GGD Amsterdam (jeugdgezondheidszorg) (voorstel van de regio)").isChecked()).toBe(true);
      await expectAccessible(regie.page);

      // The matchregisseur decides otherwise: the intern begeleider coordinates.
      await regie.page.getByLabel("Marieke de Graaf, De Buurtschool (onderwijs)").check();
      await regie.page.getByRole("button", { name: "Regievoerder vastleggen" }).click();
      await regie.page.waitForURL(/\?gedaan=regievoerder$/);
      expect(await regie.page.locator("#huidige-regievoerder").textContent()).toContain("Marieke de Graaf, De Buurtschool");
      expect(await regie.page.getByRole("status").first().textContent()).toContain("De regievoerder is vastgelegd");
      expect(await regie.page.locator("#huidige-status").textContent()).toContain("Contact gelegd");
      await expectAccessible(regie.page);

      // jgz sees who coordinates at their match.
      await jgz.page.goto(`${w.web.url}/matches`);
      expect(await jgz.page.locator(".vi-match", { hasText: "Marieke de Graaf" }).locator(".vi-regie-status").textContent()).toContain(
        "Regievoerder: Marieke de Graaf (De Buurtschool)",
      );
      await jgz.context.close();
      await regie.context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "works at 320 px wide, and refuses a professional the page with the node's reason",
    async () => {
      const regie = await signInTo(REGIE_AMSTERDAM, "/matchregie", { width: 320, height: 800 });
      expect(await regie.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
      await expectAccessible(regie.page);
      await regie.context.close();

      const ib = await signInTo(IB, "/");
      expect(await ib.page.getByRole("link", { name: "Matchregie" }).count()).toBe(0);
      const res = await ib.page.goto(`${w.web.url}/matchregie`);
      expect(res?.status()).toBe(403);
      expect(await ib.page.locator("main").textContent()).toContain("Alleen de matchregisseur van de gemeente Amsterdam");
      await expectAccessible(ib.page);
      await ib.context.close();
    },
    BROWSER_TEST_MS,
  );
});
