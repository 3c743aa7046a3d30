import fc from "fast-check";
import { describe, it, expect } from "vitest";
import {
  decideMatches,
  isFamilyMatch,
  isSameFamily,
  receivesMatchNotice,
  type CandidateSignal,
  type FamilyFacts,
  type FamilySide,
  type YouthFacts,
} from "../src/index";

// Fixture youths (docs/demo-data.md)
const ADAM: FamilyFacts = { youthId: "adam", parentBsns: ["999900031", "999900043"], addressId: "haarlemmerweg-1", institutionAddress: false };
const LIAM: FamilyFacts = { youthId: "liam", parentBsns: ["999900043", "999900031"], addressId: "haarlemmerweg-1", institutionAddress: false };
const NOOR: FamilyFacts = { youthId: "noor", parentBsns: ["999900043", "999900067"], addressId: "zaanstad-daan", institutionAddress: false };
const EVA: FamilyFacts = { youthId: "eva", parentBsns: [], addressId: "instellingsweg-10", institutionAddress: true };
const TIM: FamilyFacts = { youthId: "tim", parentBsns: [], addressId: "instellingsweg-10", institutionAddress: true };
const MILA: FamilyFacts = { youthId: "mila", parentBsns: ["999900122"], addressId: "haarlem-1", institutionAddress: false };
const YUSUF: FamilyFacts = { youthId: "yusuf", parentBsns: ["999900122"], addressId: "diemen-1", institutionAddress: false };
const LOTTE: FamilyFacts = { youthId: "lotte", parentBsns: [], addressId: "purmerend-1", institutionAddress: false };

describe("isSameFamily", () => {
  it("relates Adam and Liam through their parents and their address", () => {
    expect(isSameFamily(ADAM, LIAM)).toEqual({ related: true, via: ["ouder", "adres"] });
  });

  it("relates Adam and Noor through their shared father only", () => {
    expect(isSameFamily(ADAM, NOOR)).toEqual({ related: true, via: ["ouder"] });
  });

  it("relates Yusuf and Mila through their mother, across regions", () => {
    expect(isSameFamily(YUSUF, MILA)).toEqual({ related: true, via: ["ouder"] });
  });

  it("does not relate Eva and Tim who share only an institution address", () => {
    expect(isSameFamily(EVA, TIM)).toEqual({ related: false, via: [] });
  });

  it("does not relate youths when only one side marks the address as an institution", () => {
    expect(isSameFamily({ ...EVA, institutionAddress: false }, TIM).related).toBe(false);
    expect(isSameFamily(EVA, { ...TIM, institutionAddress: false }).related).toBe(false);
  });

  it("relates youths at the same ordinary address without shared parents", () => {
    expect(isSameFamily({ ...EVA, institutionAddress: false }, { ...TIM, institutionAddress: false })).toEqual({ related: true, via: ["adres"] });
  });

  it("does not relate youths whose addresses are both unknown", () => {
    expect(isSameFamily({ ...LOTTE, addressId: null }, { ...EVA, youthId: "x", addressId: null, institutionAddress: false }).related).toBe(false);
  });

  it("does not relate unrelated youths", () => {
    expect(isSameFamily(ADAM, LOTTE)).toEqual({ related: false, via: [] });
  });

  it("never relates a youth with themself", () => {
    expect(isSameFamily(ADAM, { ...ADAM })).toEqual({ related: false, via: [] });
  });

  it("is symmetric", () => {
    for (const [a, b] of [
      [ADAM, LIAM],
      [ADAM, NOOR],
      [EVA, TIM],
      [YUSUF, MILA],
    ] as const) {
      expect(isSameFamily(b, a)).toEqual(isSameFamily(a, b));
    }
  });
});

function signal(overrides: Partial<CandidateSignal> & { signalId: string }): CandidateSignal {
  return { professionalId: "jgz", youthId: "adam", status: "actief", archiveMatchUsed: false, ...overrides };
}

