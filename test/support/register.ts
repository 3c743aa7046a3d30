/**
 * Registers for tests that need professionals beyond the demo accounts: the
 * demo register plus extra organisations (connected to the gemeenten given)
 * and their professionals, as a value (startNode's `register`) or a file
 * (REGISTER_BESTAND for nodes in processes). Authorisation comes from the
 * register only, so a professional inserted into a node's tables alone is refused.
 * Their tokens' subject is demoSubject(e-mail), as for the demo accounts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DemoRegio, demoRegister, demoSubject } from "@vi/demo";
import type { RegionRegister } from "@vi/node";

export interface ExtraRegister {
  organisaties: { id: string; naam: string; domein: string; aangeslotenBij: string[] }[];
  /** Without `sub`: each gets the subject the test issuer gives their e-mail address (demoSubject). */
  professionals: Omit<RegionRegister["professionals"][number], "sub">[];
}

/** `regio`: whose demo register the extra organisations and professionals are added to (default Regio Amsterdam's). */
export function registerWith(extra: ExtraRegister, regio: DemoRegio = "amsterdam"): RegionRegister {
  const demo = demoRegister(regio);
  return {
    organisaties: [...demo.organisaties, ...extra.organisaties],
    professionals: [...demo.professionals, ...extra.professionals.map((p) => ({ sub: demoSubject(p.email), ...p }))],
    instellingsadressen: demo.instellingsadressen,
  };
}

/** Writes the register to `<dir>/register.json` and returns its path. */
export function writeRegisterFile(dir: string, extra: ExtraRegister, regio: DemoRegio = "amsterdam"): string {
  const path = join(dir, regio === "amsterdam" ? "register.json" : `register-${regio}.json`);
  writeFileSync(path, JSON.stringify(registerWith(extra, regio)));
  return path;
}

/** The fault tests' extra professionals (test/faults/harness.ts), connected to every node they start. */
export const FAULT_ORGS = [
  { id: "fault-org1", naam: "Testschool Fouten", domein: "onderwijs" },
  { id: "fault-org2", naam: "Testjeugdhulp Fouten", domein: "jeugdhulp" },
  { id: "fault-org3", naam: "Testwijkteam Fouten", domein: "maatschappelijke-ondersteuning" },
];
export const FAULT_PROFESSIONALS = Array.from({ length: 7 }, (_, i) => ({
  email: `prof${i + 1}@fault-org${(i % 3) + 1}.example`,
  naam: `Professional ${i + 1}`,
  functie: "Jeugdprofessional",
  telefoon: `020-55500${i + 1}`,
  organisatieId: `fault-org${(i % 3) + 1}`,
}));

export function faultRegister(gemeenten: string[]): ExtraRegister {
  return {
    organisaties: FAULT_ORGS.map((o) => ({ ...o, aangeslotenBij: [...gemeenten] })),
    professionals: FAULT_PROFESSIONALS.map((p) => ({ ...p, rol: "professional", signaleringsbevoegd: true, medisch: false })),
  };
}
