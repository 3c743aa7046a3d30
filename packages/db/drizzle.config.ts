import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/generated.ts",
  out: "./packages/db/migrations",
  schemaFilter: ["vi_node"],
});
