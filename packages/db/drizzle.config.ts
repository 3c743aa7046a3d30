import { defineConfig } from "drizzle-kit";

/** Two migration sets: `node` (default) and `hub` (DB_SET=hub). */
const hub = process.env.DB_SET === "hub";

export default defineConfig({
  dialect: "postgresql",
  schema: hub ? "./packages/db/src/generated-hub.ts" : "./packages/db/src/generated.ts",
  out: hub ? "./packages/db/migrations/hub" : "./packages/db/migrations/node",
  schemaFilter: [hub ? "vi_hub" : "vi_node"],
});
