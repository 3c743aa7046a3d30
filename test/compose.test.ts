/**
 * Structure of the container set-up (no Docker engine is needed: nothing is
 * built or started). docker-compose.yml is hand-written; this test reads it
 * with a line scanner for the subset of YAML the file uses (block mappings,
 * "- " items, flow lists, anchors `&x`, merges `<<: *x`) and checks what must
 * stay true: the thirteen nodes with their ports, the shared services, the second
 * region, the national part (national index, national pseudonym service, the
 * bridges), the one image, commands that exist, node variables the node
 * understands, no secrets.
 *
 * Every check is a function returning problems; each is run on the real file
 * and on a broken copy, so each can be seen to fail.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GEMEENTEN } from "@vi/demo";
import { NodeConfigSchema } from "@vi/node";
import { NODE_HEAP_FLAG } from "./support/processes";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const COMPOSE = read("docker-compose.yml");
const DOCKERFILE = read("Dockerfile");
const DOCKERIGNORE = read(".dockerignore");
const NATS_CONF = read("infra/nats/nats.conf");

/**
 * How a service runs in the image (docs/adr/0041): the bundle `npm run build:services` makes of its entry point,
 * services/<service>/src/<entry>.ts → dist/<service>/<entry>.mjs (entries: main.ts and *-main.ts).
 */
const bundleCommand = (source: string) => `node --enable-source-maps ${source.replace(/^services\/([^/]+)\/src\/([^/]+)\.ts$/, "dist/$1/$2.mjs")}`;
/** A node's command: its bundle with the node processes' heap cap (docs/adr/0050), as test/support/processes.ts runs it. */
const nodeCommand = bundleCommand("services/node/src/main.ts").replace("node --enable-source-maps ", `node --enable-source-maps ${NODE_HEAP_FLAG} `);
/** The entry point a dist/… word of a command is the bundle of; "" when it is none the build makes; undefined: not dist/. */
function sourceOfBundle(word: string): string | undefined {
  if (!word.startsWith("dist/")) return undefined;
  const m = /^dist\/([^/]+)\/(main|[a-z-]+-main)\.mjs$/.exec(word);
  return m ? `services/${m[1]}/src/${m[2]}.ts` : "";
}

/**
 * Variables the compose file gives every node that NodeConfigSchema does not (yet) know. The federation issue
 * needed HUB_URL, NATS_URL, SMTP_HOST and SMTP_PORT; the node's schema has them all
 * now, so the list is empty. Shrink it as the node learns a variable: the test fails for an entry the schema
 * already has, and for one no node uses.
 */
const NODE_ENV_NOT_YET_IN_SCHEMA: readonly string[] = [
  // added by the federation issue (none left)
];

// ---------------------------------------------------------------------------------------------------------------
// A line scanner for the YAML subset of docker-compose.yml.

interface Entry {
  /** Mapping key, or "-" for a sequence item. */
  key: string;
  /** Scalar after the colon (quotes removed), "" when the value is a nested block. */
  value: string;
  anchor?: string;
  /** `<<: *name` */
  merge?: string;
  children: Entry[];
  line: number;
}

function scan(text: string): Entry {
  const root: Entry = { key: "", value: "", children: [], line: 0 };
  const stack: Array<{ indent: number; entry: Entry }> = [{ indent: -1, entry: root }];
  text.split("\n").forEach((raw, i) => {
    const line = stripComment(raw).trimEnd();
    if (!line.trim()) return;
    let indent = line.length - line.trimStart().length;
    let rest = line.trimStart();
    const items: string[] = [];
    // "- key: value" opens an item whose first key sits two columns further in.
    while (rest.startsWith("- ")) {
      items.push("-");
      rest = rest.slice(2).trimStart();
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    let parent = stack[stack.length - 1]!.entry;
    for (const _ of items) {
      const item: Entry = { key: "-", value: "", children: [], line: i + 1 };
      parent.children.push(item);
      stack.push({ indent, entry: item });
      parent = item;
      indent += 2;
    }
    const m = /^("[^"]*"|'[^']*'|[^\s:"'][^:]*?):(?:\s+(.*))?$/.exec(rest);
    if (!m) {
      if (items.length > 0) parent.value = unquote(rest);
      else throw new Error(`docker-compose.yml line ${i + 1}: not understood: ${raw}`);
      return;
    }
    const key = unquote(m[1]!);
    let value = (m[2] ?? "").trim();
    const entry: Entry = { key, value: "", children: [], line: i + 1 };
    const anchor = /^&([\w-]+)\s*(.*)$/.exec(value);
    if (anchor) {
      entry.anchor = anchor[1];
      value = anchor[2]!;
    }
    if (key === "<<") {
      const alias = /^\*([\w-]+)$/.exec(value);
      if (!alias) throw new Error(`docker-compose.yml line ${i + 1}: a merge must be <<: *anchor`);
      entry.merge = alias[1];
    } else entry.value = unquote(value);
    parent.children.push(entry);
    stack.push({ indent, entry });
  });
  return root;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** `["a", "b"]` → [a, b]; a plain scalar → [it]. */
function flowList(value: string): string[] {
  const t = value.trim();
  if (!t.startsWith("[")) return t ? [t] : [];
  return (t.slice(1, -1).match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^,\s][^,]*/g) ?? []).map((x) => unquote(x));
}

class Doc {
  readonly root: Entry;
  private readonly anchors = new Map<string, Entry>();
  constructor(readonly text: string) {
    this.root = scan(text);
    const visit = (e: Entry) => {
      if (e.anchor) this.anchors.set(e.anchor, e);
      e.children.forEach(visit);
    };
    visit(this.root);
  }

  /** The children of a mapping by key, merges (`<<: *x`) resolved; the mapping's own keys win. */
  map(e: Entry | undefined): Map<string, Entry> {
    const out = new Map<string, Entry>();
    if (!e) return out;
    for (const c of e.children) {
      if (c.merge === undefined) continue;
      const target = this.anchors.get(c.merge);
      if (!target) throw new Error(`docker-compose.yml line ${c.line}: unknown anchor *${c.merge}`);
      for (const [k, v] of this.map(target)) out.set(k, v);
    }
    for (const c of e.children) if (c.merge === undefined && c.key !== "-") out.set(c.key, c);
    return out;
  }

  /** Values of a block sequence ("- x") or a flow list. */
  list(e: Entry | undefined): string[] {
    if (!e) return [];
    if (e.value) return flowList(e.value);
    return e.children.filter((c) => c.key === "-").map((c) => c.value);
  }

  services(): Map<string, Map<string, Entry>> {
    const s = this.map(this.root).get("services");
    return new Map([...this.map(s)].map(([name, e]) => [name, this.map(e)]));
  }