const NEW_ON_ADAM = { signalId: "s-new", professionalId: "ib", youth: ADAM };
const TODAY = "2026-11-28";
/** A candidate youth of 10, alive: in the index. */
const ALIVE: YouthFacts = { birthDate: "2016-08-28", deceasedOn: null };

describe("decideMatches", () => {
  it("makes a client match with another professional’s active signal on the same youth", () => {
    const matches = decideMatches({ today: TODAY, newSignal: NEW_ON_ADAM, sameYouth: [signal({ signalId: "s1" })], family: [] });
    expect(matches).toEqual([{ counterpartSignalId: "s1", kind: "client", viaArchive: false }]);
  });

  it("never matches a professional with themself, on the same youth or in the family", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: NEW_ON_ADAM,
      sameYouth: [signal({ signalId: "s1", professionalId: "ib" }), signal({ signalId: "s2", professionalId: "ib", status: "gearchiveerd" })],
      family: [{ signal: signal({ signalId: "s3", professionalId: "ib", youthId: "liam" }), youth: LIAM, dates: ALIVE }],
    });
    expect(matches).toEqual([]);
  });

  it("never matches the new signal with itself", () => {
    const matches = decideMatches({ today: TODAY, newSignal: NEW_ON_ADAM, sameYouth: [signal({ signalId: "s-new", professionalId: "other" })], family: [] });
    expect(matches).toEqual([]);
  });

  it("matches an archived signal on the same youth once, marked as via the archive", () => {
    const archived = signal({ signalId: "s-old", status: "gearchiveerd" });
    const first = decideMatches({ today: TODAY, newSignal: NEW_ON_ADAM, sameYouth: [archived], family: [] });
    expect(first).toEqual([{ counterpartSignalId: "s-old", kind: "client", viaArchive: true }]);
    // The caller marks the archived signal used; a later signal by someone else no longer matches it.
    const second = decideMatches({
      today: TODAY,
      newSignal: { signalId: "s-later", professionalId: "leerplicht", youth: ADAM },
      sameYouth: [{ ...archived, archiveMatchUsed: true }],
      family: [],
    });
    expect(second).toEqual([]);
  });

  it("makes a family match with an active signal on a sibling (Adam and Liam)", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: { signalId: "s-liam", professionalId: "ib", youth: LIAM },
      sameYouth: [],
      family: [{ signal: signal({ signalId: "s-adam", youthId: "adam" }), youth: ADAM, dates: ALIVE }],
    });
    expect(matches).toEqual([{ counterpartSignalId: "s-adam", kind: "gezin", viaArchive: false }]);
  });

  it("makes a family match across gemeenten through a shared parent (Noor after Adam)", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: { signalId: "s-noor", professionalId: "wijkteam", youth: NOOR },
      sameYouth: [],
      family: [{ signal: signal({ signalId: "s-adam", professionalId: "ib", youthId: "adam" }), youth: ADAM, dates: ALIVE }],
    });
    expect(matches).toEqual([{ counterpartSignalId: "s-adam", kind: "gezin", viaArchive: false }]);
  });

  it("makes no family match between Eva and Tim at an institution address", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: { signalId: "s-tim", professionalId: "ib", youth: TIM },
      sameYouth: [],
      family: [{ signal: signal({ signalId: "s-eva", youthId: "eva" }), youth: EVA, dates: ALIVE }],
    });
    expect(matches).toEqual([]);
  });

  it("makes no family match with an archived signal", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: { signalId: "s-liam", professionalId: "ib", youth: LIAM },
      sameYouth: [],
      family: [{ signal: signal({ signalId: "s-adam", youthId: "adam", status: "gearchiveerd" }), youth: ADAM, dates: ALIVE }],
    });
    expect(matches).toEqual([]);
  });

  it("makes no family match with a youth who is 23 today or has died, before the retention job has removed the signal", () => {
    const adam = signal({ signalId: "s-adam", youthId: "adam" });
    const decide = (dates: YouthFacts) =>
      decideMatches({
        today: TODAY,
        newSignal: { signalId: "s-liam", professionalId: "ib", youth: LIAM },
        sameYouth: [],
        family: [{ signal: adam, youth: ADAM, dates }],
      });
    expect(decide({ birthDate: "2003-11-28", deceasedOn: null })).toEqual([]);
    expect(decide({ birthDate: "2003-11-29", deceasedOn: null })).toEqual([{ counterpartSignalId: "s-adam", kind: "gezin", viaArchive: false }]);
    expect(decide({ birthDate: "2016-08-28", deceasedOn: "2026-11-01" })).toEqual([]);
    expect(decide({ birthDate: "2016-08-28", deceasedOn: null, deceased: true })).toEqual([]);
  });

  it("makes no family match with a signal on the same youth passed as family", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: NEW_ON_ADAM,
      sameYouth: [],
      family: [{ signal: signal({ signalId: "s1", youthId: "adam" }), youth: LIAM, dates: ALIVE }],
    });
    expect(matches).toEqual([]);
  });

  it("ignores a same-youth candidate that is on another youth", () => {
    const matches = decideMatches({ today: TODAY, newSignal: NEW_ON_ADAM, sameYouth: [signal({ signalId: "s1", youthId: "lotte" })], family: [] });
    expect(matches).toEqual([]);
  });

  it("gives one decision per counterpart signal, client before family", () => {
    const s1 = signal({ signalId: "s1" });
    const matches = decideMatches({
      today: TODAY,
      newSignal: NEW_ON_ADAM,
      sameYouth: [s1, s1],
      family: [{ signal: { ...s1, youthId: "liam" }, youth: LIAM, dates: ALIVE }],
    });
    expect(matches).toEqual([{ counterpartSignalId: "s1", kind: "client", viaArchive: false }]);
  });

  it("returns all matches sorted by counterpart signal id", () => {
    const matches = decideMatches({
      today: TODAY,
      newSignal: NEW_ON_ADAM,
      sameYouth: [
        signal({ signalId: "c", professionalId: "jgz" }),
        signal({ signalId: "a", professionalId: "leerplicht", status: "gearchiveerd" }),
        signal({ signalId: "e", professionalId: "old", status: "gearchiveerd", archiveMatchUsed: true }),
      ],
      family: [
        { signal: signal({ signalId: "d", youthId: "liam", professionalId: "wijkteam" }), youth: LIAM, dates: ALIVE },
        { signal: signal({ signalId: "b", youthId: "noor", professionalId: "wijkteam" }), youth: NOOR, dates: ALIVE },
        { signal: signal({ signalId: "f", youthId: "lotte", professionalId: "huisarts" }), youth: LOTTE, dates: ALIVE },
      ],
    });
    expect(matches).toEqual([
      { counterpartSignalId: "a", kind: "client", viaArchive: true },
      { counterpartSignalId: "b", kind: "gezin", viaArchive: false },
      { counterpartSignalId: "c", kind: "client", viaArchive: false },
      { counterpartSignalId: "d", kind: "gezin", viaArchive: false },
    ]);
  });
});

