import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Address,
  archiveInvolvement,
  clientCardInvolvement,
  type Involvement,
  inzageInvolvement,
  isMedical,
  MEDICAL_DOMAINS,
  medicalProfessionalOnCard,
  visibleAddress,
} from "../src/index";

function row(overrides: Partial<Involvement> & { signalId: string; professionalId: string }): Involvement {
  return {
    status: "actief",
    organisatie: "Jeugdzorg Amsterdam",
    domein: "jeugdhulp",
    startdatum: "2025-01-10",
    einddatum: "2026-01-10",
    gearchiveerdOp: null,
    medisch: false,
    geinformeerd: true,
    contact: {
      naam: `Naam van ${overrides.professionalId}`,
      functie: "Jeugdconsulent",
      telefoon: "020-1234567",
      email: `${overrides.professionalId}@example.nl`,
    },
    ...overrides,
  };
}

const OWN = row({ signalId: "s-own", professionalId: "p-viewer", organisatie: "Basisschool De Linde", domein: "onderwijs" });
const MATCHED = row({ signalId: "s-matched", professionalId: "p-jgz", organisatie: "GGD Amsterdam", domein: "jeugdgezondheidszorg", medisch: true });
const OTHER = row({ signalId: "s-other", professionalId: "p-wijk", organisatie: "Wijkteam Noord", domein: "wijkteam" });
const ARCHIVED = row({
  signalId: "s-old",
  professionalId: "p-leerplicht",
  status: "gearchiveerd",
  organisatie: "Leerplicht",
  domein: "leerplicht",
  startdatum: "2024-02-01",
  einddatum: "2025-02-01",
  gearchiveerdOp: "2024-09-15",
});
const ROWS = [OWN, MATCHED, OTHER, ARCHIVED];
const VIEWER = { professionalId: "p-viewer", clientMatchSignalIds: new Set(["s-matched"]) };

describe("clientCardInvolvement", () => {
  it("shows every active signal's organisation, domain and dates, with contact details only for the viewer and client-matched signals", () => {
    expect(clientCardInvolvement(ROWS, VIEWER).actiefBetrokken).toEqual([
      { organisatie: "Basisschool De Linde", domein: "onderwijs", startdatum: "2025-01-10", einddatum: "2026-01-10", professional: OWN.contact },
      { organisatie: "GGD Amsterdam", domein: "jeugdgezondheidszorg", startdatum: "2025-01-10", einddatum: "2026-01-10", professional: MATCHED.contact },
      { organisatie: "Wijkteam Noord", domein: "wijkteam", startdatum: "2025-01-10", einddatum: "2026-01-10", professional: null },
    ]);
  });

  it("shows archived signals as eerder betrokken, ending on the day they were archived, without a person when there is no archive match", () => {
    const eerderBetrokken = archiveInvolvement(ROWS, VIEWER);
    expect(eerderBetrokken).toEqual([
      { organisatie: "Leerplicht", domein: "leerplicht", startdatum: "2024-02-01", einddatum: "2024-09-15", professional: null },
    ]);
    expect(JSON.stringify(eerderBetrokken)).not.toContain("p-leerplicht");
  });

  it("shows the earlier professional's contact details to the viewer whose signal has the archive match with it", () => {
    const eerderBetrokken = archiveInvolvement(ROWS, { professionalId: "p-viewer", clientMatchSignalIds: new Set(["s-old"]) });
    expect(eerderBetrokken).toEqual([
      { organisatie: "Leerplicht", domein: "leerplicht", startdatum: "2024-02-01", einddatum: "2024-09-15", professional: ARCHIVED.contact },
    ]);
  });

  it("an archived signal without an archive date ends on its einddatum", () => {
    const eerderBetrokken = archiveInvolvement([{ ...ARCHIVED, gearchiveerdOp: null }], VIEWER);
    expect(eerderBetrokken[0]!.einddatum).toBe("2025-02-01");
  });

  it("a client match with an archived signal does not make it actively involved", () => {
    const card = clientCardInvolvement(ROWS, { professionalId: "p-viewer", clientMatchSignalIds: new Set(["s-old"]) });
    expect(card.actiefBetrokken).toHaveLength(3);
    expect(card.eerderBetrokkenheid).toEqual({ aanwezig: true });
  });

  it("a viewer without client matches sees only their own contact details", () => {
    const card = clientCardInvolvement(ROWS, { professionalId: "p-viewer", clientMatchSignalIds: new Set() });
    expect(card.actiefBetrokken.map((l) => l.professional?.email ?? null)).toEqual(["p-viewer@example.nl", null, null]);
  });

  it("hands out a copy of the contact details, not the row's own object", () => {
    const card = clientCardInvolvement([OWN], VIEWER);
    card.actiefBetrokken[0]!.professional!.naam = "gewijzigd";
    expect(OWN.contact.naam).toBe("Naam van p-viewer");
  });

  it("shows nothing for a youth without signals", () => {
    expect(clientCardInvolvement([], VIEWER)).toEqual({ actiefBetrokken: [], eerderBetrokkenheid: { aanwezig: false } });
    expect(archiveInvolvement([], VIEWER)).toEqual([]);
  });

  it("the card says only that there is earlier involvement; who and what is in the archive part", () => {
    const card = clientCardInvolvement(ROWS, VIEWER);
    expect(card.eerderBetrokkenheid).toEqual({ aanwezig: true });
    expect(JSON.stringify(card)).not.toContain("Leerplicht");
    expect(clientCardInvolvement([OWN, MATCHED], VIEWER).eerderBetrokkenheid).toEqual({ aanwezig: false });
  });
});

