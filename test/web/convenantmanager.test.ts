/**
 * The convenantmanager's pages in a real browser (Debian's Chromium through playwright-core) against the whole
 * federation: two nodes, the hub and the pseudonym service over real NATS and PostgreSQL, the real OpenID Connect
 * provider. The figures of a month equal what the test counts in the databases (small counts as "< 5"); no page, and
 * no export, holds a BSN or a youth's name; every page passes axe-core (WCAG 2.1 A and AA).
 */
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { fixedClock } from "@vi/domain";
import { ADAM, CONVENANTMANAGER, IB, JGZ, LEERPLICHT, LIAM, NOOR, REGIE_AMSTERDAM, WIJKTEAM } from "../support/constants";
import { eventually } from "../support/federation";
import { countsFromDatabases, personTexts, recordFollowUp, shown, shownShare } from "../support/figures";
import { startWebFederation, type WebFederation } from "../support/web-federation";
import { pdfText } from "./pdf-text";

const GEMEENTEN = ["GM0363", "GM0479"];
/** A few pages with axe-core each: on a quiet 2-core machine 10-30 s; room for a machine shared with other suites. */
const BROWSER_TEST_MS = 120_000;

let w: WebFederation;
beforeAll(async () => {
  w = await startWebFederation({ gemeenten: GEMEENTEN });
  const f = w.fed;
  const informed = (bsn: string) => ({ bsn, geinformeerd: true });
  for (const who of [IB, LEERPLICHT, JGZ]) {
    for (const bsn of [ADAM, LIAM]) expect((await f.call("GM0363", who, "POST", "/api/v1/signalen", informed(bsn))).status).toBe(201);
  }
  expect((await f.call("GM0479", WIJKTEAM, "POST", "/api/v1/signalen", informed(NOOR))).status).toBe(201);
  await eventually(async () => (await f.call("GM0479", WIJKTEAM, "GET", "/api/v1/matches")).body.matches.length > 0, "the hub's family match");
  // Follow-up in Amsterdam's matchregie: five matches with contact within the term, one too late; then the term passed.
  await recordFollowUp(f.call, f.node("GM0363").ctx.clock as ReturnType<typeof fixedClock>, { regisseur: REGIE_AMSTERDAM, professional: IB });
}, 240_000);
afterAll(async () => w?.close(), 60_000);

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

const cell = async (page: Page, table: string, row: string, key: string) =>
  (await page.locator(`#${table} tr[${row}] td[data-cijfer="${key}"]`).textContent())?.trim();

