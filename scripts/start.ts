/**
 * `npm start`: the demo's two regions on one machine, with embedded defaults
 * and the demo data (docs/demo-data.md).
 *
 * Shared by both regions: the fake BRP (8100), the OpenID Connect provider (8090, with the dev issuer's key), the
 * SMTP sink (1025, web 8025) and the web application for professionals (8080).
 *
 * Regio Amsterdam: its pseudonym service (8001, its key versions in .data/keys/pseudoniem-sleutels.json), the 13
 * municipal nodes (8000 + CBS number; Amsterdam on 8363) and the regional hub (8000).
 * Zuid-Kennemerland: its own pseudonym service (8011, ZK_PSEUDONIEM_PORT; its own key in
 * .data/keys/zuid-kennemerland/), Haarlem's node (8392) and its own hub (8010, ZK_HUB_PORT; admin 9010) with its own
 * register (packages/demo/register-zuid-kennemerland.json). The regions share no bus (docs/adr/0038).
 *
 * Embedded defaults: one PGlite in .data/pglite (a schema per service; the second hub's is hub_zuid_kennemerland) and
 * an in-process bus per region. With DATABASE_URL set: PostgreSQL (a schema per service). With NATS_URL set: NATS
 * JetStream, Regio Amsterdam in namespace BUS_NAMESPACE (vi), Zuid-Kennemerland in `<BUS_NAMESPACE>zk`; when it is
 * the server `npm run nats:dev` started, each service logs in as its own user of its region's account with the keys
 * and CA that command wrote to .data/nats (Zuid-Kennemerland's in creds/zuid-kennemerland/). GEMEENTEN=GM0363,GM0392
 * limits the nodes (without a gemeente of Zuid-Kennemerland that region does not start); NODE_PORT_BASE (8000)
 * moves their ports (base + CBS number), NODE_ADMIN_PORT_BASE (9000) their admin ports.
 *
 * The terminal gets a short Dutch summary (where to go, which accounts to
 * try); the services' JSON logs go to .data/logs/start.log (LOG_LEVEL, info).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import pino from "pino";
import { loadOrCreateDevIssuer, startOidcProvider } from "@vi/auth";
import { createMemoryBroker, type MemoryBroker } from "@vi/bus";
import { openDatabase } from "@vi/db";
import { accountByEmail, DEMO_ACCOUNTS, DEMO_CASE_SYSTEMS, DEMO_REGISTER_FILE, DEMO_REGISTER_FILES, demoSubject, GEMEENTEN, organisationById } from "@vi/demo";
import { startFakeBrp } from "@vi/fake-brp";
import { loadOrCreateDevCa, type TlsMaterial } from "@vi/fsc";
import { parseHubConfig, startHub } from "@vi/hub";
import { parseBridgeConfig, type RunningBridge, startBridge } from "@vi/lvi-bridge";
import { parseNationalIndexConfig, startNationalIndex } from "@vi/national-index";
import { createLogger, parseNodeConfig, startNode, type RunningNode } from "@vi/node";
import { parseNationalPseudonymConfig, parsePseudonymConfig, startNationalPseudonymService, startPseudonymService } from "@vi/pseudonym-service";
import { startSmtpSink } from "@vi/smtp-sink";
import { REGIO_ZUID_KENNEMERLAND } from "@vi/region";
import { parseWebConfig, startWeb } from "@vi/web";
import { DEMO_CLIENT_ID, DEMO_REDIRECT_URI, loadOrCreateDemoClient, loadOrCreateWebClient, WEB_CLIENT_ID } from "./demo-oidc-client";
import { secondRegionBus } from "./nats/setup";

/** The gemeenten of Zuid-Kennemerland that `npm start` runs a node for: Haarlem only. */
const REGIO_ZUID_KENNEMERLAND_IN_START = ["GM0392"];

const root = resolve(import.meta.dirname, "..");
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });
const logFile = resolve(dataDir, "logs", "start.log");
// The services' JSON logs go to a file; the terminal gets the summary below.
const logDestination = pino.destination({ dest: logFile, mkdir: true, sync: false });
const level = process.env.LOG_LEVEL ?? "info";
const logger = (name: string) => createLogger(level, name, logDestination);
const log = logger("start");