describe("inzageInvolvement", () => {
  it("lists organisations and dates only, active and archived apart", () => {
    expect(inzageInvolvement(ROWS, VIEWER)).toEqual({
      actiefBetrokken: [
        { organisatie: "Basisschool De Linde", domein: "onderwijs", startdatum: "2025-01-10", einddatum: "2026-01-10" },
        { organisatie: "GGD Amsterdam", domein: "jeugdgezondheidszorg", startdatum: "2025-01-10", einddatum: "2026-01-10" },
        { organisatie: "Wijkteam Noord", domein: "wijkteam", startdatum: "2025-01-10", einddatum: "2026-01-10" },
      ],
      eerderBetrokken: [{ organisatie: "Leerplicht", domein: "leerplicht", startdatum: "2024-02-01", einddatum: "2024-09-15" }],
      nietAllesGetoond: false,
    });
  });

  it("leaves out another professional's signal until they have informed, and says so", () => {
    const rows = [OWN, { ...MATCHED, geinformeerd: false }, OTHER, { ...ARCHIVED, geinformeerd: false }];
    const shown = inzageInvolvement(rows, VIEWER);
    expect(shown.actiefBetrokken.map((l) => l.organisatie)).toEqual(["Basisschool De Linde", "Wijkteam Noord"]);
    expect(shown.eerderBetrokken).toEqual([]);
    expect(shown.nietAllesGetoond).toBe(true);
  });

  it("shows the signal of the professional giving inzage, informed or not", () => {
    const shown = inzageInvolvement([{ ...OWN, geinformeerd: false }], VIEWER);
    expect(shown).toEqual({
      actiefBetrokken: [expect.objectContaining({ organisatie: "Basisschool De Linde" })],
      eerderBetrokken: [],
      nietAllesGetoond: false,
    });
  });
});

describe("medicalProfessionalOnCard", () => {
  it("is true when an active signal is medical", () => {
    expect(medicalProfessionalOnCard(ROWS)).toBe(true);
  });

  it("is true when the only medical signal is archived: the archive is on the card too", () => {
    expect(medicalProfessionalOnCard([OWN, OTHER, { ...MATCHED, status: "gearchiveerd", gearchiveerdOp: "2025-03-01" }])).toBe(true);
  });

  it("is false without medical signals or without signals", () => {
    expect(medicalProfessionalOnCard([OWN, OTHER, ARCHIVED])).toBe(false);
    expect(medicalProfessionalOnCard([])).toBe(false);
  });
});

