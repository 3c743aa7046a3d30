/**
 * The national chain for integration tests (docs/national-chain.md): a dev CA of the test's own, the national
 * index (its own database schema), and helpers to sign requests as a party of the chain. The two regions and
 * their bridges are started by startNationalChain (below) on top of two startFederation regions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "@vi/db";
import { type DevCa, loadOrCreateDevCa, type TlsMaterial } from "@vi/fsc";
import { createLogger } from "@vi/service";
import { parseNationalIndexConfig, type RunningNationalIndex, startNationalIndex } from "@vi/national-index";
import { createTestDatabase } from "./database";

/** OINs of the test chain (20 digits; the 0000000 prefix marks them as not real). */
export const OIN = {
  landelijk: "00000001000000000200",
  amsterdam: "00000001000000000210",
  "zuid-kennemerland": "00000001000000000211",
  pseudoniem: "00000001000000000201",
} as const;

export interface TestCa {
  ca: DevCa;
  tls(name: string, oin: string): TlsMaterial;
  close(): void;
}

export function testCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "vi-devca-"));
  const ca = loadOrCreateDevCa(dir);
  return {
    ca,
    tls(name, oin) {
      const issued = ca.issue({ name, oin });
      return { ca: ca.cert, identity: { cert: issued.cert, key: issued.key } };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestNationalIndex {
  index: RunningNationalIndex;
  database: Database;
  close(): Promise<void>;
}

/** The national index in a database of its own, trusting `ca`, knowing the given bridges. */
export async function startTestNationalIndex(
  ca: TestCa,
  bridges: Array<{ regio: string; oin: string; url: string }>,
  opts: { port?: number; database?: Database } = {},
): Promise<TestNationalIndex> {
  const created = opts.database ? undefined : await createTestDatabase("vi_nat");
  const database = opts.database ?? (await openDatabase({ url: created!.url, max: 10 }));
  const index = await startNationalIndex({
    config: parseNationalIndexConfig({
      PORT: String(opts.port ?? 0),
      ADMIN_PORT: "0",
      DEV_CA_DIR: ca.ca.dir,
      OIN: OIN.landelijk,
      BRUGGEN: bridges.map((b) => `${b.regio}=${b.oin}=${b.url}`).join(","),
      AFLEVER_INTERVAL_MS: "200",
      LOG_LEVEL: "silent",
    }),
    database,
    tls: ca.tls("landelijke-index", OIN.landelijk),
    log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent", "landelijke-index"),
  });
  return {
    index,
    database,
    async close() {
      await index.stop();
      if (created) {
        await database.close();
        await created.drop();
      }
    },
  };
}
