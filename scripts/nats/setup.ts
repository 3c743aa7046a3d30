/**
 * A NATS set-up for the region, written to a directory (never into the
 * repository): a user NKey per service (`creds/<name>.nk`, the seed, mode
 * 0600), a development CA and server certificate (`tls/`, made with the
 * machine's openssl), and the server configuration generated from the
 * federation's subjects (packages/events/src/bus-access.ts). Existing keys and
 * certificates are kept, so the services' files stay valid across runs.
 *
 * Used by `npm run nats:config`, `npm run nats:dev`, the tests that start
 * their own nats-server, and docker-compose (docs/adr/0018).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createUser, fromSeed } from "@nats-io/nkeys";
import { renderNatsAccounts, renderNatsServerConfig, type BusPrincipal, type NatsAccount, type NatsClusterOptions, type NatsUser } from "@vi/bus";
import { federationPrincipals } from "@vi/events";
import { REGIO_ZUID_KENNEMERLAND } from "@vi/region";

export interface NatsSetupOptions {
  dir: string;
  namespace: string;
  gemeenten: readonly string[];
  /** More users besides the region's (tests). */
  extraPrincipals?: BusPrincipal[];
  /**
   * Further regions on the same server (npm start's Zuid-Kennemerland): each an account of its own with its own
   * namespace, streams and users; their seeds in `creds/<id>/<name>.nk` (docs/adr/0038).
   */
  moreRegions?: NatsRegionOptions[];
  /** The server's address and ports in the configuration. */
  host?: string;
  port: number;
  httpPort?: number;
  /** The JetStream store as the server sees it. */
  storeDir: string;
  /** TLS with a development CA: the server certificate's names (DNS names and IP addresses). Omitted: no TLS. */
  tlsNames?: string[];
  /** Paths of the server's certificate and key as the server sees them (docker: /etc/nats/tls/…); default the files in `dir`. */
  tlsPathsForServer?: { certFile: string; keyFile: string };
  /** The largest message the server accepts (default 1MB). */
  maxPayload?: string;
  /** The server's name (unique within a cluster). */
  serverName?: string;
  /** The configuration file's name in `dir` (default nats.conf; one per server of a cluster). */
  configName?: string;
  /**
   * One server of a JetStream cluster (docs/adr/0033): the cluster's name, where this server listens for routes,
   * and every server's route address. The route login is generated once (`creds/cluster-route.secret`).
   */
  cluster?: { name: string; listen: string; routes: string[] };
}