  env(service: Map<string, Entry>): Map<string, string> {
    return new Map([...this.map(service.get("environment"))].map(([k, e]) => [k, e.value]));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The checks.

const healthy = (d: Doc, svc: Map<string, Entry>, dep: string, condition = "service_healthy") =>
  d.map(d.map(svc.get("depends_on")).get(dep)).get("condition")?.value === condition;

/** The three servers of the NATS cluster (docs/adr/0033): every service gets all three URLs and waits for all three. */
const NATS_SERVERS = ["nats-1", "nats-2", "nats-3"];
const NATS_URLS = NATS_SERVERS.map((n) => `nats://${n}:4222`).join(",");

/** Waits for every NATS server to be healthy and for the streams and consumers to be provisioned. */
function natsDependencies(d: Doc, svc: Map<string, Entry>, name: string): string[] {
  const problems: string[] = [];
  for (const dep of NATS_SERVERS) if (!healthy(d, svc, dep)) problems.push(`${name}: must depend on ${dep} being healthy`);
  if (!healthy(d, svc, "nats-inrichten", "service_completed_successfully")) problems.push(`${name}: must wait for nats-inrichten to complete`);
  return problems;
}

function checkNodes(text: string): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  const services = d.services();
  const nodeNames = [...services.keys()].filter((n) => n.startsWith("node-"));
  const expected = GEMEENTEN.map((g) => `node-${g.code.toLowerCase()}`);
  for (const n of nodeNames) if (!expected.includes(n)) problems.push(`${n}: not a gemeente of the region`);
  for (const g of GEMEENTEN) {
    const name = `node-${g.code.toLowerCase()}`;
    const svc = services.get(name);
    if (!svc) {
      problems.push(`${name} (${g.naam}) is missing`);
      continue;
    }
    const env = d.env(svc);
    if (env.get("GEMEENTE") !== g.code) problems.push(`${name}: GEMEENTE is ${env.get("GEMEENTE")}, expected ${g.code}`);
    if (env.get("PORT") !== String(8000 + Number(g.cbs)) || g.port !== 8000 + Number(g.cbs))
      problems.push(`${name}: PORT is ${env.get("PORT")}, expected ${8000 + Number(g.cbs)}`);
    if (env.get("DB_SCHEMA") !== g.code.toLowerCase()) problems.push(`${name}: DB_SCHEMA is ${env.get("DB_SCHEMA")}, expected ${g.code.toLowerCase()}`);
    if (env.get("HOST") !== "0.0.0.0") problems.push(`${name}: HOST must be 0.0.0.0 inside a container`);
    if (env.get("REGISTER_BESTAND") !== "/app/packages/demo/register.json") problems.push(`${name}: REGISTER_BESTAND must be the demo register`);
    if (env.has("PUBLIC_URL") && env.get("PUBLIC_URL") !== `http://localhost:${g.port}`) problems.push(`${name}: PUBLIC_URL is not the published port`);
    const ports = d.list(svc.get("ports"));
    if (ports.length !== 1 || ports[0] !== `${g.port}:${g.port}`) problems.push(`${name}: ports ${JSON.stringify(ports)}, expected ["${g.port}:${g.port}"]`);
    if (svc.get("command")?.value !== nodeCommand) problems.push(`${name}: command is not ${nodeCommand}`);
    if (svc.get("restart")?.value !== "unless-stopped") problems.push(`${name}: restart must be unless-stopped`);
    const health = d.map(svc.get("healthcheck")).get("test");
    if (!health || !d.list(health).join(" ").includes("/ready")) problems.push(`${name}: no /ready health check`);
    if (!healthy(d, svc, "postgres")) problems.push(`${name}: must depend on postgres being healthy`);
    problems.push(...natsDependencies(d, svc, name));
    const urls: Record<string, RegExp> = {
      DATABASE_URL: /^postgres:\/\/postgres:5432\/verwijsindex$/,
      DATABASE_PASSWORD_FILE: /^\/run\/secrets\/db-password$/,
      NATS_NKEY_SEED_FILE: /^\/run\/secrets\/nats-seed$/,
      NATS_TLS_CA: /^\/run\/secrets\/nats-ca$/,
      NATS_URL: new RegExp(`^${NATS_URLS}$`),
      BRP_URL: /^http:\/\/fake-brp:8100\/haalcentraal\/api\/brp$/,
      HUB_URL: /^http:\/\/hub:8000$/,
      SMTP_HOST: /^smtp-sink$/,
      SMTP_PORT: /^1025$/,
      AUTH_ISSUER: /^\$\{AUTH_ISSUER:\?[^}]*\}$/,
    };
    for (const [k, re] of Object.entries(urls)) if (!re.test(env.get(k) ?? "")) problems.push(`${name}: ${k} is ${JSON.stringify(env.get(k))}`);
    // A node holds no pseudonym key: it asks the pseudonym service (docs/adr/0024).
    for (const k of env.keys()) if (/PSEUDONIEM_SLEUTEL/.test(k)) problems.push(`${name}: must never get a pseudonym key (${k})`);
    // its own database login and NATS user, and nobody else's (docs/adr/0018, 0019)
    if (env.get("DATABASE_USER") !== `vi_${g.code.toLowerCase()}`) problems.push(`${name}: DATABASE_USER is ${env.get("DATABASE_USER")}`);
    problems.push(...checkOwnSecrets(d, svc, name, g.code.toLowerCase()));
  }
  const published = [...services.values()].flatMap((s) => d.list(s.get("ports")).map((p) => p.split(":").at(-2)));
  const dupes = published.filter((p, i) => published.indexOf(p) !== i);
  if (dupes.length) problems.push(`host ports published twice: ${dupes.join(", ")}`);
  return problems;
}