/** The web application's session secret: generated on first start, never in the repository. */
function webSessionSecret(): string {
  const file = resolve(dataDir, "web-sessie-sleutel");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

const issuerPort = Number(process.env.ISSUER_PORT ?? 8090);
const issuerUrl = process.env.AUTH_ISSUER ?? `http://localhost:${issuerPort}`;
const issuer = await loadOrCreateDevIssuer({ dataDir: resolve(dataDir, "dev-issuer"), issuer: issuerUrl });
// A real OpenID Connect provider (code flow with PKCE, private_key_jwt, JWT access tokens) signing with the dev
// issuer's key, so `npm run token` (which signs with that key directly) and the provider give tokens the nodes accept.
const demoClient = await loadOrCreateDemoClient(resolve(dataDir, "dev-issuer"));
// The web application (8080) signs in at the provider as its own client (private_key_jwt).
const webPort = Number(process.env.WEB_PORT ?? 8080);
const webUrl = process.env.WEB_PUBLIC_URL ?? `http://localhost:${webPort}`;
const webClient = await loadOrCreateWebClient(resolve(dataDir, "dev-issuer"));
// The demo case systems (client credentials, private_key_jwt; docs/adr/0016): their keys in .data/dev-issuer/<client id>.json.
const caseSystems = await Promise.all(
  DEMO_CASE_SYSTEMS.map(async (c) => ({ client_id: c.clientId, keys: await loadOrCreateDemoClient(resolve(dataDir, "dev-issuer"), c.clientId) })),
);
const issuerServer = await startOidcProvider({
  issuer: issuerUrl,
  port: issuerPort,
  signingKey: issuer.signingJwk,
  subjectOf: (email) => (accountByEmail(email) ? demoSubject(email) : undefined),
  clients: [
    { client_id: DEMO_CLIENT_ID, jwks: { keys: [demoClient.publicJwk] }, redirect_uris: [DEMO_REDIRECT_URI] },
    { client_id: WEB_CLIENT_ID, jwks: { keys: [webClient.publicJwk] }, redirect_uris: [`${webUrl}/aanmelden/terug`] },
    ...caseSystems.map((c) => ({ client_id: c.client_id, jwks: { keys: [c.keys.publicJwk] }, redirect_uris: [], caseSystem: true })),
  ],
  // Access tokens for the node API, and for the hub's (the convenantmanager's page, a coordinator's designations).
  resources: { "urn:verwijsindex": "verwijsindex", "urn:verwijsindex-hub": "verwijsindex-hub" },
  // The sign-in page offers every demo account as a link whose text is its e-mail address.
  accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, omschrijving: `${a.functie}, ${organisationById(a.organisatieId)?.naam ?? a.organisatieId}` })),
});

const brp = await startFakeBrp({ port: Number(process.env.BRP_PORT ?? 8100) });
const sink = process.env.SMTP_HOST
  ? undefined
  : await startSmtpSink({
      smtpPort: Number(process.env.SMTP_SINK_PORT ?? 1025),
      httpPort: Number(process.env.SMTP_SINK_WEB_PORT ?? 8025),
      log: logger("smtp-sink"),
    });

const database = await openDatabase({
  url: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : resolve(dataDir, "pglite"),
  max: 30,
  applicationName: "verwijsindex-start",
});

