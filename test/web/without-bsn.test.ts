/**
 * A youth without a BSN in a real browser (Debian's Chromium through playwright-core) against the Amsterdam node on
 * PostgreSQL with a deterministic test implementation of the national link: ib@buurtschool.example opens "De jeugdige
 * heeft geen BSN", enters Demir's surname, date of birth and sex; jgz@ggd.example enters the same facts spelled
 * otherwise and sees the client match; the card says there is no BRP data.
 */
import { addYears, todayIn } from "@vi/domain";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IB, JGZ } from "../support/constants";
import { hmacNationalLink } from "../support/national-link";
import { startWebRegion, type WebRegion } from "../support/web";

const BROWSER_TEST_MS = 120_000;
let w: WebRegion;
beforeAll(async () => {
  w = await startWebRegion({ gemeenten: ["GM0363"], nationalLink: hmacNationalLink() });
});
afterAll(async () => w?.close());

async function signalWithoutBsn(page: Page, naam: string, geboortedatum: string) {
  await page.goto(`${w.web.url}/`);
  await page.getByText("De jeugdige heeft geen BSN").click();
  await page.getByLabel("Geslachtsnaam (achternaam)").fill(naam);
  await page.getByLabel("Geboortedatum", { exact: true }).fill(geboortedatum);
  await page.getByLabel("Man", { exact: true }).check();
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
  await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
}

describe("a youth without a BSN in the web application", () => {
  it(
    "two professionals enter Demir's facts, spelled differently: a client match, and a card without BRP data",
    async () => {
      const born = addYears(todayIn(w.region!.clock), -7);
      const ib = await w.signIn(IB);
      await signalWithoutBsn(ib.page, "Demir", born);
      const jgz = await w.signIn(JGZ);
      await signalWithoutBsn(jgz.page, "  DEMIR ", born);
      expect(await jgz.page.locator("#matches-signaal").textContent()).toContain("De Buurtschool");
      await jgz.page.locator(".vi-links").getByRole("link", { name: "Cliëntkaart" }).click();
      expect(await jgz.page.locator("#zonder-bsn").textContent()).toContain("Geen BRP-gegevens: geregistreerd zonder BSN");
    },
    BROWSER_TEST_MS,
  );
});
