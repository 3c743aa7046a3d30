/**
 * Who may do what on the bus, in the bus's own terms (relative subjects,
 * durable consumers), turned into nats-server permissions and a server
 * configuration (docs/adr/0018-nats-users-with-nkeys.md). Pure: no I/O.
 *
 * A service user gets exactly: publishing to its own stream subjects and to the
 * dead-letter subject of each of its durables; the JetStream API calls that
 * bind to and pull from its own durables (never create, delete or read a
 * stream); acks of its own durables; requests on the subjects it may ask;
 * serving the subjects it serves; replies only to requests it received
 * (`allow_responses`); subscriptions only to its own inbox prefix
 * `_INBOX_<name>`. Only an admin user (provisioning, operators) has the
 * JetStream admin API and may read every subject.
 */
import { checkReplicas, checkSubject, DEFAULT_STREAM_LIMITS, names, resolveConsumerOptions, type StreamLimits } from "./common";
import type { ConsumerOptions } from "./types";

export interface BusPrincipal {
  /** The user's name (the service id): `hub`, `GM0363`, `pseudoniem`, `beheer`. Its reply subjects start with `_INBOX_<name>`. */
  name: string;
  /** Stream subjects (relative `evt.…`, wildcards allowed) it may publish to. */
  publishes?: string[];
  /** Durable consumers it reads (and dead-letters to `dlq.<durable>`). */
  consumes?: ConsumerOptions[];
  /** Request/reply subjects (relative `rpc.…`) it serves; nobody else may subscribe to them. */
  serves?: string[];
  /** Request/reply subjects it may ask. */
  requests?: string[];
  /** Stream subjects it may follow live (a core subscription, nothing stored for it). */
  listens?: string[];
  /** Every subject and the JetStream admin API: provisioning and operators only. */
  admin?: boolean;
}