// THE NATIONAL PART (docs/national-chain.md): the national pseudonym service (8201) and the reference national index
// (8200), both HTTPS with mutual TLS under a dev CA made on first start (.data/ca), and one bridge per region (8210 in
// the region, 8220 for the national index; Zuid-Kennemerland's 8211 and 8221). They keep their data apart from the
// regions': with the embedded default in a PGlite of their own (.data/pglite-landelijk), so that a service of the
// chain never waits on a transaction a node holds on the regions' one embedded database.
const DEMO_OIN = {
  landelijk: "00000001000000000200",
  pseudoniem: "00000001000000000201",
  amsterdam: "00000001000000000210",
  "zuid-kennemerland": "00000001000000000211",
} as const;
type ChainRegion = "amsterdam" | "zuid-kennemerland";
const devCa = loadOrCreateDevCa(resolve(dataDir, "ca"));
const tlsFor = (name: string, oin: string): TlsMaterial => {
  const issued = devCa.issue({ name, oin });
  return { ca: devCa.cert, identity: { cert: issued.cert, key: issued.key } };
};
const nationalPorts = {
  index: Number(process.env.LANDELIJK_PORT ?? 8200),
  pseudoniem: Number(process.env.PSEUDONIEM_LANDELIJK_PORT ?? 8201),
  bridge: {
    amsterdam: { port: Number(process.env.BRUG_PORT ?? 8210), https: Number(process.env.BRUG_LANDELIJK_PORT ?? 8220) },
    "zuid-kennemerland": { port: Number(process.env.ZK_BRUG_PORT ?? 8211), https: Number(process.env.ZK_BRUG_LANDELIJK_PORT ?? 8221) },
  } satisfies Record<ChainRegion, { port: number; https: number }>,
};
const nationalDatabase = await openDatabase({
  url: process.env.DATABASE_URL,
  dataDir: process.env.DATABASE_URL ? undefined : resolve(dataDir, "pglite-landelijk"),
  max: 10,
  applicationName: "verwijsindex-start-landelijk",
});

const wanted = (process.env.GEMEENTEN ?? [...GEMEENTEN.map((g) => g.code), ...REGIO_ZUID_KENNEMERLAND_IN_START].join(","))
  .split(",")
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
const nodePortBase = Number(process.env.NODE_PORT_BASE ?? 8000);
const nodeAdminPortBase = Number(process.env.NODE_ADMIN_PORT_BASE ?? 9000);
const natsNamespace = process.env.BUS_NAMESPACE ?? "vi";

/** On the server `npm run nats:dev` runs: each service's own key and the dev CA (.data/nats); elsewhere nothing. */
const natsDev = resolve(dataDir, "nats");
const onNatsDev =
  !!process.env.NATS_URL && existsSync(resolve(natsDev, "url")) && readFileSync(resolve(natsDev, "url"), "utf8").trim() === process.env.NATS_URL;

/**
 * One region of the demo: its own pseudonym service (own key), its nodes, its own hub with its own register and, for
 * the embedded default, its own in-process broker; with NATS_URL its own namespace (and on `npm run nats:dev`'s
 * server its own account and users). The regions share the database (a schema per service), the BRP, the OpenID
 * Connect provider, the SMTP sink and the web application (docs/adr/0038).
 */
interface RegionPlan {
  /** Short id: also the directory of its keys and NATS seeds (none for the first region). */
  id: string;
  naam: string;
  codes: string[];
  hubPort: number;
  hubAdminPort: string;
  hubSchema: string;
  pseudoniemPort: string;
  pseudoniemAdminPort: string;
  keysDir: string;
  namespace: string;
  register: string;
  /** The settings a node of this region needs besides the shared ones (its region and mail sender). */
  nodeEnv: Record<string, string>;
  /** The same for its pseudonym service (whose nodes may ask it). */
  pseudoniemEnv: Record<string, string>;
  /** The file of its pseudonym key versions (a secret; generated on first start). */
  pseudoniemKeyFile: string;
  /** The seeds' subdirectory in .data/nats/creds (undefined: the first region's, in creds/ itself). */
  natsCreds?: string;
  /** Its name in the national chain (its bridge's REGIO) and its bridge's schema. */
  chain: ChainRegion;
  bridgeSchema: string;
}

interface RunningRegion {
  plan: RegionPlan;
  nodes: RunningNode[];
  hub: Awaited<ReturnType<typeof startHub>>;
  pseudonymService: Awaited<ReturnType<typeof startPseudonymService>>;
  bridge: RunningBridge;
  broker?: MemoryBroker;
}

