/** The web application's own decisions, without a browser: the guide, the criteria search, sealed inzage links, CSRF, refusals. */
import { describe, expect, it } from "vitest";
import { NODE_PROBLEMS } from "@vi/node";
import { searchCriteria } from "../src/logic/criteria";
import { FIRST_QUESTION, QUESTIONS, walk } from "../src/logic/guide";
import { CODE_LENGTH, createSealedInzageStore, MAX_ATTEMPTS } from "../src/logic/sealed-inzage";
import { createSessionStore, csrfTokenFor, csrfValid } from "../src/logic/session";
import { INZAGE_REFUSAL, MAPPED_CODES, refusalOnForm } from "../src/logic/refusals";
import { dutchDate } from "../src/logic/format";

describe("the guide (the seed guide's flowchart, chapter 3)", () => {
  it("a suspicion of domestic violence or child abuse: signal and follow the Meldcode", () => {
    expect(walk(["ja"])).toMatchObject({ kind: "advice", advice: "signaal-en-meldcode" });
  });
  it("worries taken away after the talk: no signal; learning issues only: no signal; with underlying problems: signal", () => {
    expect(walk(["nee", "ja", "ja", "ja"])).toMatchObject({ kind: "advice", advice: "geen-signaal" });
    expect(walk(["nee", "ja", "ja", "nee", "leer-zonder"])).toMatchObject({ kind: "advice", advice: "geen-signaal" });
    expect(walk(["nee", "ja", "ja", "nee", "leer-met"])).toMatchObject({ kind: "advice", advice: "signaal" });
    expect(walk(["nee", "ja", "ja", "nee", "leer-en-gedrag"])).toMatchObject({ kind: "advice", advice: "signaal" });
    expect(walk(["nee", "ja", "ja", "nee", "criteria"])).toMatchObject({ kind: "advice", advice: "signaal" });
  });
  it("talking with parents not possible but support wanted: signal; not yet talked: first talk", () => {
    expect(walk(["nee", "ja", "niet-mogelijk"])).toMatchObject({ kind: "advice", advice: "signaal" });
    expect(walk(["nee", "ja", "nog-niet"])).toMatchObject({ kind: "advice", advice: "eerst-bespreken" });
  });
  it("asks the next question until there is advice; an unknown answer stops where it was", () => {
    expect(walk([])).toMatchObject({ kind: "question", question: QUESTIONS[FIRST_QUESTION] });
    expect(walk(["nee"])).toMatchObject({ kind: "question", question: QUESTIONS.besproken, answers: ["nee"] });
    expect(walk(["nee", "misschien", "ja"])).toMatchObject({ kind: "question", question: QUESTIONS.besproken, answers: ["nee"] });
  });
});

describe("the criteria (chapter 4) as searchable help", () => {
  it("finds an item without its accents, and every word must match", () => {
    const { sections, hits } = searchCriteria("suicidaliteit");
    expect(hits).toBe(1);
    expect(sections[0]!.groups[0]!.items).toEqual(["Suïcidaliteit."]);
    expect(searchCriteria("schoolverzuim veelvuldig").hits).toBe(1);
    expect(searchCriteria("geen-woord-dat-bestaat").hits).toBe(0);
  });
  it("an empty search shows everything", () => {
    expect(searchCriteria("").hits).toBeGreaterThan(80);
  });
});

describe("a sealed inzage (secure mail)", () => {
  it("opens with its code only, and is gone after five wrong codes", () => {
    const store = createSealedInzageStore();
    const pdf = new TextEncoder().encode("%PDF-1.7 inzage");
    const { id, code } = store.seal(pdf, 72);
    expect(code.replace("-", "")).toHaveLength(CODE_LENGTH);
    expect(store.open(id, code)).toEqual({ ok: true, pdf });
    expect(store.open(id, code.toLowerCase().replace("-", " "))).toMatchObject({ ok: true });
    for (let i = 1; i < MAX_ATTEMPTS; i++) expect(store.open(id, "AAAAA-AAAAA")).toEqual({ ok: false, reason: "code-onjuist", attemptsLeft: MAX_ATTEMPTS - i });
    expect(store.open(id, "AAAAA-AAAAA")).toEqual({ ok: false, reason: "te-vaak" });
    expect(store.open(id, code)).toEqual({ ok: false, reason: "onbekend" });
  });
  it("expires", () => {
    let now = Date.parse("2026-12-05T10:00:00Z");
    const store = createSealedInzageStore({ now: () => now });
    const { id, code, expiresAt } = store.seal(new Uint8Array([1, 2, 3]), 72);
    expect(expiresAt.toISOString()).toBe("2026-12-08T10:00:00.000Z");
    now += 72 * 3_600_000;
    expect(store.exists(id)).toBe(false);
    expect(store.open(id, code)).toEqual({ ok: false, reason: "verlopen" });
  });
});