describe("isMedical", () => {
  it("is the professional's own registration", () => {
    expect(isMedical({ professionalMedisch: true, organisationDomain: "onderwijs" })).toBe(true);
  });
  it("or the category of the organisation (gezondheidszorg)", () => {
    expect(MEDICAL_DOMAINS).toContain("gezondheidszorg");
    expect(isMedical({ professionalMedisch: false, organisationDomain: "gezondheidszorg" })).toBe(true);
  });
  it("and nothing else", () => {
    for (const d of ["onderwijs", "jeugdhulp", "jeugdgezondheidszorg", "kinderopvang", ""])
      expect(isMedical({ professionalMedisch: false, organisationDomain: d })).toBe(false);
  });
});

describe("visibleAddress", () => {
  const ADRES: Address = { straat: "Haarlemmerweg", huisnummer: 1, huisletter: "A", postcode: "1051KZ", woonplaats: "Amsterdam" };

  it("shows the address", () => {
    expect(visibleAddress({ geheimhouding: false, adres: ADRES })).toEqual(ADRES);
  });

  it("shows no address when the BRP keeps it secret", () => {
    expect(visibleAddress({ geheimhouding: true, adres: ADRES })).toBeNull();
  });

  it("shows no address when there is none", () => {
    expect(visibleAddress({ geheimhouding: false, adres: null })).toBeNull();
  });

  it("leaves out an absent or empty huisletter", () => {
    const { huisletter: _, ...zonder } = ADRES;
    expect(visibleAddress({ geheimhouding: false, adres: zonder })).toEqual(zonder);
    expect(visibleAddress({ geheimhouding: false, adres: { ...ADRES, huisletter: "" } })).not.toHaveProperty("huisletter");
  });

  it("copies only the address fields, nothing else the record carries", () => {
    const fromBrp = { ...ADRES, bsn: "999990019", geheimhouding: false, gemeente: "GM0363" };
    const shown = visibleAddress({ geheimhouding: false, adres: fromBrp });
    expect(shown).toEqual(ADRES);
    expect(Object.keys(shown!).sort()).toEqual(["huisletter", "huisnummer", "postcode", "straat", "woonplaats"]);
  });
});