async function startRegion(plan: RegionPlan): Promise<RunningRegion> {
  const broker: MemoryBroker | undefined = process.env.NATS_URL ? undefined : createMemoryBroker({ log: logger(`bus-${plan.id}`) });
  const natsEnv = (user: string): Record<string, string> =>
    onNatsDev
      ? {
          NATS_NKEY_SEED_FILE: plan.natsCreds ? resolve(natsDev, "creds", plan.natsCreds, `${user}.nk`) : resolve(natsDev, "creds", `${user}.nk`),
          NATS_TLS_CA: resolve(natsDev, "tls", "ca.pem"),
        }
      : {};
  const busEnv = { BUS_NAMESPACE: plan.namespace };
  // The region's pseudonym service holds the pseudonym key (generated on first start, never in the repository);
  // the nodes ask it obliviously and hold no key (docs/adr/0024).
  const pseudonymService = await startPseudonymService({
    config: parsePseudonymConfig({
      ...process.env,
      ...busEnv,
      PORT: plan.pseudoniemPort,
      ADMIN_PORT: plan.pseudoniemAdminPort,
      HUB_URL: `http://127.0.0.1:${plan.hubPort}`,
      ...plan.pseudoniemEnv,
      KEYS_DIR: plan.keysDir,
      PSEUDONIEM_SLEUTELS_BESTAND: plan.pseudoniemKeyFile,
      ...natsEnv("pseudoniem"),
    }),
    log: logger(`pseudoniem-${plan.id}`),
    ...(broker ? { bus: broker.connect("pseudoniem") } : {}),
  });

  const nodes: RunningNode[] = [];
  for (const code of plan.codes) {
    const config = parseNodeConfig({
      ...process.env,
      ...busEnv,
      ...plan.nodeEnv,
      // The national link: national pseudonyms and verwijsindexservicenummers through the region's bridge.
      LANDELIJK: "aan",
      GEMEENTE: code,
      PORT: String(nodePortBase + Number(code.slice(2))),
      // The admin side (/metrics; docs/adr/0009): 9000 + the CBS number, on 127.0.0.1.
      ADMIN_PORT: String(nodeAdminPortBase + Number(code.slice(2))),
      AUTH_ISSUER: issuerUrl,
      BRP_URL: `${brp.url}/haalcentraal/api/brp`,
      REGISTER_BESTAND: plan.register,
      HUB_URL: `http://127.0.0.1:${plan.hubPort}`,
      KEYS_DIR: plan.keysDir,
      SMTP_HOST: process.env.SMTP_HOST ?? "127.0.0.1",
      SMTP_PORT: process.env.SMTP_PORT ?? String(sink?.smtpPort ?? 1025),
      // The links in e-mails lead to the web application.
      PUBLIC_URL: process.env.PUBLIC_URL ?? webUrl,
      ...natsEnv(code),
    });
    nodes.push(await startNode({ config, database, log: logger(`node-${code}`), ...(broker ? { bus: broker.connect(`node-${code}`) } : {}) }));
  }

  const hub = await startHub({
    config: parseHubConfig({
      ...process.env,
      ...busEnv,
      PORT: String(plan.hubPort),
      ADMIN_PORT: plan.hubAdminPort,
      DB_SCHEMA: plan.hubSchema,
      KEYS_DIR: plan.keysDir,
      PSEUDONIEM_URL: `http://127.0.0.1:${pseudonymService.port}`,
      // The register API accepts the demo provider's tokens; the hub's register starts as the region's demo register.
      AUTH_ISSUER: issuerUrl,
      REGISTER_BESTAND: plan.register,
      NODES: nodes.map((n) => `${n.ctx.gemeente.code}=http://127.0.0.1:${n.port}`).join(","),
      BRUG_URL: `http://127.0.0.1:${nationalPorts.bridge[plan.chain].port}`,
      ...natsEnv("hub"),
    }),
    database,
    log: logger(`hub-${plan.id}`),
    ...(broker ? { bus: broker.connect("hub") } : {}),
  });

  // The region's bridge to the national index: a member of the region's bus, its queue in a schema of its own.
  const bridgePorts = nationalPorts.bridge[plan.chain];
  const bridge = await startBridge({
    config: parseBridgeConfig({
      ...process.env,
      ...busEnv,
      PORT: String(bridgePorts.port),
      LANDELIJK_PORT: String(bridgePorts.https),
      REGIO: plan.chain,
      REGIO_GEMEENTEN: plan.codes.join(","),
      DB_SCHEMA: plan.bridgeSchema,
      HUB_URL: `http://127.0.0.1:${plan.hubPort}`,
      KEYS_DIR: plan.keysDir,
      DEV_CA_DIR: devCa.dir,
      OIN: DEMO_OIN[plan.chain],
      LANDELIJK_URL: `https://localhost:${nationalPorts.index}`,
      LANDELIJK_OIN: DEMO_OIN.landelijk,
      PSEUDONIEM_LANDELIJK_URL: nationalPseudonyms.url,
      PSEUDONIEM_LANDELIJK_OIN: DEMO_OIN.pseudoniem,
      ...natsEnv("brug"),
    }),
    database: nationalDatabase,
    tls: tlsFor(`brug-${plan.chain}`, DEMO_OIN[plan.chain]),
    log: logger(`brug-${plan.id}`),
    ...(broker ? { bus: broker.connect("brug") } : {}),
  });

  // The hub learns the nodes' and the bridge's keys now.
  await hub.refreshNodes();
  // The nodes started before the hub: they take the hub's signed register now instead of at their next attempt.
  await Promise.all(nodes.map((n) => n.refreshRegister().catch(() => 0)));
  // Each node reads the region's keys now, not inside its first transaction: it encrypts to the hub, the bridge and the
  // other nodes with them, and with one embedded database a fetch of the hub's registry from within a transaction
  // would wait on it.
  for (const n of nodes) {
    await n.ctx.fed?.trust.encryptionKey("hub").catch(() => undefined);
    await n.ctx.fed?.trust.encryptionKey("brug").catch(() => undefined);
  }
  return { plan, nodes, hub, pseudonymService, bridge, broker };
}