describe("the convenantmanager's page", () => {
  it(
    "shows every node's health and, for a month, the figures the databases hold per gemeente and for the region",
    async () => {
      const { context, page } = await w.signIn(CONVENANTMANAGER, { path: "/regio" });
      expect(await page.locator("h1").textContent()).toBe("Cijfers en nodes van de regio");
      for (const code of GEMEENTEN) expect(await page.locator(`#nodes tr[data-node="${code}"] [data-status]`).getAttribute("data-status")).toBe("bereikbaar");
      await expectAccessible(page);

      const maand = w.fed.today.slice(0, 7);
      const expected = await countsFromDatabases(w.fed.database.db, GEMEENTEN, maand, { now: w.fed.node("GM0363").ctx.clock.now() });
      expect(expected.get("GM0363")!.signalen).toBe(6);
      for (const [gemeente, counts] of expected) {
        // Through the form, as a person would choose.
        await page.getByLabel("Gemeente").selectOption(gemeente);
        await page.getByLabel("Domeinen in").selectOption(maand);
        await page.getByRole("button", { name: "Toon" }).click();
        await page.waitForURL(new RegExp(`gemeente=${gemeente}`));
        for (const k of ["signalen", "clientmatches", "gezinsmatches", "opvolgbareMatches", "contactBinnenTermijn"] as const) {
          expect(await cell(page, "cijfers-per-maand", `data-maand="${maand}"`, k), `${gemeente} ${k}`).toBe(shown(counts[k]));
          expect(await cell(page, "cijfers-per-domein", `data-domein="alle"`, k), `${gemeente} ${k} (domains)`).toBe(shown(counts[k]));
        }
        // The follow-up rate as the hub may publish it, in the table and as a bar of the chart beside it.
        const rate = shownShare(counts.contactBinnenTermijn, counts.opvolgbareMatches);
        const rateText = rate === null ? "–" : `${String(rate).replace(".", ",")}%`;
        expect(await cell(page, "cijfers-per-maand", `data-maand="${maand}"`, "opvolging"), `${gemeente} opvolging`).toBe(rateText);
        const chart = page.locator("svg:has(#grafiek-opvolging-titel)");
        expect(await chart.locator("title").first().textContent()).toContain("Opvolging binnen 14 dagen per maand");
        const short = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"][Number(maand.slice(5)) - 1];
        if (rate !== null) expect(await chart.locator("rect title").allTextContents()).toContain(`Contact binnen 14 dagen, ${short}: ${rate}%`);
        // A chart beside the table, an image with a title.
        expect(await page.locator("svg[role=img] title").first().textContent()).toContain("Signalen per maand");
      }
      await expectAccessible(page);
      // The start page leads the convenantmanager here; no menu item leads to a professional's pages.
      await page.goto(`${w.web.url}/`);
      expect(new URL(page.url()).pathname).toBe("/regio");
      expect(await page.getByRole("link", { name: "Mijn signalen" }).count()).toBe(0);
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "holds no BSN and no youth's name on any page, in the register, or in the yearly report as CSV and PDF",
    async () => {
      const { context, page } = await w.signIn(CONVENANTMANAGER, { path: "/regio" });
      const forbidden = personTexts(w.fed.today);
      const maand = w.fed.today.slice(0, 7);
      for (const path of ["/regio", `/regio?gemeente=GM0363&maand=${maand}`, `/regio?gemeente=GM0479&maand=${maand}`, "/regio/register"]) {
        await page.goto(`${w.web.url}${path}`);
        const html = await page.content();
        for (const t of forbidden) expect(html, `${path} holds ${t}`).not.toContain(t);
        await expectAccessible(page);
      }
      // The register: organisations per gemeente with their designations.
      expect(await page.locator('#convenanten tr[data-gemeente="GM0363"]').textContent()).toContain("De Buurtschool (onderwijs)");

      await page.goto(`${w.web.url}/regio`);
      const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /\(CSV/ }).click()]);
      const csvText = readFileSync((await csv.path())!, "utf8");
      const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /\(PDF\)/ }).click()]);
      const text = pdfText(new Uint8Array(readFileSync((await pdf.path())!)));
      expect(text).toContain("Jaarverslag verwijsindex Regio Amsterdam");
      for (const t of forbidden) {
        expect(csvText).not.toContain(t);
        expect(text).not.toContain(t);
      }
      // The CSV carries the same suppressed figures: Zaanstad's one signal this month as "< 5".
      const zaanstad = csvText.split("\r\n").find((l) => l.startsWith(`GM0479;Zaanstad;${maand};alle;`));
      expect(zaanstad?.split(";")[4]).toBe("< 5");
      await context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "is refused to a professional, and asks someone not signed in to sign in",
    async () => {
      const anonymous = await w.browser.newContext({ locale: "nl-NL" });
      const p = await anonymous.newPage();
      await p.goto(`${w.web.url}/regio`);
      expect(p.url()).toMatch(/\/interaction\//);
      await anonymous.close();

      // Sign-in ends at /regio, which refuses the professional.
      const { context, page } = await w.signIn(IB, { path: "/regio" });
      expect(await page.locator("h1").textContent()).toBe("Geen toegang");
      expect(await page.content()).not.toContain("Gezondheid van de nodes");
      await expectAccessible(page);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});
