/**
 * The region's NATS server with a user per service (infra/nats/README.md, docs/adr/0018).
 *
 *   npm run nats:config              keys, dev CA and configuration in .data/nats (for nats:dev)
 *   npm run nats:config -- --compose the same for docker-compose in .data/nats-compose
 *   npm run nats:dev                 nats:config, then the machine's nats-server with it, provisioned;
 *                                    NATS_DEV_PORT (4222) and NATS_DEV_HTTP_PORT (8222) move it
 *   npm run nats:provision           streams (with their limits) and durable consumers, as user `beheer`
 *
 * The region's gemeenten: GEMEENTEN (codes, comma-separated) or REGIO_GEMEENTEN, else Regio Amsterdam;
 * the bus namespace: BUS_NAMESPACE (vi). Provisioning takes NATS_URL, NATS_NKEY_SEED_FILE (default the
 * `beheer` seed in .data/nats), NATS_TLS_CA, the stream limits BUS_STREAM_MAX_AGE_HOURS,
 * BUS_STREAM_MAX_MB, BUS_DLQ_MAX_AGE_HOURS, BUS_DLQ_MAX_MB, and NATS_REPLICAS (copies of each stream:
 * 3 on the three-server cluster, default 1). NATS_URL may list a cluster's servers, separated by commas.
 *
 * Every set-up also holds the demo's second region, Zuid-Kennemerland (`npm start` runs both): an account of its
 * own, namespace `<BUS_NAMESPACE>zk`, its users' seeds in `creds/zuid-kennemerland/`; provisioning makes its streams
 * and consumers too, as that account's own `beheer` (docs/adr/0038).
 *
 * `--compose` also writes `cluster.conf`: the route login and routes of docker-compose's three-server
 * JetStream cluster (nats-1, nats-2, nats-3; docs/adr/0033).
 */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { resolve } from "node:path";
import { connectNatsBus, natsLogin, renderNatsCluster, streamLimitsFromEnv, streamReplicasFromEnv, type Bus } from "@vi/bus";
import { BEHEER, federationConsumers } from "@vi/events";
import { regionFromConfig } from "@vi/region";
import { clusterOptions, secondRegionBus, writeNatsSetup, type NatsSetup } from "./nats/setup";

const root = resolve(import.meta.dirname, "..");
const dataDir = resolve(root, process.env.DATA_DIR ?? ".data");
const namespace = process.env.BUS_NAMESPACE ?? "vi";

function gemeenten(): string[] {
  if (process.env.GEMEENTEN) return process.env.GEMEENTEN.split(",").map((c) => c.trim());
  return regionFromConfig(process.env.REGIO_GEMEENTEN).gemeenten.map((g) => g.code);
}

function devSetup(port: number, httpPort: number): NatsSetup {
  const dir = resolve(dataDir, "nats");
  return writeNatsSetup({
    dir,
    namespace,
    gemeenten: gemeenten(),
    moreRegions: [secondRegionBus(namespace)],
    host: "127.0.0.1",
    port,
    httpPort,
    storeDir: resolve(dir, "jetstream"),
    tlsNames: ["localhost", "127.0.0.1"],
  });
}

/** The servers of docker-compose's cluster (service names; each listens for routes on 6222). */
const COMPOSE_CLUSTER = ["nats-1", "nats-2", "nats-3"];

function composeSetup(): NatsSetup {
  const dir = resolve(dataDir, "nats-compose");
  // Paths as the nats container sees them: docker-compose.yml mounts these files there.
  const setup = writeNatsSetup({
    dir,
    namespace,
    gemeenten: gemeenten(),
    moreRegions: [secondRegionBus(namespace)],
    port: 4222,
    httpPort: 8222,
    storeDir: "/data/jetstream",
    tlsNames: [...COMPOSE_CLUSTER, "nats", "localhost"],
    tlsPathsForServer: { certFile: "/etc/nats/tls/server.pem", keyFile: "/etc/nats/tls/server-key.pem" },
  });
  // The cluster block infra/nats/nats.conf includes: every server's route, and the route login generated once.
  writeFileSync(
    resolve(dir, "cluster.conf"),
    renderNatsCluster(clusterOptions(dir, { name: "verwijsindex", listen: "0.0.0.0:6222", routes: COMPOSE_CLUSTER.map((h) => `${h}:6222`) })),
    { mode: 0o600 },
  );
  return setup;
}