const keysDir = resolve(dataDir, "keys");
const amsterdamCodes = wanted.filter((c) => !REGIO_ZUID_KENNEMERLAND.includes(c));
const zkCodes = wanted.filter((c) => REGIO_ZUID_KENNEMERLAND.includes(c));
const chainRegions: ChainRegion[] = zkCodes.length ? ["amsterdam", "zuid-kennemerland"] : ["amsterdam"];
const nationalPseudonyms = await startNationalPseudonymService({
  config: parseNationalPseudonymConfig({
    PORT: String(nationalPorts.pseudoniem),
    DEV_CA_DIR: devCa.dir,
    OIN: DEMO_OIN.pseudoniem,
    BRUG_OINS: chainRegions.map((r) => DEMO_OIN[r]).join(","),
    // The national key (generated on first start, never in the repository).
    PSEUDONIEM_SLEUTELS_BESTAND: resolve(keysDir, "landelijk", "pseudoniem-sleutels.json"),
    LOG_LEVEL: level,
  }),
  tls: tlsFor("landelijke-pseudoniemendienst", DEMO_OIN.pseudoniem),
  log: logger("landelijke-pseudoniemendienst"),
});
const nationalIndex = await startNationalIndex({
  config: parseNationalIndexConfig({
    PORT: String(nationalPorts.index),
    DEV_CA_DIR: devCa.dir,
    OIN: DEMO_OIN.landelijk,
    BRUGGEN: chainRegions.map((r) => `${r}=${DEMO_OIN[r]}=https://localhost:${nationalPorts.bridge[r].https}`).join(","),
    LOG_LEVEL: level,
  }),
  database: nationalDatabase,
  tls: tlsFor("landelijke-index", DEMO_OIN.landelijk),
  log: logger("landelijke-index"),
});