function checkSharedServices(text: string): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  const services = d.services();
  const svc = (n: string) => services.get(n) ?? (problems.push(`service ${n} is missing`), new Map<string, Entry>());

  const hub = svc("hub");
  const hubEnv = d.env(hub);
  if (hubEnv.get("PORT") !== "8000" || !d.list(hub.get("ports")).includes("8000:8000")) problems.push("hub: must listen on and publish 8000");
  if (hubEnv.get("HOST") !== "0.0.0.0") problems.push("hub: HOST must be 0.0.0.0");
  if (hubEnv.get("NATS_URL") !== NATS_URLS) problems.push("hub: NATS_URL");
  if (hubEnv.get("DATABASE_URL") !== "postgres://postgres:5432/verwijsindex" || hubEnv.get("DATABASE_USER") !== "vi_hub") problems.push("hub: DATABASE_URL");
  problems.push(...checkOwnSecrets(d, hub, "hub", "hub"));
  for (const k of hubEnv.keys()) if (/PSEUDONIEM_SLEUTEL/.test(k)) problems.push(`hub: must never get a pseudonym key (${k})`);
  if (hubEnv.get("PSEUDONIEM_URL") !== "http://pseudoniem:8001") problems.push("hub: PSEUDONIEM_URL must be http://pseudoniem:8001");

  // The pseudonym service: the only holder of the pseudonym key, kept on its own volume, reached over NATS.
  const ps = svc("pseudoniem");
  const psEnv = d.env(ps);
  if (ps.get("command")?.value !== bundleCommand("services/pseudonym/src/main.ts")) problems.push("pseudoniem: command is not the pseudonym service's main");
  if (psEnv.get("NATS_URL") !== NATS_URLS || psEnv.get("HUB_URL") !== "http://hub:8000") problems.push("pseudoniem: NATS_URL and HUB_URL");
  const keyFile = psEnv.get("PSEUDONIEM_SLEUTELS_BESTAND") ?? "";
  const onVolume = d.list(ps.get("volumes")).some((v) => {
    const [name, mount] = v.split(":");
    return !name!.startsWith(".") && !name!.startsWith("/") && mount !== undefined && keyFile.startsWith(`${mount}/`);
  });
  if (!onVolume) problems.push("pseudoniem: PSEUDONIEM_SLEUTELS_BESTAND must be on a named volume");
  if (d.list(ps.get("ports")).length) problems.push("pseudoniem: must not publish a port");
  problems.push(...natsDependencies(d, ps, "pseudoniem"));
  // Its own NATS user, no database login.
  const psSecrets = (ps.get("secrets")?.children ?? []).map((e) => {
    const m = new Map(e.children.map((c) => [c.key, c.value]));
    return e.value ? `${e.value}>${e.value}` : `${m.get("source")}>${m.get("target")}`;
  });
  if (psSecrets.sort().join(",") !== "nats-ca>nats-ca,nats-pseudoniem>nats-seed") problems.push(`pseudoniem: secrets ${JSON.stringify(psSecrets)}`);
  if (psEnv.get("NATS_NKEY_SEED_FILE") !== "/run/secrets/nats-seed") problems.push("pseudoniem: NATS_NKEY_SEED_FILE");
  const nodes = (hubEnv.get("NODES") ?? "").split(",").filter(Boolean);
  const expectedNodes = GEMEENTEN.map((g) => `${g.code}=http://node-${g.code.toLowerCase()}:${g.port}`);
  if ([...nodes].sort().join(",") !== [...expectedNodes].sort().join(",")) problems.push(`hub: NODES must list the 13 nodes as CODE=URL, got ${nodes.length}`);
  if (!healthy(d, hub, "postgres")) problems.push("hub: must depend on postgres being healthy");
  problems.push(...natsDependencies(d, hub, "hub"));

  const brp = svc("fake-brp");
  if (d.env(brp).get("PORT") !== "8100" || !d.list(brp.get("ports")).includes("8100:8100")) problems.push("fake-brp: must listen on and publish 8100");
  const sink = svc("smtp-sink");
  const sinkEnv = d.env(sink);
  if (sinkEnv.get("SMTP_PORT") !== "1025" || sinkEnv.get("HTTP_PORT") !== "8025") problems.push("smtp-sink: SMTP_PORT 1025, HTTP_PORT 8025");
  for (const p of ["1025:1025", "8025:8025"]) if (!d.list(sink.get("ports")).includes(p)) problems.push(`smtp-sink: must publish ${p}`);

  const pg = svc("postgres");
  if (!/^postgres:16(\.|$|-)/.test(pg.get("image")?.value ?? "")) problems.push("postgres: image must be postgres:16");
  if (
    !d
      .list(d.map(pg.get("healthcheck")).get("test"))
      .join(" ")
      .includes("pg_isready")
  )
    problems.push("postgres: health check must use pg_isready");
  if (!d.list(pg.get("volumes")).some((v) => v.endsWith(":/var/lib/postgresql/data"))) problems.push("postgres: data must be on a volume");

  const serverNames = new Set<string>();
  for (const n of NATS_SERVERS) {
    const nats = svc(n);
    if (!/^nats:2\.10(\.|$|-)/.test(nats.get("image")?.value ?? "")) problems.push(`${n}: image must be nats:2.10`);
    const natsCmd = d.list(nats.get("command")).join(" ");
    if (!/(^|\s)-c \/etc\/nats\/nats\.conf$/.test(natsCmd)) problems.push(`${n}: must run with -c /etc/nats/nats.conf`);
    const volumes = d.list(nats.get("volumes"));
    if (!volumes.some((v) => /^\.\/infra\/nats\/nats\.conf:\/etc\/nats\/nats\.conf(:ro)?$/.test(v))) problems.push(`${n}: must mount infra/nats/nats.conf`);
    for (const f of ["accounts.conf", "cluster.conf"])
      if (!volumes.some((v) => v.replace(/:ro$/, "") === `./.data/nats-compose/${f}:/etc/nats/${f}`)) problems.push(`${n}: must mount the generated ${f}`);
    if (!volumes.some((v) => v === `${n}-data:/data`)) problems.push(`${n}: its JetStream store must be on its own volume ${n}-data`);
    // server_name comes from the environment (infra/nats/nats.conf): each server its own.
    const serverName = d.env(nats).get("NATS_SERVER_NAME") ?? "";
    if (!serverName || serverNames.has(serverName)) problems.push(`${n}: NATS_SERVER_NAME must be set and differ per server`);
    serverNames.add(serverName);
    if (
      !d
        .list(d.map(nats.get("healthcheck")).get("test"))
        .join(" ")
        .includes(":8222/healthz")
    )
      problems.push(`${n}: health check on :8222/healthz`);
    if (d.list(nats.get("ports")).length) problems.push(`${n}: must not publish a port`);
  }
  // Provisioning: the streams replicated on all three servers, as the operator user `beheer`.
  const inrichten = svc("nats-inrichten");
  const inrEnv = d.env(inrichten);
  if (inrichten.get("command")?.value !== "tsx scripts/nats.ts provision") problems.push("nats-inrichten: command must be tsx scripts/nats.ts provision");
  if (inrEnv.get("NATS_REPLICAS") !== "3") problems.push("nats-inrichten: NATS_REPLICAS must be 3 (one copy per server)");
  if (inrEnv.get("NATS_URL") !== NATS_URLS) problems.push("nats-inrichten: NATS_URL");
  const inrSecrets = (inrichten.get("secrets")?.children ?? []).map((e) => {
    const m = new Map(e.children.map((c) => [c.key, c.value]));
    return e.value ? `${e.value}>${e.value}` : `${m.get("source")}>${m.get("target")}`;
  });
  if (inrSecrets.sort().join(",") !== "nats-beheer>nats-seed,nats-ca>nats-ca,nats-zk-beheer>nats-seed-zk")
    problems.push(`nats-inrichten: secrets ${JSON.stringify(inrSecrets)}`);
  for (const dep of NATS_SERVERS) if (!healthy(d, inrichten, dep)) problems.push(`nats-inrichten: must depend on ${dep} being healthy`);
  return problems;
}

/**
 * The second region (docs/adr/0038): Zuid-Kennemerland's hub on 8010, its pseudonym service, Haarlem's node on 8392,
 * each in the region's own bus namespace (vizk; its NATS users in their own account's creds), its own schema and
 * login, its own register; the node asks its own region's hub.
 */
function checkSecondRegion(text: string): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  const services = d.services();
  const svc = (n: string) => services.get(n) ?? (problems.push(`service ${n} is missing`), new Map<string, Entry>());
  const secretsOf = (x: Map<string, Entry>) =>
    (x.get("secrets")?.children ?? [])
      .map((e) => {
        const m = new Map(e.children.map((c) => [c.key, c.value]));
        return e.value ? `${e.value}>${e.value}` : `${m.get("source")}>${m.get("target")}`;
      })
      .sort()
      .join(",");
  const top = new Map((d.root.children.find((c) => c.key === "secrets")?.children ?? []).map((e) => [e.key, e.children.find((c) => c.key === "file")?.value]));
  const zkCreds = "./.data/nats-compose/creds/zuid-kennemerland";

  const hub = svc("zk-hub");
  const hubEnv = d.env(hub);
  const want = (name: string, env: Map<string, string>, k: string, v: string) => {
    if (env.get(k) !== v) problems.push(`${name}: ${k} is ${JSON.stringify(env.get(k))}, expected ${JSON.stringify(v)}`);
  };
  want("zk-hub", hubEnv, "PORT", "8010");
  if (!d.list(hub.get("ports")).includes("8010:8010")) problems.push("zk-hub: must publish 8010");
  want("zk-hub", hubEnv, "BUS_NAMESPACE", "vizk");
  want("zk-hub", hubEnv, "DB_SCHEMA", "hub_zuid_kennemerland");
  want("zk-hub", hubEnv, "DATABASE_USER", "vi_hub_zuid_kennemerland");
  want("zk-hub", hubEnv, "PSEUDONIEM_URL", "http://zk-pseudoniem:8011");
  want("zk-hub", hubEnv, "NODES", "GM0392=http://zk-node-gm0392:8392");
  want("zk-hub", hubEnv, "REGISTER_BESTAND", "/app/packages/demo/register-zuid-kennemerland.json");
  if (secretsOf(hub) !== "db-hub_zuid_kennemerland>db-password,nats-ca>nats-ca,nats-zk-hub>nats-seed") problems.push(`zk-hub: secrets ${secretsOf(hub)}`);
  problems.push(...natsDependencies(d, hub, "zk-hub"));

  const ps = svc("zk-pseudoniem");
  const psEnv = d.env(ps);
  want("zk-pseudoniem", psEnv, "BUS_NAMESPACE", "vizk");
  want("zk-pseudoniem", psEnv, "HUB_URL", "http://zk-hub:8010");
  if (!d.list(ps.get("volumes")).some((v) => v === "zk-pseudoniem-data:/app/.data")) problems.push("zk-pseudoniem: its key on its own volume");
  if (secretsOf(ps) !== "nats-ca>nats-ca,nats-zk-pseudoniem>nats-seed") problems.push(`zk-pseudoniem: secrets ${secretsOf(ps)}`);

  const node = svc("zk-node-gm0392");
  const nodeEnv = d.env(node);
  for (const [k, v] of Object.entries({
    GEMEENTE: "GM0392",
    PORT: "8392",
    DB_SCHEMA: "gm0392",
    DATABASE_USER: "vi_gm0392",
    BUS_NAMESPACE: "vizk",
    HUB_URL: "http://zk-hub:8010",
    REGISTER_BESTAND: "/app/packages/demo/register-zuid-kennemerland.json",
    NATS_URL: NATS_URLS,
  }))
    want("zk-node-gm0392", nodeEnv, k, v);
  if (!(nodeEnv.get("REGIO_GEMEENTEN") ?? "").startsWith("GM0392=Haarlem")) problems.push("zk-node-gm0392: REGIO_GEMEENTEN must name Zuid-Kennemerland");
  if (!d.list(node.get("ports")).includes("8392:8392")) problems.push("zk-node-gm0392: must publish 8392");
  if (secretsOf(node) !== "db-gm0392>db-password,nats-ca>nats-ca,nats-zk-gm0392>nats-seed") problems.push(`zk-node-gm0392: secrets ${secretsOf(node)}`);
  problems.push(...natsDependencies(d, node, "zk-node-gm0392"));

  for (const [secret, file] of Object.entries({
    "nats-zk-hub": `${zkCreds}/hub.nk`,
    "nats-zk-pseudoniem": `${zkCreds}/pseudoniem.nk`,
    "nats-zk-gm0392": `${zkCreds}/GM0392.nk`,
    "nats-zk-beheer": `${zkCreds}/beheer.nk`,
    "db-hub_zuid_kennemerland": "./.data/db-compose/passwords/hub_zuid_kennemerland",
    "db-gm0392": "./.data/db-compose/passwords/gm0392",
  }))
    if (top.get(secret) !== file) problems.push(`secret ${secret} is not ${file}`);
  return problems;
}