export interface NatsPermissions {
  publish: { allow?: string[]; deny?: string[] };
  subscribe: { allow?: string[]; deny?: string[] };
  allow_responses?: { max: number; expires: string };
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** The inbox prefix of a user's connection: its permissions allow replies to nothing else. */
export const inboxPrefixOf = (name: string): string => {
  if (!NAME_RE.test(name)) throw new TypeError(`bus user '${name}' must match ${NAME_RE}`);
  return `_INBOX_${name}`;
};

/** nats-server permissions of one principal on namespace `namespace`. */
export function natsPermissions(namespace: string, p: BusPrincipal): NatsPermissions {
  const n = names(namespace);
  const inbox = `${inboxPrefixOf(p.name)}.>`;
  if (p.admin) return { publish: { allow: [">"] }, subscribe: { allow: [">"] } };
  const pub = new Set<string>();
  const sub = new Set<string>([inbox]);
  for (const s of p.publishes ?? []) {
    const t = checkSubject(s, `${p.name} publishes`, true);
    if (t[0] !== "evt") throw new TypeError(`${p.name} publishes '${s}': only evt.… subjects are published to a stream`);
    pub.add(n.abs(s));
  }
  for (const c of p.consumes ?? []) {
    const cfg = resolveConsumerOptions(c);
    const stream = n.stream(cfg.stream);
    pub.add(`$JS.API.CONSUMER.INFO.${stream}.${cfg.durable}`);
    pub.add(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${cfg.durable}`);
    pub.add(`$JS.ACK.${stream}.${cfg.durable}.>`);
    pub.add(n.abs(`dlq.${cfg.durable}`));
  }
  for (const s of p.requests ?? []) {
    const t = checkSubject(s, `${p.name} requests`, false);
    if (t[0] !== "rpc") throw new TypeError(`${p.name} requests '${s}': requests go to rpc.…`);
    pub.add(n.abs(s));
  }
  for (const s of p.serves ?? []) {
    const t = checkSubject(s, `${p.name} serves`, false);
    if (t[0] !== "rpc") throw new TypeError(`${p.name} serves '${s}': served subjects are rpc.…`);
    sub.add(n.abs(s));
  }
  for (const s of p.listens ?? []) {
    const t = checkSubject(s, `${p.name} listens`, false);
    if (t[0] !== "evt") throw new TypeError(`${p.name} listens to '${s}': only evt.… subjects`);
    sub.add(n.abs(s));
  }
  return {
    // An empty allow list would mean "anything": a user that publishes nothing of its own is denied everything.
    publish: pub.size ? { allow: [...pub] } : { deny: [">"] },
    subscribe: { allow: [...sub] },
    // One reply per request received, within a minute: serving needs no publish right on others' inboxes.
    ...(p.serves?.length ? { allow_responses: { max: 1, expires: "1m" } } : {}),
  };
}

export interface NatsUser {
  principal: BusPrincipal;
  /** The user's public NKey (`U…`); its seed stays with the service. */
  nkey: string;
}

export interface NatsServerConfigOptions {
  namespace: string;
  users: NatsUser[];
  serverName?: string;
  host?: string;
  port?: number;
  /** Monitoring port (/healthz); omitted: none. */
  httpPort?: number;
  storeDir: string;
  /** TLS for clients: the server's certificate and key; clients must use TLS when set. */
  tls?: { certFile: string; keyFile: string };
  /** The account that holds the region's users and streams. */
  account?: string;
  /**
   * Further regions on the same server, each an account of its own (its users, its namespace, its streams): NATS
   * accounts share no subject, so one region's services cannot see another's (docs/adr/0038).
   */
  moreAccounts?: NatsAccount[];
  /** The largest message the server accepts; default 1MB (NATS's own default). */
  maxPayload?: string;
  /** One server of a JetStream cluster (docs/adr/0033); omitted: a single server. */
  cluster?: NatsClusterOptions;
}

/** One region's account on a server shared by several regions. */
export interface NatsAccount {
  /** The account's name (capitals, digits, _), e.g. `ZUID_KENNEMERLAND`. */
  account: string;
  namespace: string;
  users: NatsUser[];
}

export interface NatsClusterOptions {
  /** The cluster's name, the same on every server. */
  name: string;
  /** Where this server listens for the other servers' routes (`host:port`). */
  listen: string;
  /** Every server's route address (`host:port`); a server skips its own. */
  routes: string[];
  /** The login the servers' routes use with each other (no server joins without it). */
  routeUser: string;
  routePassword: string;
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: string[]) => `[${xs.map(q).join(", ")}]`;

function renderPermissions(p: NatsPermissions): string {
  const part = (x: { allow?: string[]; deny?: string[] }) =>
    `{ ${[x.allow ? `allow: ${list(x.allow)}` : "", x.deny ? `deny: ${list(x.deny)}` : ""].filter(Boolean).join(", ")} }`;
  const lines = [`publish: ${part(p.publish)}`, `subscribe: ${part(p.subscribe)}`];
  if (p.allow_responses) lines.push(`allow_responses: { max: ${p.allow_responses.max}, expires: ${q(p.allow_responses.expires)} }`);
  return `{\n          ${lines.join("\n          ")}\n        }`;
}

function renderAccount(account: string, namespace: string, users: NatsUser[]): string[] {
  if (!/^[A-Z][A-Z0-9_]{0,62}$/.test(account)) throw new TypeError(`account '${account}' must be capitals, digits or _`);
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.principal.name)) throw new TypeError(`bus user '${u.principal.name}' listed twice in account ${account}`);
    seen.add(u.principal.name);
    if (!/^U[A-Z2-7]{55}$/.test(u.nkey)) throw new TypeError(`bus user '${u.principal.name}': '${u.nkey}' is not a public user NKey`);
  }
  const lines = users
    .map((u) => `      # ${u.principal.name}\n      { nkey: ${q(u.nkey)}, permissions: ${renderPermissions(natsPermissions(namespace, u.principal))} }`)
    .join(",\n");
  return [`  # bus namespace '${namespace}'`, `  ${account} {`, "    jetstream: enabled", "    users: [", lines, "    ]", "  }"];
}

/**
 * The `accounts` block: one account with JetStream for the region, each user an NKey with its permissions; with
 * `moreAccounts`, one more account per further region (a region's users see nothing of another's).
 */
export function renderNatsAccounts(o: Pick<NatsServerConfigOptions, "namespace" | "users" | "account" | "moreAccounts">): string {
  const accounts = [{ account: o.account ?? "VERWIJSINDEX", namespace: o.namespace, users: o.users }, ...(o.moreAccounts ?? [])];
  const names = new Set<string>();
  const nkeys = new Set<string>();
  for (const a of accounts) {
    if (names.has(a.account)) throw new TypeError(`account '${a.account}' listed twice`);
    names.add(a.account);
    for (const u of a.users) {
      // nats-server refuses a key that is in two accounts; a key belongs to one service of one region.
      if (nkeys.has(u.nkey)) throw new TypeError(`bus user '${u.principal.name}' of account ${a.account}: its key is in another account too`);
      nkeys.add(u.nkey);
    }
  }
  return [
    "# Generated by scripts/nats.ts from packages/events/src/bus-access.ts (the subjects of",
    `# packages/events/src/subjects.ts), bus namespace '${o.namespace}': edit those, not this file.`,
    "# One account per region; a user (NKey) per service, with only its own subjects.",
    "# Nobody connects without one of these keys: there is no anonymous user.",
    "accounts {",
    ...accounts.flatMap((a) => renderAccount(a.account, a.namespace, a.users)),
    "}",
    "",
  ].join("\n");
}

/**
 * The `cluster` block of one server (docs/adr/0033): routes to every other server; JetStream replicates a stream
 * over the servers (NATS_REPLICAS at provisioning) and elects a leader among them by RAFT.
 */
function renderCluster(c: NatsClusterOptions): string[] {
  if (!/^[A-Za-z0-9_-]+$/.test(c.name)) throw new TypeError(`cluster name '${c.name}' must be letters, digits, - or _`);
  if (c.routes.length < 2) throw new TypeError("a cluster needs the routes of at least two servers");
  if (!/^[A-Za-z0-9_-]+$/.test(c.routeUser) || !/^[A-Za-z0-9_-]{16,}$/.test(c.routePassword))
    throw new TypeError("the route login must be letters, digits, - or _ (a password of at least 16)");
  const routes = c.routes.map((r) => `nats-route://${c.routeUser}:${c.routePassword}@${r}`);
  return [
    "cluster {",
    `  name: ${q(c.name)}`,
    `  listen: ${q(c.listen)}`,
    `  authorization { user: ${q(c.routeUser)}, password: ${q(c.routePassword)}, timeout: 2 }`,
    `  routes: ${list(routes)}`,
    "}",
  ];
}

/** Only the `cluster` block (docker-compose includes it from infra/nats/nats-cluster.conf). */
export function renderNatsCluster(c: NatsClusterOptions): string {
  return ["# Generated by scripts/nats.ts: the route login of the region's NATS cluster (keep it out of git).", ...renderCluster(c), ""].join("\n");
}

/** A whole nats-server configuration (nats-server 2.9 and later) with the accounts block inline. */
export function renderNatsServerConfig(o: NatsServerConfigOptions): string {
  return [
    "# Generated by scripts/nats.ts (see infra/nats/README.md).",
    `server_name: ${q(o.serverName ?? "verwijsindex-nats")}`,
    `host: ${q(o.host ?? "0.0.0.0")}`,
    `port: ${o.port ?? 4222}`,
    ...(o.httpPort !== undefined ? [`http_port: ${o.httpPort}`] : []),
    `max_payload: ${o.maxPayload ?? "1MB"}`,
    'write_deadline: "10s"',
    "jetstream {",
    `  store_dir: ${q(o.storeDir)}`,
    "  max_memory_store: 256MB",
    "  max_file_store: 10GB",
    "}",
    ...(o.tls ? ["tls {", `  cert_file: ${q(o.tls.certFile)}`, `  key_file: ${q(o.tls.keyFile)}`, "  timeout: 2", "}"] : []),
    ...(o.cluster ? renderCluster(o.cluster) : []),
    renderNatsAccounts(o),
  ].join("\n");
}

/** Stream limits from the environment of the provisioning step (hours and MiB); unset: the defaults. */
export function streamLimitsFromEnv(env: Record<string, string | undefined>): Partial<Record<"evt" | "dlq", StreamLimits>> {
  const out: Partial<Record<"evt" | "dlq", StreamLimits>> = {};
  const num = (k: string) => {
    const v = env[k];
    if (v === undefined || v === "") return undefined;
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new TypeError(`${k} must be a positive number`);
    return x;
  };
  for (const [kind, prefix] of [
    ["evt", "BUS_STREAM"],
    ["dlq", "BUS_DLQ"],
  ] as const) {
    const age = num(`${prefix}_MAX_AGE_HOURS`);
    const mb = num(`${prefix}_MAX_MB`);
    const def = DEFAULT_STREAM_LIMITS[kind];
    if (age !== undefined || mb !== undefined) {
      out[kind] = {
        maxAgeMs: age !== undefined ? Math.round(age * 3_600_000) : def.maxAgeMs,
        maxBytes: mb !== undefined ? Math.round(mb * 1024 * 1024) : def.maxBytes,
      };
    }
  }
  return out;
}

/**
 * NATS_REPLICAS of the provisioning step: copies of each stream on a JetStream cluster (3 on the three-server
 * cluster of infra/nats, docs/adr/0033). Unset: undefined (a new stream gets one, an existing one keeps its own).
 */
export function streamReplicasFromEnv(env: Record<string, string | undefined>): number | undefined {
  const v = env.NATS_REPLICAS;
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  try {
    checkReplicas(n);
  } catch {
    throw new TypeError("NATS_REPLICAS must be a whole number from 1 to 5 (3 on a three-server cluster)");
  }
  return n;
}