const regions: RunningRegion[] = [];
// Regio Amsterdam: hub 8000, pseudonym service 8001, its nodes on 8000 + CBS number.
regions.push(
  await startRegion({
    id: "amsterdam",
    naam: "Regio Amsterdam",
    codes: amsterdamCodes,
    hubPort: Number(process.env.HUB_PORT ?? 8000),
    hubAdminPort: process.env.HUB_ADMIN_PORT ?? "9000",
    hubSchema: "hub",
    pseudoniemPort: process.env.PSEUDONIEM_PORT ?? "8001",
    pseudoniemAdminPort: process.env.PSEUDONIEM_ADMIN_PORT ?? "9001",
    keysDir,
    namespace: natsNamespace,
    register: process.env.REGISTER_BESTAND ?? DEMO_REGISTER_FILE,
    nodeEnv: {},
    pseudoniemEnv: {},
    pseudoniemKeyFile: process.env.PSEUDONIEM_SLEUTELS_BESTAND ?? resolve(keysDir, "pseudoniem-sleutels.json"),
    chain: "amsterdam",
    bridgeSchema: "brug",
  }),
);
// Zuid-Kennemerland: hub 8010, pseudonym service 8011, Haarlem's node on 8392; its keys in .data/keys/zuid-kennemerland,
// its register packages/demo/register-zuid-kennemerland.json, its bus namespace `<BUS_NAMESPACE>zk`.
if (zkCodes.length) {
  const zkBus = secondRegionBus(natsNamespace);
  regions.push(
    await startRegion({
      id: zkBus.id,
      naam: REGIO_ZUID_KENNEMERLAND.naam,
      codes: zkCodes,
      hubPort: Number(process.env.ZK_HUB_PORT ?? 8010),
      hubAdminPort: process.env.ZK_HUB_ADMIN_PORT ?? "9010",
      hubSchema: "hub_zuid_kennemerland",
      pseudoniemPort: process.env.ZK_PSEUDONIEM_PORT ?? "8011",
      pseudoniemAdminPort: process.env.ZK_PSEUDONIEM_ADMIN_PORT ?? "9011",
      keysDir: resolve(keysDir, zkBus.id),
      namespace: zkBus.namespace,
      register: process.env.ZK_REGISTER_BESTAND ?? DEMO_REGISTER_FILES.kennemerland,
      nodeEnv: {
        REGIO_GEMEENTEN: REGIO_ZUID_KENNEMERLAND.gemeenten.map((g) => `${g.code}=${g.naam}`).join(","),
        REGIO_EXTRA_DOMEINEN: "",
        SMTP_FROM: "Verwijsindex Zuid-Kennemerland <noreply@verwijsindex.example>",
      },
      pseudoniemEnv: { REGIO_GEMEENTEN: REGIO_ZUID_KENNEMERLAND.gemeenten.map((g) => g.code).join(",") },
      pseudoniemKeyFile: resolve(keysDir, zkBus.id, "pseudoniem-sleutels.json"),
      natsCreds: zkBus.id,
      chain: "zuid-kennemerland",
      bridgeSchema: "brug_zuid_kennemerland",
    }),
  );
}
const [regioAmsterdam] = regions as [RunningRegion, ...RunningRegion[]];
const zuidKennemerland = regions.find((r) => r.plan.id !== "amsterdam");
const nodes = regions.flatMap((r) => r.nodes);
const hub = regioAmsterdam.hub;

// Each bridge announces itself to the national index (its certificate, for the directory the other bridges encrypt
// contact details to) before anything is sent.
for (const r of regions) await r.bridge.ctx.national.bridges().catch((err: Error) => log.warn({ err: err.message }, "bridge not announced"));

const web = await startWeb({
  config: parseWebConfig({
    ...process.env,
    PORT: String(webPort),
    PUBLIC_URL: webUrl,
    OIDC_ISSUER: issuerServer.issuer,
    OIDC_CLIENT_ID: WEB_CLIENT_ID,
    OIDC_CLIENT_KEY: JSON.stringify(webClient.privateJwk),
    SESSION_SECRET: process.env.SESSION_SECRET ?? webSessionSecret(),
    // On a developer's machine over http: cookies without Secure (never outside npm start and the tests).
    COOKIE_SECURE: "false",
    NODES: nodes.map((n) => `${n.ctx.gemeente.code}=http://127.0.0.1:${n.port}`).join(","),
    STANDAARD_GEMEENTE: nodes.some((n) => n.ctx.gemeente.code === "GM0363") ? "GM0363" : undefined,
    HUB_URL: hub.url,
    // One web application for both regions: a Haarlem user works with Haarlem's node and Zuid-Kennemerland's hub.
    HUB_URLS: zuidKennemerland ? REGIO_ZUID_KENNEMERLAND.gemeenten.map((g) => `${g.code}=${zuidKennemerland.hub.url}`).join(",") : undefined,
    REGISTER_BESTAND: regions.map((r) => r.plan.register).join(","),
    SMTP_HOST: process.env.SMTP_HOST ?? "127.0.0.1",
    SMTP_PORT: process.env.SMTP_PORT ?? String(sink?.smtpPort ?? 1025),
  }),
  log: logger("web"),
});

