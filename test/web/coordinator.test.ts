/**
 * The organisation coordinator in a real browser against a region with its hub (real NATS and PostgreSQL; the
 * register lives at the hub and reaches the nodes over the bus): the coordinator designates a colleague, hands
 * ib's signals to that colleague, and revokes ib's designation; ib's next registration is refused. The web calls
 * the hub with the coordinator's own token for the hub's audience. Every page is checked with axe-core.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/federation";
import { startWebRegion, type WebRegion } from "../support/web";

const ADAM = "999900018";
const LIAM = "999900079";
const IB = "ib@buurtschool.example";
const DOCENT = "docent@buurtschool.example";
const COORDINATOR = "coordinator@buurtschool.example";
/** Several pages with axe-core on each: room for a machine shared with other suites (web.test.ts says why). */
const BROWSER_TEST_MS = 120_000;

let w: WebRegion;
beforeAll(async () => {
  w = await startWebRegion({ gemeenten: ["GM0363"], hub: true });
}, 120_000);
afterAll(async () => w?.close());

async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

async function submitSignal(page: Page, bsn: string) {
  await page.goto(`${w.web.url}/`);
  await page.getByLabel("BSN van de jeugdige").fill(bsn);
  await page.getByLabel("Ja, ik heb geïnformeerd wie de leeftijdsregels noemen").check();
  await page.getByRole("button", { name: "Signaal afgeven" }).click();
}

/** What the Amsterdam node's register (from the hub, over the bus) says of this person now. */
const designatedAtNode = (email: string) => w.fed!.node("GM0363").ctx.register.professional(email)?.signaleringsbevoegd;

describe("the organisation coordinator in a browser", () => {
  it(
    "designates a colleague, hands ib's signals over, revokes ib: ib's next registration is refused",
    async () => {
      const ib = await w.signIn(IB);
      await submitSignal(ib.page, ADAM);
      await ib.page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);

      const co = await w.signIn(COORDINATOR);
      await co.page.getByRole("link", { name: "Coördinatie" }).click();
      await co.page.locator("#aanwijzingen").waitFor();
      expect(await co.page.locator("h1").textContent()).toBe("Coördinatie De Buurtschool");
      // Only the coordinator's own organisation.
      expect(await co.page.locator("#aanwijzingen").textContent()).not.toContain("Anouk Vermeulen");
      await expectAccessible(co.page);

      await co.page.getByRole("button", { name: "Wijs Tom Willems aan" }).click();
      await co.page.locator("#coordinatie-gedaan").waitFor();
      await eventually(async () => designatedAtNode(DOCENT) === true, "the node learns that Tom is designated");

      await co.page.getByLabel("Professional die vertrekt").selectOption(IB);
      await co.page.getByLabel("Collega die de signalen overneemt").selectOption(DOCENT);
      await co.page.getByRole("button", { name: "Draag de signalen over" }).click();
      expect(await co.page.locator("#coordinatie-gedaan").textContent()).toContain("1 actieve signalen overgedragen");
      await expectAccessible(co.page);

      await co.page.getByRole("button", { name: "Trek de aanwijzing van Marieke de Graaf in" }).click();
      await co.page.locator("#coordinatie-gedaan").waitFor();
      expect(await co.page.locator("tr[data-persoon='ib@buurtschool.example']").textContent()).toContain("Nee");
      await expectAccessible(co.page);
      await eventually(async () => designatedAtNode(IB) === false, "the node learns that ib's designation was revoked");

      // ib's next registration is refused by the node.
      await submitSignal(ib.page, LIAM);
      expect(await ib.page.locator("main").textContent()).toContain("niet signaleringsbevoegd");
      expect(ib.page.url()).not.toMatch(/nieuw=1/);

      // Tom now holds the signal on Adam and was told.
      const tom = await w.signIn(DOCENT);
      await tom.page.goto(`${w.web.url}/signalen`);
      expect(await tom.page.locator(".vi-card", { hasText: "Adam van Haarlem" }).count()).toBe(1);
      await tom.page.goto(`${w.web.url}/matches`);
      expect(await tom.page.locator(".vi-overdracht").textContent()).toContain("Marieke de Graaf");
      await expectAccessible(tom.page);
      for (const s of [ib, co, tom]) await s.context.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    "a professional gets no coordination page",
    async () => {
      const ib = await w.signIn("jgz@ggd.example");
      expect(await ib.page.getByRole("link", { name: "Coördinatie" }).count()).toBe(0);
      const res = await ib.page.goto(`${w.web.url}/coordinatie`);
      expect(res?.status()).toBe(403);
      await expectAccessible(ib.page);
      await ib.context.close();
    },
    BROWSER_TEST_MS,
  );
});