/** A service's mounted secrets as `source>target`, sorted, comma-separated. */
function secretsOf(x: Map<string, Entry>): string {
  return (x.get("secrets")?.children ?? [])
    .map((e) => {
      const m = new Map(e.children.map((c) => [c.key, c.value]));
      return e.value ? `${e.value}>${e.value}` : `${m.get("source")}>${m.get("target")}`;
    })
    .sort()
    .join(",");
}

/** The file of each top-level secret. */
function topSecrets(d: Doc): Map<string, string | undefined> {
  return new Map((d.root.children.find((c) => c.key === "secrets")?.children ?? []).map((e) => [e.key, e.children.find((c) => c.key === "file")?.value]));
}

/** The national chain's demo OINs (as `npm start` and `npm run fsc:compose` have them). */
const CHAIN_OIN = {
  landelijk: "00000001000000000200",
  pseudoniem: "00000001000000000201",
  amsterdam: "00000001000000000210",
  "zuid-kennemerland": "00000001000000000211",
};

/**
 * The national part (docs/national-chain.md): the national pseudonym service (8201) and the national index (8200, its
 * own schema landelijk and login), HTTPS with mutual TLS, each with the CA of `npm run fsc:compose` and only its own
 * certificate and key; a bridge per region (its own schema and login, user brug of its region's NATS account), the
 * hub's BRUG_URL at its own region's bridge, the bridges' addresses at the national services resolving to those
 * services' ports; the nodes' national link on.
 */
function checkNationalPart(text: string): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  const services = d.services();
  const svc = (n: string) => services.get(n) ?? (problems.push(`service ${n} is missing`), new Map<string, Entry>());
  const top = topSecrets(d);
  const want = (name: string, env: Map<string, string>, k: string, v: string) => {
    if (env.get(k) !== v) problems.push(`${name}: ${k} is ${JSON.stringify(env.get(k))}, expected ${JSON.stringify(v)}`);
  };
  /** The service and port an http(s)://service:port URL of the file points at, when that service listens there. */
  const target = (url: string, portVar = "PORT"): string | undefined => {
    const m = /^https?:\/\/([a-z0-9-]+):(\d+)$/.exec(url);
    if (!m) return undefined;
    const s = services.get(m[1]!);
    return s && d.env(s).get(portVar) === m[2] ? m[1] : undefined;
  };
  const command = (name: string, file: string) => {
    if (svc(name).get("command")?.value !== bundleCommand(file)) problems.push(`${name}: command must be ${bundleCommand(file)}`);
  };
  /** TLS from the mounted files only: the CA's certificate, the service's own certificate and key. */
  const tls = (name: string): string[] => {
    const env = d.env(svc(name));
    want(name, env, "TLS_CA", "/run/secrets/fsc-ca");
    want(name, env, "TLS_CERT", "/run/secrets/tls-cert");
    want(name, env, "TLS_KEY", "/run/secrets/tls-key");
    if (env.has("DEV_CA_DIR")) problems.push(`${name}: no DEV_CA_DIR in a container (the CA's key stays on the host)`);
    for (const [secret, file] of [
      ["fsc-ca", "./.data/fsc-compose/ca.pem"],
      [`fsc-${name}`, `./.data/fsc-compose/${name}.pem`],
      [`fsc-${name}-key`, `./.data/fsc-compose/${name}.key`],
    ] as const)
      if (top.get(secret) !== file) problems.push(`secret ${secret} is not ${file}`);
    return ["fsc-ca>fsc-ca", `fsc-${name}>tls-cert`, `fsc-${name}-key>tls-key`];
  };
  const ownSecrets = (name: string, expected: string[]) => {
    const got = secretsOf(svc(name));
    if (got !== [...expected].sort().join(",")) problems.push(`${name}: secrets ${got}, expected ${[...expected].sort().join(",")}`);
  };

  // The national pseudonym service: its key on its own volume, no database, no bus.
  const np = "landelijke-pseudoniemendienst";
  command(np, "services/pseudonym/src/national-main.ts");
  const npEnv = d.env(svc(np));
  want(np, npEnv, "PORT", "8201");
  want(np, npEnv, "HOST", "0.0.0.0");
  want(np, npEnv, "BRUG_OINS", `${CHAIN_OIN.amsterdam},${CHAIN_OIN["zuid-kennemerland"]}`);
  if (!d.list(svc(np).get("volumes")).includes(`${np}-data:/app/.data`) || !(npEnv.get("PSEUDONIEM_SLEUTELS_BESTAND") ?? "").startsWith("/app/.data/"))
    problems.push(`${np}: PSEUDONIEM_SLEUTELS_BESTAND must be on its own volume`);
  for (const k of npEnv.keys()) if (/^(DATABASE|NATS)_/.test(k)) problems.push(`${np}: needs no ${k}`);
  ownSecrets(np, tls(np));

  // The national index: its own schema and login, the bridges' HTTPS addresses.
  const ni = "landelijke-index";
  command(ni, "services/national-index/src/main.ts");
  const niEnv = d.env(svc(ni));
  want(ni, niEnv, "PORT", "8200");
  want(ni, niEnv, "HOST", "0.0.0.0");
  want(ni, niEnv, "DB_SCHEMA", "landelijk");
  want(ni, niEnv, "DATABASE_USER", "vi_landelijk");
  want(ni, niEnv, "DATABASE_PASSWORD_FILE", "/run/secrets/db-password");
  if (top.get("db-landelijk") !== "./.data/db-compose/passwords/landelijk") problems.push("secret db-landelijk is not its generated password");
  for (const k of niEnv.keys()) if (/^NATS_/.test(k)) problems.push(`${ni}: needs no ${k}`);
  if (!healthy(d, svc(ni), "postgres")) problems.push(`${ni}: must depend on postgres being healthy`);
  ownSecrets(ni, ["db-landelijk>db-password", ...tls(ni)]);

  // A bridge per region, and the region's hub and nodes pointing at it.
  const bridges = [
    { name: "brug", regio: "amsterdam", schema: "brug", nats: "nats-brug", creds: "creds/brug.nk", hub: "hub", namespace: undefined, nodes: /^node-/ },
    {
      name: "zk-brug",
      regio: "zuid-kennemerland",
      schema: "brug_zuid_kennemerland",
      nats: "nats-zk-brug",
      creds: "creds/zuid-kennemerland/brug.nk",
      hub: "zk-hub",
      namespace: "vizk",
      nodes: /^zk-node-/,
    },
  ] as const;
  const listed = (niEnv.get("BRUGGEN") ?? "").split(",").filter(Boolean);
  if (listed.length !== bridges.length) problems.push(`${ni}: BRUGGEN must list ${bridges.length} bridges, got ${listed.length}`);
  for (const b of bridges) {
    command(b.name, "services/lvi-bridge/src/main.ts");
    const env = d.env(svc(b.name));
    want(b.name, env, "REGIO", b.regio);
    want(b.name, env, "DB_SCHEMA", b.schema);
    want(b.name, env, "DATABASE_USER", `vi_${b.schema}`);
    want(b.name, env, "DATABASE_PASSWORD_FILE", "/run/secrets/db-password");
    want(b.name, env, "NATS_URL", NATS_URLS);
    want(b.name, env, "NATS_NKEY_SEED_FILE", "/run/secrets/nats-seed");
    if (env.get("BUS_NAMESPACE") !== b.namespace)
      problems.push(`${b.name}: BUS_NAMESPACE is ${JSON.stringify(env.get("BUS_NAMESPACE"))}, expected ${JSON.stringify(b.namespace)}`);
    want(b.name, env, "HOST", "0.0.0.0");
    want(b.name, env, "LANDELIJK_HOST", "0.0.0.0");
    want(b.name, env, "LANDELIJK_OIN", CHAIN_OIN.landelijk);
    want(b.name, env, "PSEUDONIEM_LANDELIJK_OIN", CHAIN_OIN.pseudoniem);
    if (target(env.get("LANDELIJK_URL") ?? "") !== ni || !env.get("LANDELIJK_URL")?.startsWith("https://"))
      problems.push(`${b.name}: LANDELIJK_URL must be the national index's https address`);
    if (target(env.get("PSEUDONIEM_LANDELIJK_URL") ?? "") !== np || !env.get("PSEUDONIEM_LANDELIJK_URL")?.startsWith("https://"))
      problems.push(`${b.name}: PSEUDONIEM_LANDELIJK_URL must be the national pseudonym service's https address`);
    if (target(env.get("HUB_URL") ?? "") !== b.hub) problems.push(`${b.name}: HUB_URL must be ${b.hub}'s address`);
    if (top.get(b.nats) !== `./.data/nats-compose/${b.creds}`) problems.push(`secret ${b.nats} is not ./.data/nats-compose/${b.creds}`);
    if (top.get(`db-${b.schema}`) !== `./.data/db-compose/passwords/${b.schema}`) problems.push(`secret db-${b.schema} is not its generated password`);
    ownSecrets(b.name, [`db-${b.schema}>db-password`, `${b.nats}>nats-seed`, "nats-ca>nats-ca", ...tls(b.name)]);
    if (!healthy(d, svc(b.name), "postgres")) problems.push(`${b.name}: must depend on postgres being healthy`);
    problems.push(...natsDependencies(d, svc(b.name), b.name));
    // The national index delivers to this bridge's HTTPS side.
    const entry = listed.find((l) => l.startsWith(`${b.regio}=`));
    const [, oin, url] = entry?.split("=") ?? [];
    if (oin !== CHAIN_OIN[b.regio] || target(url ?? "", "LANDELIJK_PORT") !== b.name || !url?.startsWith("https://"))
      problems.push(`${ni}: BRUGGEN must hold ${b.regio}=${CHAIN_OIN[b.regio]}=https://${b.name}:<its LANDELIJK_PORT>`);
    // The region's hub fetches the bridge's keys from the bridge's region-internal side.
    if (target(d.env(svc(b.hub)).get("BRUG_URL") ?? "") !== b.name) problems.push(`${b.hub}: BRUG_URL must be ${b.name}'s address`);
    for (const [n, node] of services)
      if (b.nodes.test(n)) {
        if (d.env(node).get("LANDELIJK") !== "aan") problems.push(`${n}: LANDELIJK must be aan`);
        if (!d.map(node.get("depends_on")).has(b.name)) problems.push(`${n}: must start after its region's bridge ${b.name}`);
      }
  }

  // Each secret but the two CAs goes to one service only.
  const mountedBy = new Map<string, string[]>();
  for (const [n, s] of services)
    for (const m of secretsOf(s).split(",").filter(Boolean)) {
      const source = m.split(">")[0]!;
      mountedBy.set(source, [...(mountedBy.get(source) ?? []), n]);
    }
  for (const [source, by] of mountedBy)
    if (by.length > 1 && source !== "nats-ca" && source !== "fsc-ca") problems.push(`secret ${source} is mounted by ${by.join(", ")}`);
  return problems;
}