/** Streams and every durable consumer of the region, as `beheer`. */
async function provision(bus: Bus, codes: readonly string[]): Promise<void> {
  if (!bus.manages) throw new Error("this NATS user may not manage streams: provision as user beheer");
  await bus.ensureStreams();
  for (const c of federationConsumers(codes)) await bus.ensureConsumer(c);
}

async function provisionRegion(o: { url: string; namespace: string; seedFile: string; ca?: string; codes: readonly string[] }): Promise<void> {
  const bus = await connectNatsBus({
    servers: o.url,
    name: "provisioning",
    namespace: o.namespace,
    streamLimits: streamLimitsFromEnv(process.env),
    replicas: streamReplicasFromEnv(process.env),
    ...natsLogin({ NATS_NKEY_SEED_FILE: existsSync(o.seedFile) ? o.seedFile : undefined, NATS_TLS_CA: o.ca }, BEHEER),
  });
  try {
    await provision(bus, o.codes);
    const replicas = streamReplicasFromEnv(process.env);
    console.log(
      `NATS ${o.url}: streams of '${o.namespace}'${replicas ? ` (${replicas} replicas)` : ""} and ${o.codes.length * 2 + 2} durable consumers provisioned.`,
    );
  } finally {
    await bus.close();
  }
}

async function provisionCommand(url: string, setup?: NatsSetup): Promise<void> {
  const seedFile = process.env.NATS_NKEY_SEED_FILE ?? setup?.seedFile(BEHEER) ?? resolve(dataDir, "nats", "creds", `${BEHEER}.nk`);
  const ca =
    process.env.NATS_TLS_CA ?? setup?.caFile ?? (existsSync(resolve(dataDir, "nats", "tls", "ca.pem")) ? resolve(dataDir, "nats", "tls", "ca.pem") : undefined);
  await provisionRegion({ url, namespace, seedFile, ca, codes: gemeenten() });
  // The second region: its own account's `beheer` (next to the first's seed, in creds/<region id>/), or on a server
  // without accounts the same login; its own namespace and so its own streams.
  const second = secondRegionBus(namespace);
  // docker-compose mounts it as its own secret (NATS_NKEY_SEED_FILE_ZK).
  const secondSeed = process.env.NATS_NKEY_SEED_FILE_ZK ?? resolve(seedFile, "..", second.id, `${BEHEER}.nk`);
  const separateAccount = existsSync(secondSeed);
  await provisionRegion({ url, namespace: second.namespace, seedFile: separateAccount ? secondSeed : seedFile, ca, codes: second.gemeenten });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const c = netConnect(port, "127.0.0.1", () => {
      c.end();
      res(true);
    });
    c.on("error", () => res(false));
  });
}

async function dev(): Promise<void> {
  const port = Number(process.env.NATS_DEV_PORT ?? 4222);
  const httpPort = Number(process.env.NATS_DEV_HTTP_PORT ?? 8222);
  if (await portOpen(port)) throw new Error(`port ${port} is taken (another nats-server?): set NATS_DEV_PORT`);
  const setup = devSetup(port, httpPort);
  const bin = process.env.NATS_SERVER_BIN ?? "nats-server";
  const server = spawn(bin, ["-c", setup.configFile], { stdio: "inherit" });
  server.on("exit", (code) => process.exit(code ?? 1));
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.kill("SIGTERM"));
  const until = Date.now() + 15_000;
  while (!(await portOpen(port))) {
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `nats://localhost:${port}`;
  await provisionCommand(url, setup);
  // npm start uses the keys in this directory when its NATS_URL is this one
  writeFileSync(resolve(setup.dir, "url"), `${url}\n`);
  console.log(
    [
      "",
      `NATS (TLS, a user per service) on ${url}; keys and the dev CA in ${setup.dir}.`,
      `Start the region on it:  NATS_URL=${url} npm start   (it finds the keys in ${setup.dir})`,
      "Stop with Ctrl-C.",
    ].join("\n"),
  );
}

const cmd = process.argv[2];
try {
  if (cmd === "config") {
    const setup = process.argv.includes("--compose") ? composeSetup() : devSetup(Number(process.env.NATS_DEV_PORT ?? 4222), 8222);
    console.log(`NATS configuration, keys and dev CA written to ${setup.dir} (keep it out of git).`);
  } else if (cmd === "dev") await dev();
  else if (cmd === "provision") await provisionCommand(process.env.NATS_URL ?? "nats://localhost:4222");
  else {
    console.error("usage: tsx scripts/nats.ts config [--compose] | dev | provision");
    process.exit(2);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