/** The route password of the cluster whose set-up is in `dir`, made once (mode 0600). */
export function clusterRouteSecret(dir: string): string {
  const file = join(dir, "creds", "cluster-route.secret");
  if (!existsSync(file)) {
    mkdirSync(join(dir, "creds"), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** The cluster options of renderNatsServerConfig for this set-up's directory. */
export function clusterOptions(dir: string, c: { name: string; listen: string; routes: string[] }): NatsClusterOptions {
  return { ...c, routeUser: "route", routePassword: clusterRouteSecret(dir) };
}

/** A further region on a shared server. */
export interface NatsRegionOptions {
  /** A short id, also its seeds' directory under creds/ (e.g. `zuid-kennemerland`). */
  id: string;
  /** Its NATS account (e.g. `ZUID_KENNEMERLAND`). */
  account: string;
  namespace: string;
  gemeenten: readonly string[];
  extraPrincipals?: BusPrincipal[];
}

/** The seeds of one further region's users. */
export interface NatsRegionSetup {
  id: string;
  account: string;
  namespace: string;
  seedFile(name: string): string;
  seed(name: string): string;
}

export interface NatsSetup {
  dir: string;
  /** The whole server configuration (accounts inline). */
  configFile: string;
  /** Only the accounts block (docker-compose includes it from infra/nats/nats.conf). */
  accountsFile: string;
  /** The seed file of a user. */
  seedFile(name: string): string;
  seed(name: string): string;
  /** The development CA (clients: NATS_TLS_CA); undefined without TLS. */
  caFile?: string;
  /** A further region's seeds (moreRegions), by id. */
  region(id: string): NatsRegionSetup;
}

function seedFor(dir: string, name: string, sub?: string): { seed: string; nkey: string } {
  const credsDir = sub ? join(dir, "creds", sub) : join(dir, "creds");
  const file = join(credsDir, `${name}.nk`);
  if (!existsSync(file)) {
    mkdirSync(credsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${new TextDecoder().decode(createUser().getSeed())}\n`, { mode: 0o600 });
  }
  const seed = readFileSync(file, "utf8").trim();
  return { seed, nkey: fromSeed(new TextEncoder().encode(seed)).getPublicKey() };
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    throw new Error(`openssl ${args[0]} failed (the development CA needs the openssl command): ${(e as Error).message}`);
  }
}

/** A development CA and a server certificate for `names`, made once. */
function devCertificates(dir: string, names: string[]): { ca: string; cert: string; key: string } {
  const tls = join(dir, "tls");
  mkdirSync(tls, { recursive: true, mode: 0o700 });
  const ca = join(tls, "ca.pem");
  const cert = join(tls, "server.pem");
  const key = join(tls, "server-key.pem");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  if (!existsSync(ca)) {
    openssl(["req", "-x509", ...ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "825", "-subj", "/CN=verwijsindex development CA"], tls);
    rmSync(cert, { force: true });
  }
  // A certificate made for other names (a set-up from before the cluster) is made again; the CA stays.
  const namesFile = join(tls, "server.names");
  if (existsSync(cert) && (!existsSync(namesFile) || readFileSync(namesFile, "utf8").trim() !== names.join(","))) rmSync(cert);
  if (!existsSync(cert)) {
    const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
    writeFileSync(
      join(tls, "server.ext"),
      `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n`,
    );
    openssl(["req", ...ec, "-keyout", "server-key.pem", "-out", "server.csr", "-subj", `/CN=${names[0] ?? "nats"}`], tls);
    openssl(
      [
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "825",
        "-extfile",
        "server.ext",
      ],
      tls,
    );
    for (const f of ["server-key.pem", "ca-key.pem"]) chmodSync(join(tls, f), 0o600);
    writeFileSync(namesFile, `${names.join(",")}\n`);
  }
  return { ca, cert, key };
}

export function writeNatsSetup(o: NatsSetupOptions): NatsSetup {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const principals = [...federationPrincipals(o.gemeenten), ...(o.extraPrincipals ?? [])];
  const users: NatsUser[] = principals.map((p) => ({ principal: p, nkey: seedFor(o.dir, p.name).nkey }));
  const regionIds = new Set<string>();
  for (const r of o.moreRegions ?? []) {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(r.id) || regionIds.has(r.id)) throw new TypeError(`region id '${r.id}': lower case, unique`);
    if (r.namespace === o.namespace) throw new TypeError(`region ${r.id}: its bus namespace must differ from the first region's`);
    regionIds.add(r.id);
  }
  const moreAccounts: NatsAccount[] = (o.moreRegions ?? []).map((r) => ({
    account: r.account,
    namespace: r.namespace,
    users: [...federationPrincipals(r.gemeenten), ...(r.extraPrincipals ?? [])].map((p) => ({ principal: p, nkey: seedFor(o.dir, p.name, r.id).nkey })),
  }));
  const certs = o.tlsNames?.length ? devCertificates(o.dir, o.tlsNames) : undefined;
  const tls = certs ? (o.tlsPathsForServer ?? { certFile: certs.cert, keyFile: certs.key }) : undefined;
  const configFile = join(o.dir, o.configName ?? "nats.conf");
  const accountsFile = join(o.dir, "accounts.conf");
  writeFileSync(
    configFile,
    renderNatsServerConfig({
      namespace: o.namespace,
      users,
      host: o.host,
      port: o.port,
      httpPort: o.httpPort,
      storeDir: o.storeDir,
      tls,
      maxPayload: o.maxPayload,
      serverName: o.serverName,
      cluster: o.cluster ? clusterOptions(o.dir, o.cluster) : undefined,
      moreAccounts,
    }),
    { mode: 0o600 },
  );
  writeFileSync(accountsFile, renderNatsAccounts({ namespace: o.namespace, users, moreAccounts }));
  return {
    dir: o.dir,
    configFile,
    accountsFile,
    seedFile: (name) => join(o.dir, "creds", `${name}.nk`),
    seed: (name) => readFileSync(join(o.dir, "creds", `${name}.nk`), "utf8").trim(),
    caFile: certs?.ca,
    region(id) {
      const r = o.moreRegions?.find((x) => x.id === id);
      if (!r) throw new Error(`no region '${id}' in this NATS set-up`);
      return {
        id,
        account: r.account,
        namespace: r.namespace,
        seedFile: (name) => join(o.dir, "creds", id, `${name}.nk`),
        seed: (name) => readFileSync(join(o.dir, "creds", id, `${name}.nk`), "utf8").trim(),
      };
    },
  };
}

/**
 * The demo's second region on the bus (npm start, `npm run nats:dev`, docker-compose): Zuid-Kennemerland, an account of
 * its own and the namespace `<namespace>zk` (its streams `<NS>ZK_EVENTS`, `<NS>ZK_DLQ`), so that even on a server
 * without accounts (a plain NATS_URL) the two regions share no subject or stream (docs/adr/0038).
 */
export function secondRegionBus(namespace: string): NatsRegionOptions {
  return {
    id: "zuid-kennemerland",
    account: "ZUID_KENNEMERLAND",
    namespace: `${namespace}zk`,
    gemeenten: REGIO_ZUID_KENNEMERLAND.gemeenten.map((g) => g.code),
  };
}