/** A service's secrets: its own database password and NATS seed (and the CA), each file generated for that service only. */
function checkOwnSecrets(d: Doc, svc: Map<string, Entry>, name: string, schema: string): string[] {
  const problems: string[] = [];
  const user = schema === "hub" ? "hub" : schema.toUpperCase();
  const mounted = (svc.get("secrets")?.children ?? []).map((e) => {
    const m = new Map(e.children.map((c) => [c.key, c.value]));
    return e.value ? `${e.value}>${e.value}` : `${m.get("source")}>${m.get("target")}`;
  });
  const want = [`db-${schema}>db-password`, `nats-${schema}>nats-seed`, "nats-ca>nats-ca"];
  if (mounted.sort().join(",") !== want.sort().join(",")) problems.push(`${name}: secrets ${JSON.stringify(mounted)}, expected ${JSON.stringify(want)}`);
  const top = new Map((d.root.children.find((c) => c.key === "secrets")?.children ?? []).map((e) => [e.key, e.children.find((c) => c.key === "file")?.value]));
  if (top.get(`db-${schema}`) !== `./.data/db-compose/passwords/${schema}`) problems.push(`${name}: secret db-${schema} is not its generated password`);
  if (top.get(`nats-${schema}`) !== `./.data/nats-compose/creds/${user}.nk`) problems.push(`${name}: secret nats-${schema} is not its generated NATS key`);
  return problems;
}

/** Every build uses this repo's Dockerfile with the repo as context; every service of ours is built. */
function checkBuilds(text: string): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  let builds = 0;
  for (const [name, svc] of d.services()) {
    const build = svc.get("build");
    const runsRepoCode = /\btsx |\bdist\//.test(d.list(svc.get("command")).join(" "));
    if (!build) {
      if (runsRepoCode) problems.push(`${name}: runs code of this repo but has no build`);
      continue;
    }
    builds++;
    const b = d.map(build);
    const context = b.get("context")?.value ?? build.value;
    if (context !== ".") problems.push(`${name}: build context is ${JSON.stringify(context)}, expected "."`);
    const dockerfile = b.get("dockerfile")?.value ?? "Dockerfile";
    if (dockerfile !== "Dockerfile") problems.push(`${name}: builds from ${dockerfile}, expected the repo's Dockerfile`);
  }
  // Every build: line, also one the scanner would not attribute to a service.
  const raw = [...text.matchAll(/^[ \t]*build:[ \t]*(\S.*)?$/gm)].map((m) => m[1]);
  for (const r of raw) if (r !== undefined && r !== "." && r !== "./") problems.push(`build: ${r} is not the repo root`);
  if (builds === 0) problems.push("no service is built from the Dockerfile");
  return problems;
}

/**
 * Every `tsx <file>` command (and any other path-like argument of a command) exists in the repo; a bundle
 * (dist/<service>/<entry>.mjs, built in the image) has its entry point services/<service>/src/<entry>.ts, and a
 * service's entry point runs as its bundle, not through tsx.
 */
function checkCommands(text: string, exists: (p: string) => boolean = (p) => existsSync(join(ROOT, p))): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  for (const [name, svc] of d.services()) {
    const cmd = d.list(svc.get("command"));
    const words = cmd.flatMap((c) => c.split(/\s+/));
    for (const w of words) {
      const source = sourceOfBundle(w);
      if (source !== undefined) {
        if (!source || !exists(source)) problems.push(`${name}: command runs ${w}, which no entry point of npm run build:services makes`);
      } else if (/\.(ts|js|mjs)$/.test(w) && !exists(w)) problems.push(`${name}: command runs ${w}, which does not exist`);
      if (/^services\/[^/]+\/src\/[^/]+\.ts$/.test(w)) problems.push(`${name}: runs ${w} from source: run its bundle, ${bundleCommand(w)} (docs/adr/0041)`);
    }
    // npx does not pass SIGTERM on to its child: `docker stop` would skip the service's graceful shutdown.
    if (words[0] === "npx" || words[0] === "npm") problems.push(`${name}: run node or tsx directly, not through ${words[0]}`);
  }
  for (const m of text.matchAll(/^\s*command:.*?\btsx\s+"?([^\s"\]]+)/gm)) if (!exists(m[1]!)) problems.push(`command runs ${m[1]}, which does not exist`);
  // .data/ holds what `npm run nats:config -- --compose` and `npm run db:roles` generate (keys, passwords): never in the repository.
  for (const m of text.matchAll(/^\s*-\s*\.\/([^:\s]+):/gm))
    if (!m[1]!.startsWith(".data/") && !exists(m[1]!)) problems.push(`mounted ./${m[1]} does not exist`);
  return problems;
}

