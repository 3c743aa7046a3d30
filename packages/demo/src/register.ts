/**
 * The demo register in the shape a node loads (REGISTER_BESTAND, see
 * docs/demo-data.md): the organisations with the gemeenten they are connected
 * to, their accounts, and the institution addresses. `register.json` next to
 * this package is this value written out (`npm run demo:register`).
 */
import { DEMO_ACCOUNTS, DEMO_CASE_SYSTEMS, DEMO_ORGANISATIONS, type DemoAccount, type DemoOrganisation, demoSubject } from "./organisations";
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

/** A region of the demo (DemoOrganisation.regio): each region's hub keeps its own register. */
export type DemoRegio = DemoOrganisation["regio"];

/** The demo register of one region (default Regio Amsterdam): its organisations, their accounts and case systems. */
export function demoRegister(regio: DemoRegio = "amsterdam") {
  const inRegion = new Set(DEMO_ORGANISATIONS.filter((o) => o.regio === regio).map((o) => o.id));
  return {
    organisaties: DEMO_ORGANISATIONS.filter((o) => inRegion.has(o.id)).map((o) => ({
      id: o.id,
      naam: o.naam,
      domein: o.domein,
      aangeslotenBij: [...o.aangeslotenBij],
    })),
    professionals: DEMO_ACCOUNTS.filter((a) => inRegion.has(a.organisatieId))
      .map(
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
      )
      .concat(
        DEMO_CASE_SYSTEMS.filter((c) => inRegion.has(c.organisatieId)).map((c) => ({
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

/** Where the written-out demo register of Regio Amsterdam lives. */
export const DEMO_REGISTER_FILE = new URL("../register.json", import.meta.url).pathname;

/** Each demo region's written-out register: Regio Amsterdam's and Zuid-Kennemerland's (Haarlem). */
export const DEMO_REGISTER_FILES: Readonly<Record<DemoRegio, string>> = {
  amsterdam: DEMO_REGISTER_FILE,
  kennemerland: new URL("../register-zuid-kennemerland.json", import.meta.url).pathname,
};
