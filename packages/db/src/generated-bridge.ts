/** The reference instance drizzle-kit reads to generate a bridge's migrations (schema "vi_brug"). */
import { BRIDGE_REFERENCE_SCHEMA, bridgeTables } from "./bridge-schema";

export const { schema, wachtrij, matches, outbox, ontvangenEvents } = bridgeTables(BRIDGE_REFERENCE_SCHEMA);