/** Every variable a node gets is a NodeConfigSchema key, or on the explicit allow-list. */
function checkNodeEnv(
  text: string,
  schemaKeys: string[] = Object.keys(NodeConfigSchema.shape),
  allowList: readonly string[] = NODE_ENV_NOT_YET_IN_SCHEMA,
): string[] {
  const d = new Doc(text);
  const problems: string[] = [];
  const allowed = new Set<string>([...schemaKeys, ...allowList]);
  const used = new Set<string>();
  for (const [name, svc] of d.services()) {
    if (!name.startsWith("node-")) continue;
    for (const k of d.env(svc).keys()) {
      used.add(k);
      if (!allowed.has(k)) problems.push(`${name}: ${k} is not a setting of the node (NodeConfigSchema) nor on the allow-list`);
    }
  }
  for (const k of allowList) {
    if (schemaKeys.includes(k)) problems.push(`${k} is now in NodeConfigSchema: remove it from NODE_ENV_NOT_YET_IN_SCHEMA`);
    if (!used.has(k)) problems.push(`${k} is on the allow-list but no node uses it: remove it`);
  }
  return [...new Set(problems)];
}

/** No secret is written in the file: every secret-looking value is a required variable `${NAME:?message}`. */
function checkNoSecrets(text: string): string[] {
  const problems: string[] = [];
  const required = /^\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}$/;
  text.split("\n").forEach((raw, i) => {
    const line = stripComment(raw);
    const kv = /^\s*(?:-\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*[:=]\s*(.*)$/.exec(line);
    if (kv && /(PASSWORD|PASSWD|_PASS|SECRET|SLEUTEL|TOKEN|API_KEY|PRIVATE_KEY)$/i.test(kv[1]!)) {
      const v = unquote(kv[2]!);
      if (v && !required.test(v)) problems.push(`line ${i + 1}: ${kv[1]} has a literal value`);
    }
    for (const m of line.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^:/@\s]+):(\$\{[^}]*\}|[^@\s]+)@/gi)) {
      if (!required.test(m[2]!)) problems.push(`line ${i + 1}: a URL carries a literal password`);
    }
    for (const m of line.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(:?[-?][^}]*)?\}/g)) {
      if (/(PASSWORD|SECRET|SLEUTEL|TOKEN|KEY)/.test(m[1]!) && !m[2]?.startsWith(":?"))
        problems.push(`line ${i + 1}: \${${m[1]}} must be required (:?), never defaulted`);
    }
  });
  return problems;
}

function checkDockerfile(text: string, ignore: string): string[] {
  const problems: string[] = [];
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => !l.startsWith("#"));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  if (froms.length === 0) problems.push("no FROM");
  for (const f of froms) if (!/^FROM\s+node:24(-bookworm-slim)?(\s|$)/i.test(f)) problems.push(`${f}: every stage must be node:24-bookworm-slim`);
  const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const ci = idx(/^RUN\b.*\bnpm ci\b/);
  if (ci < 0) problems.push("no `npm ci`");
  if (lines.some((l) => /--omit=dev|--production\b|--only=prod/.test(l))) problems.push("dev dependencies are needed at runtime (tsx): do not omit them");
  const nodeEnv = idx(/^ENV\s+NODE_ENV=production\b/);
  if (nodeEnv < 0) problems.push("no ENV NODE_ENV=production");
  else if (ci >= 0 && nodeEnv < ci) problems.push("NODE_ENV=production before npm ci would skip the devDependencies");
  const user = idx(/^USER\s+node\s*$/);
  if (user < 0) problems.push("must run as USER node");
  const lastFrom = lines.lastIndexOf(froms.at(-1) ?? "");
  if (user >= 0 && user < lastFrom) problems.push("USER node must be in the final stage");
  if (idx(/^CMD\s/) < 0) problems.push("no default CMD");
  // The services run as bundles (docker-compose.yml: node … dist/<service>/main.mjs), built from the copied sources.
  const build = idx(/^RUN\b.*\bnpm run build:services\b/);
  if (build < 0 || build < idx(/^COPY\s+\.\s+\.$/)) problems.push("the image must build the services' bundles: RUN npm run build:services after COPY . .");
  // docker-compose.yml runs `tsx …` directly (see checkCommands), so the image must have it on the PATH.
  if (idx(/^WORKDIR\s+\/app$/) < 0 || idx(/^ENV\s+PATH=\/app\/node_modules\/\.bin:\$PATH$/) < 0)
    problems.push("tsx must be on the PATH: WORKDIR /app and ENV PATH=/app/node_modules/.bin:$PATH");
  if (lines.some((l) => /^(ENV|ARG)\s+\S*(PASSWORD|SECRET|SLEUTEL|TOKEN)/i.test(l))) problems.push("no secret in the image");
  const ignored = ignore.split("\n").map((l) => l.trim());
  for (const p of ["node_modules", ".data", ".git", "coverage"]) if (!ignored.includes(p)) problems.push(`.dockerignore must list ${p}`);
  return problems;
}