describe("sessions and CSRF", () => {
  it("a CSRF token belongs to one cookie value and one secret", () => {
    const token = csrfTokenFor("s".repeat(32), "cookie-1");
    expect(csrfValid("s".repeat(32), "cookie-1", token)).toBe(true);
    expect(csrfValid("s".repeat(32), "cookie-2", token)).toBe(false);
    expect(csrfValid("t".repeat(32), "cookie-1", token)).toBe(false);
    expect(csrfValid("s".repeat(32), undefined, token)).toBe(false);
    expect(csrfValid("s".repeat(32), "cookie-1", "")).toBe(false);
  });
  it("a session ends after its idle time or when its token expires", () => {
    let now = 1_000_000;
    const store = createSessionStore({ idleMinutes: 10, now: () => now });
    const s = store.create({ subject: "sub", accessToken: "t", expiresAt: now / 1000 + 3600, gemeente: "GM0363" });
    now += 9 * 60_000;
    expect(store.get(s.id)?.subject).toBe("sub");
    now += 11 * 60_000;
    expect(store.get(s.id)).toBeUndefined();
    const t = store.create({ subject: "sub", accessToken: "t", expiresAt: now / 1000 + 60, gemeente: "GM0363" });
    now += 61_000;
    expect(store.get(t.id)).toBeUndefined();
  });
});

describe("refusals of the node API on the signal form", () => {
  // The refusals POST /api/v1/signalen can give beyond sign-in and request plumbing (services/node/src/http/responses.ts).
  const REGISTRATION_REFUSALS = [
    "NIET_AANGESLOTEN",
    "BSN_ONBEKEND_IN_BRP",
    "BRP_ONBEREIKBAAR",
    "BRP_FOUT",
    "JEUGDIGE_TE_OUD",
    "JEUGDIGE_OVERLEDEN",
    "EINDDATUM_IN_VERLEDEN",
    "EINDDATUM_TE_VER",
    "EINDDATUM_NA_23",
    "NIET_SIGNALERINGSBEVOEGD",
    "DOMEIN_NIET_TOEGESTAAN",
    "GEBOORTEDATUM_ONBEKEND",
    "REDEN_NIET_GEINFORMEERD_ONGELDIG",
    "GEINFORMEERD_ONVOLLEDIG",
    "GEINFORMEERD_OP_IN_TOEKOMST",
    "GEINFORMEERD_TEGENSTRIJDIG",
    "SIGNAAL_BESTAAT_AL",
    "BSN_ONGELDIG",
    "JEUGDIGE_ANDERE_GEMEENTE",
    "JEUGDIGE_BUITEN_REGIO",
    "REDEN_NIET_GEINFORMEERD_ONTBREEKT",
    "NODE_ONBEREIKBAAR",
  ];
  it("every registration refusal has its own Dutch message, next to the field it is about", () => {
    for (const code of REGISTRATION_REFUSALS) expect(NODE_PROBLEMS.codes as readonly string[]).toContain(code);
    expect(REGISTRATION_REFUSALS.filter((c) => !MAPPED_CODES.includes(c))).toEqual([]);
    expect(refusalOnForm("BSN_ONGELDIG", "").field).toBe("bsn");
    expect(refusalOnForm("EINDDATUM_TE_VER", "").field).toBe("einddatum");
    expect(refusalOnForm("REDEN_NIET_GEINFORMEERD_ONTBREEKT", "").field).toBe("geinformeerd");
    expect(refusalOnForm("NIET_SIGNALERINGSBEVOEGD", "").field).toBe("formulier");
  });
  it("an unknown refusal keeps the node's own message", () => {
    expect(refusalOnForm("IETS_NIEUWS", "De node zegt nee.", "einddatum")).toEqual({ field: "einddatum", message: "De node zegt nee." });
  });
  it("every inzage refusal of the node has an explanation", () => {
    for (const code of ["INZAGE_GEHEIM_ADRES", "INZAGE_BUITEN_REGIO", "INZAGE_TOESTEMMING_JEUGDIGE_NODIG", "INZAGE_JEUGDIGE_TE_JONG"]) {
      expect(NODE_PROBLEMS.codes as readonly string[]).toContain(code);
      expect(INZAGE_REFUSAL[code]).toBeTruthy();
    }
  });
});

it("dates read in Dutch", () => {
  expect(dutchDate("2026-11-28")).toBe("28 november 2026");
});
