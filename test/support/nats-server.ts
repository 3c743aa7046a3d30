/**
 * A nats-server of a test's own with the project's configuration: a user per
 * service generated from the federation's subjects (scripts/nats/setup.ts),
 * optionally TLS with a development CA, streams and consumers provisioned as
 * `beheer`. The machine's binary on a free port; nothing shared.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BusPrincipal, connectNatsBus, natsLogin, type Bus, type NatsBusOptions } from "@vi/bus";
import { BEHEER, federationConsumers } from "@vi/events";
import { writeNatsSetup, type NatsRegionOptions, type NatsSetup } from "../../scripts/nats/setup";
import { NATS_SERVER } from "./constants";
import { freePort } from "./processes";

export interface AuthNatsOptions {
  namespace: string;
  gemeenten: readonly string[];
  tls?: boolean;
  extraPrincipals?: BusPrincipal[];
  /** Where the keys, certificates, configuration and store go; default a new temporary directory (removed on stop). */
  dir?: string;
  port?: number;
  /** The server's max_payload (default 1MB): a small one shows what does not fit in one message. */
  maxPayload?: string;
  /** Further regions on the same server, each its own account and namespace (docs/adr/0038). */
  moreRegions?: NatsRegionOptions[];
}

/** One further region on the server: its users log in to its own account. */
export interface AuthNatsRegion {
  namespace: string;
  env(user: string): Record<string, string>;
  login(user: string): Pick<NatsBusOptions, "nkeySeed" | "tls" | "inboxPrefix">;
  bus(user: string, name?: string): Promise<Bus>;
  provision(): Promise<void>;
}

export interface AuthNats {
  url: string;
  namespace: string;
  port: number;
  setup: NatsSetup;
  /** The environment a service needs to log in as `user` (NATS_NKEY_SEED_FILE, NATS_TLS_CA). */
  env(user: string): Record<string, string>;
  /** Bus options to connect as `user`. */
  login(user: string): Pick<NatsBusOptions, "nkeySeed" | "tls" | "inboxPrefix">;
  /** A bus as `user` in the test's namespace. */
  bus(user: string, name?: string): Promise<Bus>;
  /** Streams and every durable consumer of the region, as `beheer`. */
  provision(): Promise<void>;
  /** A further region (moreRegions) by id. */
  region(id: string): AuthNatsRegion;
  /** The spec to (re)start the server (fault tests restart it). */
  command: { command: string; args: string[] };
  stop(): Promise<void>;
}

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((res) => {
    const c = netConnect(port, "127.0.0.1", () => (c.end(), res(true)));
    c.on("error", () => res(false));
  });
}

/** Keys, configuration and (with `tls`) certificates for a server on `port`, without starting it. */
export function authNatsSetup(o: AuthNatsOptions & { dir: string; port: number }): NatsSetup {
  return writeNatsSetup({
    dir: o.dir,
    namespace: o.namespace,
    gemeenten: o.gemeenten,
    extraPrincipals: o.extraPrincipals,
    moreRegions: o.moreRegions,
    host: "127.0.0.1",
    port: o.port,
    storeDir: join(o.dir, "store"),
    ...(o.maxPayload ? { maxPayload: o.maxPayload } : {}),
    ...(o.tls ? { tlsNames: ["127.0.0.1", "localhost"] } : {}),
  });
}

export async function startAuthNats(o: AuthNatsOptions): Promise<AuthNats> {
  if (!existsSync(NATS_SERVER)) throw new Error(`this test runs its own nats-server and needs ${NATS_SERVER} (set NATS_SERVER_BIN)`);
  const own = !o.dir;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "vi-nats-"));
  const port = o.port ?? (await freePort());
  const setup = authNatsSetup({ ...o, dir, port });
  const command = { command: NATS_SERVER, args: ["-c", setup.configFile] };
  let proc: ChildProcess | undefined = spawn(command.command, command.args, { stdio: "ignore" });
  const until = Date.now() + 15_000;
  while (!(await portAccepts(port))) {
    if (proc.exitCode !== null) throw new Error(`nats-server exited (${proc.exitCode}) with ${setup.configFile}`);
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `nats://127.0.0.1:${port}`;
  const env = (user: string): Record<string, string> => ({
    NATS_NKEY_SEED_FILE: setup.seedFile(user),
    ...(setup.caFile ? { NATS_TLS_CA: setup.caFile } : {}),
  });
  const login = (user: string) => natsLogin(env(user), user);
  const bus = (user: string, name = user) =>
    connectNatsBus({ servers: url, name, namespace: o.namespace, log: { warn: () => undefined, error: () => undefined }, ...login(user) });
  const provisionAs = async (b: Bus, gemeenten: readonly string[]) => {
    try {
      await b.ensureStreams();
      for (const c of federationConsumers(gemeenten)) await b.ensureConsumer(c);
    } finally {
      await b.close();
    }
  };
  const region = (id: string): AuthNatsRegion => {
    const r = setup.region(id);
    const gemeenten = o.moreRegions?.find((x) => x.id === id)?.gemeenten ?? [];
    const renv = (user: string): Record<string, string> => ({ NATS_NKEY_SEED_FILE: r.seedFile(user), ...(setup.caFile ? { NATS_TLS_CA: setup.caFile } : {}) });
    const rlogin = (user: string) => natsLogin(renv(user), user);
    const rbus = (user: string, name = user) =>
      connectNatsBus({ servers: url, name, namespace: r.namespace, log: { warn: () => undefined, error: () => undefined }, ...rlogin(user) });
    return { namespace: r.namespace, env: renv, login: rlogin, bus: rbus, provision: async () => provisionAs(await rbus(BEHEER, "provisioning"), gemeenten) };
  };
  const n: AuthNats = {
    url,
    namespace: o.namespace,
    port,
    setup,
    env,
    login,
    bus,
    command,
    async provision() {
      await provisionAs(await bus(BEHEER, "provisioning"), o.gemeenten);
    },
    region,
    async stop() {
      const p = proc;
      proc = undefined;
      if (p && p.exitCode === null) {
        const exited = new Promise((r) => p.once("exit", r));
        p.kill("SIGTERM");
        await exited;
      }
      if (own) rmSync(dir, { recursive: true, force: true });
    },
  };
  return n;
}