function checkNatsConf(text: string): string[] {
  const problems: string[] = [];
  const body = text
    .split("\n")
    .map((l) => l.replace(/#.*$/, ""))
    .join("\n");
  const js = /\bjetstream\s*[:=]?\s*\{([^}]*)\}/.exec(body);
  if (!js) problems.push("JetStream is not enabled (no jetstream { } block)");
  else {
    if (!/\bstore_dir\s*[:=]\s*"?\/data\/jetstream"?/.test(js[1]!)) problems.push("jetstream.store_dir must be /data/jetstream (the nats-data volume)");
    if (!/\bmax_memory_store\s*[:=]/.test(js[1]!) || !/\bmax_file_store\s*[:=]/.test(js[1]!))
      problems.push("jetstream needs max_memory_store and max_file_store limits");
  }
  if (!/^\s*http_port\s*[:=]\s*8222\b/m.test(body)) problems.push("monitoring must be on http_port 8222 (the health check)");
  if (!/^\s*server_name\s*[:=]\s*\S+/m.test(body)) problems.push("server_name is required for JetStream");
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

/** Replaces exactly one occurrence, so a mutation that does not apply fails loudly instead of passing. */
function mutate(text: string, from: string | RegExp, to: string): string {
  const count =
    typeof from === "string"
      ? text.split(from).length - 1
      : (text.match(new RegExp(from, from.flags.includes("g") ? from.flags : `${from.flags}g`)) ?? []).length;
  if (count !== 1) throw new Error(`mutation ${String(from)} matches ${count} times`);
  return text.replace(from, to);
}

describe("docker-compose.yml", () => {
  it("the scanner reads the file's anchors and merges", () => {
    const d = new Doc(COMPOSE);
    const s = d.services();
    expect(s.size).toBe(9 + 13 + 3 + 4);
    const ams = s.get("node-gm0363")!;
    expect(ams.get("command")?.value).toBe("node --enable-source-maps --max-old-space-size=128 dist/node/main.mjs");
    expect(d.env(ams).get("GEMEENTE")).toBe("GM0363");
    expect(d.env(ams).get("NATS_URL")).toBe(NATS_URLS);
    expect(d.list(d.map(ams.get("healthcheck")).get("test"))[0]).toBe("CMD");
  });

  it("has all thirteen nodes, each with GEMEENTE, PORT = 8000 + CBS number published as such, its schema and dependencies", () => {
    expect(checkNodes(COMPOSE)).toEqual([]);
    expect(checkNodes(mutate(COMPOSE, 'PORT: "8363"', 'PORT: "8364"'))).toEqual([expect.stringContaining("node-gm0363: PORT is 8364")]);
    expect(checkNodes(mutate(COMPOSE, '"8479:8479"', '"8480:8479"'))).toEqual([expect.stringContaining("node-gm0479: ports")]);
    expect(checkNodes(mutate(COMPOSE, "GEMEENTE: GM0852", "GEMEENTE: GM0392"))).toEqual([expect.stringContaining("node-gm0852: GEMEENTE")]);
    expect(checkNodes(mutate(COMPOSE, /^ {2}node-gm0880:.*$/m, "  node-gm0392:"))).toEqual(
      expect.arrayContaining([expect.stringContaining("node-gm0392: not a gemeente"), expect.stringContaining("node-gm0880 (Wormerland) is missing")]),
    );
    expect(checkNodes(mutate(COMPOSE, /(x-node: &node[\s\S]*?nats-2:\n\s+condition: )service_healthy/, "$1service_started"))).toHaveLength(13);
    expect(
      checkNodes(mutate(COMPOSE, /(x-node: &node[\s\S]*?nats-inrichten:\n\s+condition: )service_completed_successfully/, "$1service_started")),
    ).toHaveLength(13);
    expect(checkNodes(mutate(COMPOSE, /(x-node-env[\s\S]*?NATS_URL: nats:\/\/nats-1:4222),nats:\/\/nats-2:4222/, "$1"))).toHaveLength(13);
  });

  it("has the hub on 8000 with all nodes, the fake BRP on 8100, the SMTP sink on 1025/8025, postgres:16 and nats:2.10", () => {
    expect(checkSharedServices(COMPOSE)).toEqual([]);
    expect(checkSharedServices(mutate(COMPOSE, '"8000:8000"', '"8001:8000"'))).toEqual(["hub: must listen on and publish 8000"]);
    expect(checkSharedServices(mutate(COMPOSE, "GM0451=http://node-gm0451:8451,", ""))).toEqual([expect.stringContaining("hub: NODES")]);
    expect(checkSharedServices(mutate(COMPOSE, '"8025:8025"', '"8026:8025"'))).toEqual(["smtp-sink: must publish 8025:8025"]);
    expect(checkSharedServices(mutate(COMPOSE, "image: postgres:16", "image: postgres:15"))).toEqual(["postgres: image must be postgres:16"]);
    expect(checkSharedServices(mutate(COMPOSE, '/etc/nats/nats.conf"]', '/etc/nats/other.conf"]'))).toEqual(
      NATS_SERVERS.map((n) => `${n}: must run with -c /etc/nats/nats.conf`),
    );
    expect(checkSharedServices(mutate(COMPOSE, "NATS_SERVER_NAME: verwijsindex-nats-3", "NATS_SERVER_NAME: verwijsindex-nats-1"))).toEqual([
      "nats-3: NATS_SERVER_NAME must be set and differ per server",
    ]);
    expect(
      checkSharedServices(
        mutate(
          COMPOSE,
          "./.data/nats-compose/cluster.conf:/etc/nats/cluster.conf:ro\n      - ./.data/nats-compose/tls/server.pem:/etc/nats/tls/server.pem:ro\n      - ./.data/nats-compose/tls/server-key.pem:/etc/nats/tls/server-key.pem:ro\n      - nats-2-data",
          "./.data/nats-compose/tls/server.pem:/etc/nats/tls/server.pem:ro\n      - ./.data/nats-compose/tls/server-key.pem:/etc/nats/tls/server-key.pem:ro\n      - nats-2-data",
        ),
      ),
    ).toEqual(["nats-2: must mount the generated cluster.conf"]);
    expect(checkSharedServices(mutate(COMPOSE, 'NATS_REPLICAS: "3"', 'NATS_REPLICAS: "1"'))).toEqual([
      "nats-inrichten: NATS_REPLICAS must be 3 (one copy per server)",
    ]);
    expect(checkSharedServices(mutate(COMPOSE, /^ {2}fake-brp:$/m, "  brp:"))).toContain("service fake-brp is missing");
    expect(checkSharedServices(mutate(COMPOSE, "PSEUDONIEM_URL: http://pseudoniem:8001", "PSEUDONIEM_SLEUTEL: ${PSEUDONIEM_SLEUTEL:?x}"))).toEqual([
      "hub: must never get a pseudonym key (PSEUDONIEM_SLEUTEL)",
      "hub: PSEUDONIEM_URL must be http://pseudoniem:8001",
    ]);
    expect(checkSharedServices(mutate(COMPOSE, "      - pseudoniem-data:/app/.data", "      - ./pseudoniem-data:/app/.data"))).toEqual([
      "pseudoniem: PSEUDONIEM_SLEUTELS_BESTAND must be on a named volume",
    ]);
  });

  it("builds every service of this repo from the repo's Dockerfile with context .", () => {
    expect(checkBuilds(COMPOSE)).toEqual([]);
    expect(checkBuilds(mutate(COMPOSE, "dockerfile: Dockerfile", "dockerfile: services/node/Dockerfile"))).toHaveLength(25);
    expect(checkBuilds(mutate(COMPOSE, "    context: .\n", "    context: ./services\n"))).toHaveLength(25);
    expect(checkBuilds(COMPOSE.replace(/^ {4}<<: \*app\n(?= {4}command: node --enable-source-maps dist\/fake-brp)/m, ""))).toEqual([
      "fake-brp: runs code of this repo but has no build",
    ]);
  });

  it("runs only commands whose files exist", () => {
    expect(checkCommands(COMPOSE)).toEqual([]);
    expect(checkCommands(mutate(COMPOSE, "dist/smtp-sink/main.mjs", "dist/smtp-sink/start.mjs"))).toEqual([
      "smtp-sink: command runs dist/smtp-sink/start.mjs, which no entry point of npm run build:services makes",
    ]);
    expect(checkCommands(mutate(COMPOSE, "node --enable-source-maps dist/smtp-sink/main.mjs", "tsx services/smtp-sink/src/main.ts"))).toEqual([
      "smtp-sink: runs services/smtp-sink/src/main.ts from source: run its bundle, node --enable-source-maps dist/smtp-sink/main.mjs (docs/adr/0041)",
    ]);
    expect(checkCommands(mutate(COMPOSE, "tsx scripts/nats.ts provision", "tsx scripts/nats-provision.ts"))).toEqual(
      expect.arrayContaining(["nats-inrichten: command runs scripts/nats-provision.ts, which does not exist"]),
    );
    // Mounted by each of the three NATS servers.
    expect(checkCommands(COMPOSE.replaceAll("./infra/nats/nats.conf:", "./infra/nats/nats-server.conf:"))).toEqual(
      NATS_SERVERS.map(() => "mounted ./infra/nats/nats-server.conf does not exist"),
    );
    expect(checkCommands(mutate(COMPOSE, /(\n {2}hub:\n {4}<<: \*app\n {4})command: node /, "$1command: npx node "))).toEqual([
      "hub: run node or tsx directly, not through npx",
    ]);
  });

  it("gives nodes only variables the node knows (NodeConfigSchema) or that are on the federation allow-list", () => {
    expect(checkNodeEnv(COMPOSE)).toEqual([]);
    expect(
      checkNodeEnv(
        mutate(
          COMPOSE,
          "  REGISTER_BESTAND: &register-file /app/packages/demo/register.json\n",
          "  REGISTER_BESTAND: &register-file /app/packages/demo/register.json\n  NODE_GEHEIM_EXTRA: x\n",
        ),
      ),
    ).toHaveLength(13);
    expect(
      checkNodeEnv(
        COMPOSE,
        Object.keys(NodeConfigSchema.shape).filter((k) => k !== "DB_SCHEMA"),
      ),
    ).toHaveLength(13);
    // The allow-list is checked too: an entry the schema knows, or that no node uses, must go.
    const schema = Object.keys(NodeConfigSchema.shape);
    expect(
      checkNodeEnv(
        COMPOSE,
        schema.filter((k) => k !== "HUB_URL"),
        ["HUB_URL"],
      ),
    ).toEqual([]);
    expect(checkNodeEnv(COMPOSE, schema, ["HUB_URL"])).toEqual(["HUB_URL is now in NodeConfigSchema: remove it from NODE_ENV_NOT_YET_IN_SCHEMA"]);
    expect(checkNodeEnv(COMPOSE, [...schema, "NIET_GEBRUIKT"], ["NIET_GEBRUIKT"])).toEqual([
      "NIET_GEBRUIKT is now in NodeConfigSchema: remove it from NODE_ENV_NOT_YET_IN_SCHEMA",
      "NIET_GEBRUIKT is on the allow-list but no node uses it: remove it",
    ]);
  });

  it("holds no literal password or key: every secret is a required variable", () => {
    expect(checkNoSecrets(COMPOSE)).toEqual([]);
    expect(checkNoSecrets(mutate(COMPOSE, "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "POSTGRES_PASSWORD: geheim"))).toHaveLength(1);
    expect(checkNoSecrets(mutate(COMPOSE, /(x-node-env[\s\S]*?)postgres:\/\/postgres:5432/, "$1postgres://vi_gm0363:geheim@postgres:5432"))).toEqual([
      expect.stringContaining("literal password"),
    ]);
    expect(
      checkNoSecrets(mutate(COMPOSE, /\$\{AUTH_ISSUER:\?[^}]*\}/, "${AUTH_ISSUER}\n  PSEUDONIEM_SLEUTEL: ${PSEUDONIEM_SLEUTEL:-dev-sleutel}")),
    ).toHaveLength(2);
  });

  it("gives each service its own database login and NATS key, and no other service's", () => {
    expect(checkNodes(mutate(COMPOSE, "      - source: nats-gm0479\n", "      - source: nats-gm0363\n"))).toEqual([
      expect.stringContaining("node-gm0479: secrets"),
    ]);
    expect(checkNodes(mutate(COMPOSE, "DATABASE_USER: vi_gm0363", "DATABASE_USER: vi_hub"))).toEqual([expect.stringContaining("DATABASE_USER")]);
    expect(checkSharedServices(mutate(COMPOSE, "    file: ./.data/db-compose/passwords/hub\n", "    file: ./.data/db-compose/passwords/gm0363\n"))).toEqual([
      expect.stringContaining("db-hub is not its generated password"),
    ]);
  });
});

describe("docker-compose.yml, the second region", () => {
  it("has Zuid-Kennemerland's hub (8010), pseudonym service and Haarlem's node (8392), on their own namespace, schemas, keys and register", () => {
    expect(checkSecondRegion(COMPOSE)).toEqual([]);
    expect(
      checkSecondRegion(mutate(COMPOSE, "      HUB_URL: http://zk-hub:8010\n      REGISTER_BESTAND", "      HUB_URL: http://hub:8000\n      REGISTER_BESTAND")),
    ).toEqual(['zk-node-gm0392: HUB_URL is "http://hub:8000", expected "http://zk-hub:8010"']);
    expect(checkSecondRegion(mutate(COMPOSE, "      - source: nats-zk-gm0392\n", "      - source: nats-gm0363\n"))).toEqual([
      expect.stringContaining("zk-node-gm0392: secrets"),
    ]);
    expect(checkSecondRegion(mutate(COMPOSE, /(\n {2}zk-pseudoniem:\n[\s\S]*?)BUS_NAMESPACE: vizk/, "$1BUS_NAMESPACE: vi"))).toEqual([
      'zk-pseudoniem: BUS_NAMESPACE is "vi", expected "vizk"',
    ]);
  });
});

describe("docker-compose.yml, the national part", () => {
  it("has the national pseudonym service (8201), the national index (8200, schema landelijk) and a bridge per region, each with its own login, NATS key and certificate", () => {
    expect(checkNationalPart(COMPOSE)).toEqual([]);
    expect(checkNationalPart(mutate(COMPOSE, "      BRUG_URL: http://brug:8210\n", "      BRUG_URL: http://brug:8220\n"))).toEqual([
      "hub: BRUG_URL must be brug's address",
    ]);
    expect(checkNationalPart(mutate(COMPOSE, "      BRUG_URL: http://zk-brug:8211\n", "      BRUG_URL: http://brug:8210\n"))).toEqual([
      "zk-hub: BRUG_URL must be zk-brug's address",
    ]);
    expect(
      checkNationalPart(mutate(COMPOSE, "    file: ./.data/nats-compose/creds/zuid-kennemerland/brug.nk\n", "    file: ./.data/nats-compose/creds/brug.nk\n")),
    ).toEqual(["secret nats-zk-brug is not ./.data/nats-compose/creds/zuid-kennemerland/brug.nk"]);
    expect(checkNationalPart(mutate(COMPOSE, "      - source: db-brug_zuid_kennemerland\n", "      - source: db-brug\n"))).toEqual([
      expect.stringContaining("zk-brug: secrets"),
      "secret db-brug is mounted by brug, zk-brug",
    ]);
    expect(checkNationalPart(mutate(COMPOSE, "      DATABASE_USER: vi_landelijk\n", "      DATABASE_USER: vi_hub\n"))).toEqual([
      'landelijke-index: DATABASE_USER is "vi_hub", expected "vi_landelijk"',
    ]);
    expect(checkNationalPart(mutate(COMPOSE, "      - source: fsc-zk-brug-key\n", "      - source: fsc-brug-key\n"))).toEqual([
      expect.stringContaining("zk-brug: secrets"),
      "secret fsc-brug-key is mounted by brug, zk-brug",
    ]);
    expect(checkNationalPart(mutate(COMPOSE, "=https://zk-brug:8221", "=https://zk-brug:8211"))).toEqual([
      "landelijke-index: BRUGGEN must hold zuid-kennemerland=00000001000000000211=https://zk-brug:<its LANDELIJK_PORT>",
    ]);
    expect(checkNationalPart(mutate(COMPOSE, '  LANDELIJK: "aan"\n', ""))).toHaveLength(14);
    expect(checkNationalPart(mutate(COMPOSE, /^ {2}landelijke-pseudoniemendienst:$/m, "  pseudoniem-landelijk:"))).toContain(
      "service landelijke-pseudoniemendienst is missing",
    );
  });

  it("holds no literal key or password in the national part either", () => {
    const line = '      BRUG_OINS: "00000001000000000210,00000001000000000211"\n';
    expect(checkNoSecrets(mutate(COMPOSE, line, `${line}      TLS_PRIVATE_KEY: geheim\n`))).toEqual([
      expect.stringContaining("TLS_PRIVATE_KEY has a literal value"),
    ]);
  });
});

describe("Dockerfile and .dockerignore", () => {
  it("one Node 24 image: npm ci with the dev dependencies, the services' bundles built, NODE_ENV=production after it, USER node, a default CMD", () => {
    expect(checkDockerfile(DOCKERFILE, DOCKERIGNORE)).toEqual([]);
    expect(checkDockerfile(DOCKERFILE.replaceAll("node:24-bookworm-slim", "node:20-bookworm-slim"), DOCKERIGNORE)).toHaveLength(2);
    expect(checkDockerfile(mutate(DOCKERFILE, "npm ci --no-audit", "npm ci --omit=dev --no-audit"), DOCKERIGNORE)).toHaveLength(1);
    expect(checkDockerfile(mutate(DOCKERFILE, "USER node\n", ""), DOCKERIGNORE)).toEqual(["must run as USER node"]);
    expect(checkDockerfile(mutate(DOCKERFILE, /^ENV PATH=.*\n/m, ""), DOCKERIGNORE)).toEqual([expect.stringContaining("tsx must be on the PATH")]);
    expect(checkDockerfile(DOCKERFILE, DOCKERIGNORE.replace(/^\.data$/m, ""))).toEqual([".dockerignore must list .data"]);
    expect(checkDockerfile(mutate(DOCKERFILE, /^RUN npm run build:services\n/m, ""), DOCKERIGNORE)).toEqual([
      "the image must build the services' bundles: RUN npm run build:services after COPY . .",
    ]);
  });
});

describe("infra/nats/nats.conf", () => {
  it("enables JetStream with limits on /data/jetstream, monitoring on 8222, a server name", () => {
    expect(checkNatsConf(NATS_CONF)).toEqual([]);
    expect(checkNatsConf(NATS_CONF.replace(/jetstream \{[^}]*\}/, ""))).toEqual(["JetStream is not enabled (no jetstream { } block)"]);
    expect(checkNatsConf(mutate(NATS_CONF, "http_port: 8222", "http_port: 8223"))).toHaveLength(1);
    expect(checkNatsConf(mutate(NATS_CONF, /^server_name:.*$/m, "# no name"))).toHaveLength(1);
  });
});