describe("card visibility (properties)", () => {
  // Contact details are UUID-tagged so that finding them anywhere in the output means they leaked.
  const contactArb = fc.record({
    naam: fc.uuid().map((u) => `naam-${u}`),
    functie: fc.uuid().map((u) => `functie-${u}`),
    telefoon: fc.uuid().map((u) => `tel-${u}`),
    email: fc.uuid().map((u) => `${u}@example.nl`),
  });
  const dateArb = fc.constantFrom("2024-01-01", "2024-06-30", "2025-02-28", "2026-12-31");
  const rowArb = fc.record({
    signalId: fc.constantFrom("s1", "s2", "s3", "s4", "s5", "s6"),
    status: fc.constantFrom("actief" as const, "gearchiveerd" as const),
    professionalId: fc.constantFrom("p1", "p2", "p3", "p4"),
    organisatie: fc.constantFrom("GGD", "School", "Wijkteam", "Huisarts"),
    domein: fc.constantFrom("onderwijs", "jgz", "zorg"),
    startdatum: dateArb,
    einddatum: dateArb,
    gearchiveerdOp: fc.option(dateArb, { nil: null }),
    medisch: fc.boolean(),
    geinformeerd: fc.boolean(),
    contact: contactArb,
  });
  const rowsArb = fc.array(rowArb, { maxLength: 8 });
  const viewerArb = fc.record({
    professionalId: fc.constantFrom("p1", "p2", "p3", "p4", "p-geen"),
    clientMatchSignalIds: fc.subarray(["s1", "s2", "s3", "s4", "s5", "s6"]).map((ids) => new Set(ids)),
  });
  const contactValues = (r: Involvement) => [r.contact.naam, r.contact.functie, r.contact.telefoon, r.contact.email];

  it("inzage never contains a professional's name, function, e-mail or phone", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const text = JSON.stringify(inzageInvolvement(rows, { professionalId: "p1" }));
        for (const r of rows) for (const v of contactValues(r)) expect(text).not.toContain(v);
        const shown = inzageInvolvement(rows, { professionalId: "p1" });
        for (const line of [...shown.actiefBetrokken, ...shown.eerderBetrokken]) {
          expect(Object.keys(line).sort()).toEqual(["domein", "einddatum", "organisatie", "startdatum"]);
        }
      }),
    );
  });

  it("inzage lists every informed row and the viewer's own once, in order, active and archived apart, and says when it left one out", () => {
    fc.assert(
      fc.property(rowsArb, viewerArb, (rows, viewer) => {
        const { actiefBetrokken, eerderBetrokken, nietAllesGetoond } = inzageInvolvement(rows, viewer);
        const shown = rows.filter((r) => r.geinformeerd || r.professionalId === viewer.professionalId);
        expect(actiefBetrokken.map((l) => l.organisatie)).toEqual(shown.filter((r) => r.status === "actief").map((r) => r.organisatie));
        expect(eerderBetrokken.map((l) => l.organisatie)).toEqual(shown.filter((r) => r.status === "gearchiveerd").map((r) => r.organisatie));
        expect(nietAllesGetoond).toBe(shown.length < rows.length);
      }),
    );
  });

  it("the client card shows contact details exactly for the viewer's own and the client-matched signals", () => {
    fc.assert(
      fc.property(rowsArb, viewerArb, (rows, viewer) => {
        const card = clientCardInvolvement(rows, viewer);
        const active = rows.filter((r) => r.status === "actief");
        expect(card.actiefBetrokken).toHaveLength(active.length);
        active.forEach((r, i) => {
          const visible = r.professionalId === viewer.professionalId || viewer.clientMatchSignalIds.has(r.signalId);
          expect(card.actiefBetrokken[i]!.professional).toEqual(visible ? r.contact : null);
        });
        const hidden = active.filter((r) => r.professionalId !== viewer.professionalId && !viewer.clientMatchSignalIds.has(r.signalId));
        const archivedRows = rows.filter((r) => r.status === "gearchiveerd");
        // An archived signal shows its professional only to the viewer with the archive match with it.
        archivedRows.forEach((r, i) => {
          expect(archiveInvolvement(rows, viewer)[i]!.professional).toEqual(viewer.clientMatchSignalIds.has(r.signalId) ? r.contact : null);
        });
        // The card itself never names a person of the archive.
        for (const r of archivedRows.filter((a) => !active.some((x) => x.contact.email === a.contact.email))) {
          for (const v of contactValues(r)) expect(JSON.stringify(card)).not.toContain(v);
        }
        const archived = archivedRows.filter((r) => !viewer.clientMatchSignalIds.has(r.signalId));
        const text = JSON.stringify([card, archiveInvolvement(rows, viewer)]);
        for (const r of [...hidden, ...archived]) {
          // Each row's contact is its own (UUIDs): finding one of these in the card means that row's contact leaked.
          for (const v of contactValues(r)) expect(text).not.toContain(v);
        }
      }),
    );
  });

  it("once everyone has informed, the card and inzage agree on the lines; the card only adds the professional", () => {
    fc.assert(
      fc.property(rowsArb, viewerArb, (rows, viewer) => {
        const informed = rows.map((r) => ({ ...r, geinformeerd: true }));
        const card = clientCardInvolvement(informed, viewer);
        const inzage = inzageInvolvement(informed, viewer);
        expect(card.actiefBetrokken.map(({ professional: _, ...line }) => line)).toEqual(inzage.actiefBetrokken);
        expect(archiveInvolvement(informed, viewer).map(({ professional: _, ...line }) => line)).toEqual(inzage.eerderBetrokken);
      }),
    );
  });

  it("a medical professional is on the card exactly when a row, active or archived, is medical", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        expect(medicalProfessionalOnCard(rows)).toBe(rows.some((r) => r.medisch));
      }),
    );
  });
});
