/** The reference instance drizzle-kit reads to generate migrations (schema "vi_node"). */
import { nodeTables, REFERENCE_SCHEMA } from "./schema";

export const {
  schema,
  organisaties,
  professionals,
  jeugdigen,
  signalen,
  matches,
  matchregie,
  regioMatches,
  instellingsadressen,
  auditLog,
  signaalRefs,
  meldingen,
  outbox,
  ontvangenEvents,
} = nodeTables(REFERENCE_SCHEMA);
