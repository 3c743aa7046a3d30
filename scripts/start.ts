/**
 * `npm start`: the region on one machine with embedded defaults and demo data.
 *
 * Starts the fake BRP (8100), the dev issuer (8090) and the municipal nodes
 * (8000 + CBS number; Amsterdam on 8363). Storage: PostgreSQL when
 * DATABASE_URL is set (a schema per node), else one embedded PGlite in
 * .data/pglite. GEMEENTEN=GM0363,GM0479 limits which nodes start.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { loadOrCreateDevIssuer, startDevIssuerServer } from "@vi/auth";
import { openDatabase } from "@vi/db";
import { GEMEENTEN } from "@vi/demo";
import { startFakeBrp } from "@vi/fake-brp";
import { createLogger, parseNodeConfig, startNode, type RunningNode } from "@vi/node";

const root = resolve(import.meta.dirname, "..");
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });
const log = createLogger(process.env.LOG_LEVEL ?? "info", "start");

const issuerPort = Number(process.env.ISSUER_PORT ?? 8090);
const issuerUrl = process.env.AUTH_ISSUER ?? `http://localhost:${issuerPort}`;
const issuer = await loadOrCreateDevIssuer({ dataDir: resolve(dataDir, "dev-issuer"), issuer: issuerUrl });
const issuerServer = await startDevIssuerServer(issuer, { port: issuerPort });

const brp = await startFakeBrp({ port: Number(process.env.BRP_PORT ?? 8100) });

const database = await openDatabase({
  url: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : resolve(dataDir, "pglite"),
  max: 20,
  applicationName: "verwijsindex-start",
});

const wanted = (process.env.GEMEENTEN ?? GEMEENTEN.map((g) => g.code).join(","))
  .split(",")
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
const nodes: RunningNode[] = [];
for (const code of wanted) {
  const config = parseNodeConfig({
    ...process.env,
    GEMEENTE: code,
    PORT: undefined,
    AUTH_ISSUER: issuerUrl,
    BRP_URL: `${brp.url}/haalcentraal/api/brp`,
    DEMO_DATA: process.env.DEMO_DATA ?? "true",
  });
  nodes.push(await startNode({ config, database }));
}

const amsterdam = nodes.find((n) => n.ctx.gemeente.code === "GM0363") ?? nodes[0];
const lines = [
  "",
  `Verwijsindex Regio Amsterdam draait (${database.kind === "pglite" ? "embedded PGlite in .data/pglite" : "PostgreSQL"}).`,
  "",
  ...nodes.map((n) => `  ${n.ctx.gemeente.naam.padEnd(14)} ${n.url}/api/v1   (OpenAPI: ${n.url}/api/v1/openapi.json)`),
  `  Fake BRP       ${brp.url}/haalcentraal/api/brp/personen`,
  `  Dev issuer     ${issuerServer.url}/jwks.json`,
  "",
  "Probeer het:",
  "  TOKEN=$(npm run -s token -- ib@buurtschool.example)",
  `  curl -s -X POST ${amsterdam?.url}/api/v1/signalen -H "Authorization: Bearer $TOKEN" \\`,
  `       -H 'Content-Type: application/json' -d '{"bsn":"999900018","geinformeerd":true}'`,
  `  curl -s ${amsterdam?.url}/api/v1/matches -H "Authorization: Bearer $TOKEN"`,
  "",
];
process.stdout.write(lines.join("\n") + "\n");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  log.info("stopping");
  for (const n of nodes) await n.stop();
  await database.close();
  await brp.close();
  await issuerServer.close();
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
