/** The demo registry of ../shared/FIXTURES.md, as seen by one gemeente's node. */
import { DEMO_ACCOUNTS, DEMO_INSTITUTION_ADDRESS_IDS, DEMO_ORGANISATIONS } from "@vi/demo";
import type { RegistryData } from "./logic/seed";

export function demoRegistry(gemeenteCode: string, extraInstitutionAddressIds: string[] = []): RegistryData {
  const orgs = DEMO_ORGANISATIONS.filter((o) => o.aangeslotenBij.includes(gemeenteCode));
  const orgIds = new Set(orgs.map((o) => o.id));
  return {
    organisaties: orgs.map((o) => ({ id: o.id, naam: o.naam, domein: o.domein })),
    professionals: DEMO_ACCOUNTS.filter((a) => orgIds.has(a.organisatieId)).map((a) => ({
      email: a.email,
      naam: a.naam,
      functie: a.functie,
      telefoon: a.telefoon,
      organisatieId: a.organisatieId,
      rol: a.rol,
      signaleringsbevoegd: a.signaleringsbevoegd,
      medisch: a.medisch,
    })),
    instellingsadressen: [...DEMO_INSTITUTION_ADDRESS_IDS, ...extraInstitutionAddressIds].map((adresId) => ({ adresId })),
  };
}
