/** The reference instance drizzle-kit reads to generate the hub's migrations (schema "vi_hub"). */
import { hubTables, HUB_REFERENCE_SCHEMA } from "./hub-schema";

export const {
  schema,
  indexSignalen,
  indexVolgendeSleutel,
  herbouwGezien,
  pseudoniemSleutel,
  hubMatches,
  verwijderdeSignalen,
  nodes,
  registerOrganisaties,
  registerPersonen,
  registerInstellingsadressen,
  registerWijzigingen,
  auditketenKoppen,
  auditLog,
  outbox,
  ontvangenEvents,
} = hubTables(HUB_REFERENCE_SCHEMA);