const amsterdam = nodes.find((n) => n.ctx.gemeente.code === "GM0363") ?? nodes[0];
const haarlem = zuidKennemerland?.nodes.find((n) => n.ctx.gemeente.code === "GM0392");
const regionLines = (r: RunningRegion): string[] => [
  `${r.plan.naam}:`,
  ...r.nodes.map((n) => `  ${n.ctx.gemeente.naam.padEnd(14)} ${n.url}/api/v1   (OpenAPI: ${n.url}/api/v1/openapi.json)`),
  `  Regionale hub  ${r.hub.url}/api/v1/vertrouwen/jwks.json   (beheer: ${r.hub.adminUrl}/api/v1/nodes, ${r.hub.adminUrl}/metrics)`,
  `  Pseudoniemen   ${r.pseudonymService.url}/ready   (beheer: ${r.pseudonymService.adminUrl}/metrics)`,
  `  Brug (LVI)     ${r.bridge.url}/ready`,
];
const lines = [
  "",
  `Verwijsindex ${regions.map((r) => r.plan.naam).join(" en ")} draait (${database.kind === "pglite" ? "ingebouwde PGlite in .data/pglite" : "PostgreSQL"}, ${process.env.NATS_URL ? "NATS JetStream" : "bus in het proces, één per regio"}).`,
  `  Webapplicatie  ${web.url}   (aanmelden: kies een demo-account op de aanmeldpagina)`,
  "",
  ...regions.flatMap(regionLines),
  `  Meetwaarden    ${amsterdam?.adminUrl}/metrics (node: 9000 + CBS-nummer); sleutel wisselen: npm run pseudoniem:roteer, met NATS_URL`,
  `  Fake BRP       ${brp.url}/haalcentraal/api/brp/personen`,
  `  OpenID Connect ${issuerServer.url}/.well-known/openid-configuration (JWKS: ${issuerServer.url}/jwks.json)`,
  ...(sink ? [`  E-mail (sink)  ${sink.httpUrl}`] : []),
  "Landelijk (HTTPS met wederzijdse TLS, certificaten van de dev-CA in .data/ca):",
  `  Index          ${nationalIndex.url}/api/v1`,
  `  Pseudoniemen   ${nationalPseudonyms.url}`,
  "",
  "Accounts om te proberen (token: npm run -s token -- <e-mail>; zonder e-mail: de hele lijst):",
  "  ib@buurtschool.example      intern begeleider, De Buurtschool (Amsterdam)",
  "  jgz@ggd.example             jeugdverpleegkundige, GGD (alle 13 gemeenten)",
  "  wijkteam@zaanstad.example   jeugdhulpverlener, Wijkteam Zaanstad",
  "  docent@buurtschool.example  leerkracht: mag geen signaal afgeven",
  ...(haarlem
    ? [
        "  jeugdteam@haarlem.example   jeugdhulpverlener, Jeugdteam Haarlem (Zuid-Kennemerland)",
        "  matchregie@haarlem.example  matchregisseur, Gemeente Haarlem",
      ]
    : []),
  "  Demo-personen en wat u met ze kunt proberen: docs/demo-data.md",
  "",
  "Probeer het:",
  "  TOKEN=$(npm run -s token -- ib@buurtschool.example)",
  `  curl -s -X POST ${amsterdam?.url}/api/v1/signalen -H "Authorization: Bearer $TOKEN" \\`,
  `       -H 'Content-Type: application/json' -d '{"bsn":"999900018","geinformeerd":true}'`,
  `  curl -s ${amsterdam?.url}/api/v1/matches -H "Authorization: Bearer $TOKEN"`,
  "",
  `Logs (JSON): ${logFile}   Stoppen: Ctrl+C`,
  "",
];
process.stdout.write(`${lines.join("\n")}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  log.info("stopping");
  await web.stop();
  for (const r of regions) {
    await r.bridge.stop();
    await r.hub.stop();
    for (const n of r.nodes) await n.stop();
    await r.pseudonymService.stop();
  }
  await nationalIndex.stop();
  await nationalPseudonyms.stop();
  await database.close();
  await nationalDatabase.close();
  await sink?.close();
  await brp.close();
  await issuerServer.close();
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
