/**
 * The national chain for integration tests (docs/national-chain.md): a dev CA of the test's own, the national
 * index (its own database schema), and helpers to sign requests as a party of the chain. The two regions and
 * their bridges are started by startNationalChain (below) on top of two startFederation regions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "@vi/db";
import { DEMO_REGISTER_FILES, type PopulationConfig } from "@vi/demo";
import { type DevCa, loadOrCreateDevCa, type TlsMaterial } from "@vi/fsc";
import { createLogger } from "@vi/service";
import { parseNationalIndexConfig, type RunningNationalIndex, startNationalIndex } from "@vi/national-index";
import { createTestDatabase } from "./database";
import { startBridge, parseBridgeConfig, type RunningBridge } from "@vi/lvi-bridge";
import { parseNationalPseudonymConfig, startNationalPseudonymService, type RunningNationalPseudonymService, memoryKeys } from "@vi/pseudonym-service";
import { startFederation, type Federation } from "./federation";
import { freePort } from "./processes";

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

// ---------------------------------------------------------------------------------------------------------------
// The whole chain: two regions, their bridges, the national pseudonym service and the national index

export interface NationalChain {
  ca: TestCa;
  amsterdam: Federation;
  haarlem: Federation;
  bridges: { amsterdam: RunningBridge; "zuid-kennemerland": RunningBridge };
  national: TestNationalIndex;
  pseudonyms: RunningNationalPseudonymService;
  /** Starts the national index again on the same port, database and certificate (after a test stopped it). */
  restartNational(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Regio Amsterdam (the given gemeenten, default Diemen) and Zuid-Kennemerland (Haarlem), each a startFederation
 * region with a namespace and database of its own and the nodes' national link on (LANDELIJK=aan); a bridge per
 * region (schema `brug` in the region's database, a member of the region's bus); the national pseudonym service
 * and the national index (a database of its own), all trusting one test CA.
 */
export async function startNationalChain(
  opts: {
    gemeenten?: string[];
    nodeEnv?: Record<string, string>;
    /** A generated population in both regions' fake BRPs beside the demo persons (the same one in each). */
    population?: PopulationConfig;
    /** REGISTER_BESTAND of each region's hub and nodes (default: the demo registers). */
    registerFiles?: { amsterdam?: string; "zuid-kennemerland"?: string };
  } = {},
): Promise<NationalChain> {
  const ca = testCa();
  const regions = ["amsterdam", "zuid-kennemerland"] as const;
  const port = { internal: {} as Record<string, number>, https: {} as Record<string, number> };
  for (const r of regions) {
    port.internal[r] = await freePort();
    port.https[r] = await freePort();
  }
  const nationalPort = await freePort();
  const tls = Object.fromEntries(regions.map((r) => [r, ca.tls(`brug-${r}`, OIN[r])])) as Record<(typeof regions)[number], TlsMaterial>;
  const log = (name: string) => createLogger(process.env.TEST_LOG_LEVEL ?? "silent", name);

  const pseudonymKeys = memoryKeys();
  const pseudonyms = await startNationalPseudonymService({
    config: parseNationalPseudonymConfig({
      PORT: "0",
      DEV_CA_DIR: ca.ca.dir,
      OIN: OIN.pseudoniem,
      BRUG_OINS: `${OIN.amsterdam},${OIN["zuid-kennemerland"]}`,
      LOG_LEVEL: "silent",
    }),
    tls: ca.tls("landelijke-pseudoniemendienst", OIN.pseudoniem),
    keyFile: pseudonymKeys,
    log: log("landelijke-pseudoniemendienst"),
  });
  const bridgeList = regions.map((r) => ({ regio: r, oin: OIN[r], url: `https://localhost:${port.https[r]}` }));
  const nationalDb = await createTestDatabase("vi_nat");
  const nationalDatabase = await openDatabase({ url: nationalDb.url, max: 10 });
  let national = await startTestNationalIndex(ca, bridgeList, { port: nationalPort, database: nationalDatabase });

  const nodeEnv = { LANDELIJK: "aan", LANDELIJK_HERHAAL_SECONDEN: "1", ...opts.nodeEnv };
  const population = opts.population ? { population: opts.population } : {};
  const amsterdamRegister: Record<string, string> = opts.registerFiles?.amsterdam ? { REGISTER_BESTAND: opts.registerFiles.amsterdam } : {};
  const amsterdam = await startFederation({
    gemeenten: opts.gemeenten ?? ["GM0384"],
    ...population,
    nodeEnv: { ...nodeEnv, ...amsterdamRegister },
    hubEnv: { BRUG_URL: `http://127.0.0.1:${port.internal.amsterdam}`, ...amsterdamRegister },
  });
  // Zuid-Kennemerland's own register (jeugdteam and gemeente Haarlem), as npm start gives its hub.
  const kennemerlandRegister = opts.registerFiles?.["zuid-kennemerland"] ?? DEMO_REGISTER_FILES.kennemerland;
  const haarlem = await startFederation({
    gemeenten: ["GM0392"],
    ...population,
    nodeEnv: { ...nodeEnv, REGIO_GEMEENTEN: "GM0392=Haarlem", REGISTER_BESTAND: kennemerlandRegister },
    pseudonymEnv: { REGIO_GEMEENTEN: "GM0392=Haarlem" },
    hubEnv: { BRUG_URL: `http://127.0.0.1:${port.internal["zuid-kennemerland"]}`, REGISTER_BESTAND: kennemerlandRegister },
  });
  const startOne = async (r: (typeof regions)[number], fed: Federation) => {
    const bridge = await startBridge({
      config: parseBridgeConfig({
        PORT: String(port.internal[r]),
        LANDELIJK_PORT: String(port.https[r]),
        ADMIN_PORT: "0",
        REGIO: r,
        ...(r === "zuid-kennemerland" ? { REGIO_GEMEENTEN: "GM0392=Haarlem" } : { REGIO_GEMEENTEN: (opts.gemeenten ?? ["GM0384"]).join(",") }),
        NATS_URL: fed.natsUrl,
        BUS_NAMESPACE: fed.namespace,
        HUB_URL: fed.hub.url,
        DEV_CA_DIR: ca.ca.dir,
        OIN: OIN[r],
        LANDELIJK_URL: `https://localhost:${nationalPort}`,
        LANDELIJK_OIN: OIN.landelijk,
        PSEUDONIEM_LANDELIJK_URL: pseudonyms.url,
        PSEUDONIEM_LANDELIJK_OIN: OIN.pseudoniem,
        VERZEND_INTERVAL_MS: "100",
        LOG_LEVEL: "silent",
      }),
      database: fed.database,
      tls: tls[r],
      log: log(`brug-${r}`),
    });
    // The hub learns the bridge's keys (and the nodes through the hub's trust registry).
    await fed.hub.refreshNodes();
    return bridge;
  };
  const bridges = { amsterdam: await startOne("amsterdam", amsterdam), "zuid-kennemerland": await startOne("zuid-kennemerland", haarlem) };
  // Each bridge announces itself (its certificate, for the directory) before anything is sent.
  for (const b of Object.values(bridges)) await b.ctx.national.bridges();

  return {
    ca,
    amsterdam,
    haarlem,
    bridges,
    get national() {
      return national;
    },
    pseudonyms,
    async restartNational() {
      await national.index.stop();
      national = await startTestNationalIndex(ca, bridgeList, { port: nationalPort, database: nationalDatabase });
    },
    async close() {
      for (const b of Object.values(bridges)) await b.stop();
      await national.close();
      await nationalDatabase.close();
      await nationalDb.drop();
      await pseudonyms.stop();
      await amsterdam.close();
      await haarlem.close();
      ca.close();
    },
  };
}
