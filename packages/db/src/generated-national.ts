/** The reference instance drizzle-kit reads to generate the national index's migrations (schema "vi_landelijk"). */
import { NATIONAL_REFERENCE_SCHEMA, nationalTables } from "./national-schema";

export const { schema, records, verwijderd, matches, afleveringen, bruggen, nodesleutels, vsn, ontvangenEvents } = nationalTables(NATIONAL_REFERENCE_SCHEMA);
