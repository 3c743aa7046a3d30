/**
 * The demo register in the shape a node loads (REGISTER_BESTAND, see
 * docs/demo-data.md): the organisations with the gemeenten they are connected
 * to, their accounts, and the institution addresses. `register.json` next to
 * this package is this value written out (`npm run demo:register`).
 */
import { DEMO_ACCOUNTS, DEMO_CASE_SYSTEMS, DEMO_ORGANISATIONS, type DemoAccount, demoSubject } from "./organisations";
import { DEMO_INSTITUTION_ADDRESS_IDS } from "./persons";

/** A person (or case system) in the demo register. */
export interface DemoRegisterPerson {
  sub: string;
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  rol: DemoAccount["rol"] | "systeem";
  signaleringsbevoegd: boolean;
  medisch: boolean;
  gemeente?: string | null;
}

export function demoRegister() {
  return {
    organisaties: DEMO_ORGANISATIONS.map((o) => ({ id: o.id, naam: o.naam, domein: o.domein, aangeslotenBij: [...o.aangeslotenBij] })),
    professionals: DEMO_ACCOUNTS.map(
      (a): DemoRegisterPerson => ({
        sub: demoSubject(a.email),
        email: a.email,
        naam: a.naam,
        functie: a.functie,
        telefoon: a.telefoon,
        organisatieId: a.organisatieId,
        rol: a.rol,
        signaleringsbevoegd: a.signaleringsbevoegd,
        medisch: a.medisch,
        // A matchregisseur or privacy officer acts for the gemeente of their organisation.
        ...(a.rol === "matchregisseur" || a.rol === "privacyfunctionaris"
          ? { gemeente: DEMO_ORGANISATIONS.find((o) => o.id === a.organisatieId)?.aangeslotenBij[0] ?? null }
          : {}),
      }),
    ).concat(
      DEMO_CASE_SYSTEMS.map((c) => ({
        sub: c.clientId,
        email: c.email,
        naam: c.naam,
        functie: "Zaaksysteem",
        telefoon: "",
        organisatieId: c.organisatieId,
        rol: "systeem" as const,
        signaleringsbevoegd: false,
        medisch: false,
      })),
    ),
    instellingsadressen: DEMO_INSTITUTION_ADDRESS_IDS.map((adresId) => ({ adresId })),
  };
}

/** Where the written-out demo register lives. */
export const DEMO_REGISTER_FILE = new URL("../register.json", import.meta.url).pathname;
