import { defineConfig } from "drizzle-kit";

/** Four migration sets: `node` (default), `hub` (DB_SET=hub), `landelijk` (the national index) and `brug` (a bridge). */
const SETS = {
  node: { schema: "./packages/db/src/generated.ts", reference: "vi_node" },
  hub: { schema: "./packages/db/src/generated-hub.ts", reference: "vi_hub" },
  landelijk: { schema: "./packages/db/src/generated-national.ts", reference: "vi_landelijk" },
  brug: { schema: "./packages/db/src/generated-bridge.ts", reference: "vi_brug" },
} as const;
const set = (process.env.DB_SET ?? "node") as keyof typeof SETS;
if (!Object.hasOwn(SETS, set)) throw new Error(`DB_SET: one of ${Object.keys(SETS).join(", ")}`);

export default defineConfig({
  dialect: "postgresql",
  schema: SETS[set].schema,
  out: `./packages/db/migrations/${set}`,
  schemaFilter: [SETS[set].reference],
});
