/**
 * Tests in three speeds (`npm test` runs all three):
 *
 * - unit (`npm run test:unit`): no PostgreSQL, no NATS, no service of their
 *   own beyond in-process servers on port 0 (and PGlite); no global setup.
 * - integration (`npm run test:integration`): real PostgreSQL (DATABASE_URL,
 *   else a testcontainers PostgreSQL) and NATS (NATS_URL).
 * - heavy (`npm run test:heavy`): the property test, the fault tests and the
 *   whole region; minutes each.
 *
 * A test file that is neither unit nor heavy is integration: a new suite runs
 * with the services until it is listed here as unit.
 */
import { configDefaults, defineConfig } from "vitest/config";

const ALL = ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts", "test/**/*.test.ts"];

const UNIT = [
  "packages/auth/test/**/*.test.ts",
  "packages/brp/test/**/*.test.ts",
  "packages/bus/test/contract.memory.test.ts",
  "packages/bus/test/memory.clock.test.ts",
  "packages/db/test/contract.pglite.test.ts",
  "packages/db/test/migrations.test.ts",
  "packages/demo/test/**/*.test.ts",
  "packages/domain/test/**/*.test.ts",
  "packages/events/test/**/*.test.ts",
  "packages/pseudonym/test/**/*.test.ts",
  "services/pseudonym/test/**/*.test.ts",
  "packages/mail/test/**/*.test.ts",
  "packages/region/test/**/*.test.ts",
  "packages/service/test/**/*.test.ts",
  "services/fake-brp/test/**/*.test.ts",
  "services/smtp-sink/test/**/*.test.ts",
  "services/web/test/**/*.test.ts",
  "services/hub/test/config.test.ts",
  "test/compose.test.ts",
  "test/openapi.test.ts",
  "test/haal-centraal.test.ts",
  "test/publiccode.test.ts",
  "test/dependency-licences.test.ts",
  "test/helm.test.ts",
  "test/engines.test.ts",
  "test/readme.test.ts",
  "test/rules.test.ts",
  "test/node-config.test.ts",
  "test/node-worker.test.ts",
  "test/fault-assert.test.ts",
  "test/node-transactions.test.ts",
  "test/api/rpc-problem.test.ts",
  "test/api/pseudonym-chunks.test.ts",
  "test/leak-scan.test.ts",
];

const HEAVY = ["test/property/**/*.test.ts", "test/faults/**/*.test.ts", "test/federation/**/*.test.ts"];

/** Finds the PostgreSQL server once per run and hands it to the suites (inject("databaseUrl")). */
const globalSetup = ["test/support/global-setup.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      { extends: true, test: { name: "integration", include: ALL, exclude: [...configDefaults.exclude, ...UNIT, ...HEAVY], globalSetup } },
      { extends: true, test: { name: "heavy", include: HEAVY, globalSetup } },
    ],
  },
});