describe("isFamilyMatch", () => {
  const side = (professional: string, youth: FamilyFacts, status: FamilySide["status"] = "actief"): FamilySide => ({ professional, status, youth });

  it("matches two active signals of different professionals on siblings (Adam and Liam)", () => {
    expect(isFamilyMatch(side("ib", ADAM), side("jgz", LIAM))).toBe(true);
  });

  it("matches through a shared parent only (Adam and Noor)", () => {
    expect(isFamilyMatch(side("ib", ADAM), side("wijkteam", NOOR))).toBe(true);
  });

  it("does not match one professional with themself, even on siblings", () => {
    expect(isFamilyMatch(side("ib", ADAM), side("ib", LIAM))).toBe(false);
  });

  it("does not match two signals on the same youth (that is a client match)", () => {
    expect(isFamilyMatch(side("ib", ADAM), side("jgz", { ...ADAM }))).toBe(false);
  });

  it("does not match when either signal is archived", () => {
    expect(isFamilyMatch(side("ib", ADAM, "gearchiveerd"), side("jgz", LIAM))).toBe(false);
    expect(isFamilyMatch(side("ib", ADAM), side("jgz", LIAM, "gearchiveerd"))).toBe(false);
  });

  it("does not match youths who share only an institution address (Eva and Tim)", () => {
    expect(isFamilyMatch(side("ib", EVA), side("jgz", TIM))).toBe(false);
  });

  it("does not match unrelated youths", () => {
    expect(isFamilyMatch(side("ib", ADAM), side("jgz", LOTTE))).toBe(false);
  });

  // Small pools, so that shared parents, addresses, youths and professionals occur often.
  const factsArb: fc.Arbitrary<FamilyFacts> = fc.record({
    youthId: fc.constantFrom("y1", "y2", "y3"),
    parentBsns: fc.array(fc.constantFrom("999900031", "999900043", "999900067", ""), { maxLength: 3 }),
    addressId: fc.option(fc.constantFrom("adres-1", "adres-2"), { nil: null }),
    institutionAddress: fc.boolean(),
  });
  const sideArb: fc.Arbitrary<FamilySide> = fc.record({
    professional: fc.constantFrom("p1", "p2", "p3"),
    status: fc.constantFrom("actief" as const, "gearchiveerd" as const),
    youth: factsArb,
  });

  it("is symmetric (property)", () => {
    fc.assert(
      fc.property(sideArb, sideArb, (a, b) => {
        expect(isFamilyMatch(a, b)).toBe(isFamilyMatch(b, a));
      }),
    );
  });

  it("is never true for the same professional, the same youth or a side that is not active (property)", () => {
    fc.assert(
      fc.property(sideArb, sideArb, (a, b) => {
        if (a.professional === b.professional || a.youth.youthId === b.youth.youthId || a.status !== "actief" || b.status !== "actief") {
          expect(isFamilyMatch(a, b)).toBe(false);
        }
      }),
    );
  });

  it("between active signals of different professionals on different youths, is exactly a shared parent or ordinary address (property)", () => {
    const parentOf = (f: FamilyFacts) => new Set(f.parentBsns.filter((p) => p !== ""));
    fc.assert(
      fc.property(sideArb, sideArb, (a, b) => {
        fc.pre(a.professional !== b.professional && a.youth.youthId !== b.youth.youthId && a.status === "actief" && b.status === "actief");
        const sharedParent = [...parentOf(a.youth)].some((p) => parentOf(b.youth).has(p));
        const sharedAddress =
          a.youth.addressId !== null && a.youth.addressId === b.youth.addressId && !a.youth.institutionAddress && !b.youth.institutionAddress;
        expect(isFamilyMatch(a, b)).toBe(sharedParent || sharedAddress);
      }),
    );
  });

  it("an empty parent BSN never relates two youths (property)", () => {
    fc.assert(
      fc.property(sideArb, sideArb, (a, b) => {
        const onlyEmpty = (s: FamilySide): FamilySide => ({ ...s, youth: { ...s.youth, parentBsns: ["", ""], addressId: null } });
        expect(isFamilyMatch(onlyEmpty(a), onlyEmpty(b))).toBe(false);
      }),
    );
  });
});

describe("receivesMatchNotice", () => {
  it("tells the professional of an active signal", () => {
    expect(receivesMatchNotice({ status: "actief" })).toBe(true);
  });
  it("does not tell the earlier professional of an archive match: no longer involved, no notice or e-mail", () => {
    expect(receivesMatchNotice({ status: "gearchiveerd" })).toBe(false);
  });
});
