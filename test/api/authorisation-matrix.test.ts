/**
 * The authorisation matrix (docs/authorisation-matrix.md): for every route of the node and the hub, every role and
 * whose object it is, the status (and for a refusal the Problem code) a request gets. The table is the
 * specification; this test runs every cell against real services (two nodes and the hub over NATS and PostgreSQL)
 * and fails on a route of the apps that the table lacks, on a row for a route that no longer exists, and on every
 * cell whose answer differs (all differences at once, as a table).
 *
 * Objects are made fresh where a cell would use them up: a cell that succeeds on a signal it changes (extend,
 * inform, end, withdraw) or a designation it revokes is followed by a new object for the next cell.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEMO_CASE_SYSTEMS, demoSubject, generatePopulation } from "@vi/demo";
import { createHubAdminApp } from "@vi/hub";
import { createNodeAdminApp } from "@vi/node";
import { servedApis } from "../../scripts/openapi-documents";
import { COORDINATOR, CONVENANTMANAGER, DOCENT, IB, JGZ, PRIVACY, REGIE_AMSTERDAM, TODAY, WIJKTEAM } from "../support/constants";
import { HUB_AUDIENCE, startFederation, type Federation } from "../support/federation";

const MATRIX_FILE = resolve(import.meta.dirname, "../../docs/authorisation-matrix.md");
const HERE = "GM0363"; // the node every node row is asked of: Amsterdam
const ELSEWHERE = "GM0479"; // Zaanstad: another gemeente of the region
const POPULATION = { seed: 7, youths: 4000, today: TODAY };

// ---------------------------------------------------------------------------------------------------------------
// Roles (the table's columns)

const CASE_SYSTEM = DEMO_CASE_SYSTEMS.find((c) => c.clientId === "buurtschool-lvs");
if (!CASE_SYSTEM) throw new Error("the demo register has no case system buurtschool-lvs");

/** Who each column is: an account of the demo register, the case system acting for ib, or nobody. */
const ROLES: Record<string, { email?: string; subject?: string; namens?: string }> = {
  anoniem: {},
  professional: { email: IB },
  "niet-bevoegd": { email: DOCENT },
  "andere-gemeente": { email: WIJKTEAM },
  coordinator: { email: COORDINATOR },
  matchregisseur: { email: REGIE_AMSTERDAM },
  privacy: { email: PRIVACY },
  convenantmanager: { email: CONVENANTMANAGER },
  zaaksysteem: { email: CASE_SYSTEM.email, subject: CASE_SYSTEM.clientId, namens: IB },
};

// ---------------------------------------------------------------------------------------------------------------
// The table

interface Row {
  service: "node" | "hub" | "beheer-node" | "beheer-hub";
  method: string;
  path: string;
  object: string;
  expected: Record<string, string>;
  line: number;
}

/** Reads the tables under "## Node", "## Hub", "## Beheerpoort node" and "## Beheerpoort hub". */
function readMatrix(): { rows: Row[]; columns: string[] } {
  const text = readFileSync(MATRIX_FILE, "utf8").split("\n");
  const sections: Record<string, Row["service"]> = { Node: "node", Hub: "hub", "Beheerpoort node": "beheer-node", "Beheerpoort hub": "beheer-hub" };
  const rows: Row[] = [];
  let service: Row["service"] | undefined;
  let header: string[] | undefined;
  let columns: string[] = [];
  text.forEach((raw, i) => {
    const heading = /^## (.+)$/.exec(raw.trim());
    if (heading) {
      service = sections[heading[1] ?? ""];
      header = undefined;
      return;
    }
    if (!service || !raw.trim().startsWith("|")) return;
    const cells = raw
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim());
    if (!header) {
      header = cells;
      if (header[0] !== "route" || header[1] !== "object") throw new Error(`${MATRIX_FILE}:${i + 1}: a table starts with | route | object | <roles> |`);
      columns = header.slice(2);
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    const route = /^`?(GET|POST|PUT|PATCH|DELETE) ([^`]+)`?$/.exec(cells[0] ?? "");
    if (!route) throw new Error(`${MATRIX_FILE}:${i + 1}: "${cells[0]}" is not "METHOD /path"`);
    const expected: Record<string, string> = {};
    header.slice(2).forEach((role, k) => {
      expected[role] = cells[k + 2] ?? "";
    });
    rows.push({ service, method: route[1] ?? "", path: route[2] ?? "", object: cells[1] ?? "", expected, line: i + 1 });
  });
  return { rows, columns };
}

/** Hono's `/x/:id` as the table (and OpenAPI) writes it: `/x/{id}`. */
const asTablePath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function servedRoutes(name: string, routes: readonly { method: string; path: string }[]): Set<string> {
  const set = new Set<string>();
  for (const r of routes) if (r.method !== "ALL") set.add(`${r.method} ${asTablePath(r.path)}`);
  if (set.size === 0) throw new Error(`${name}: no routes found`);
  return set;
}

// ---------------------------------------------------------------------------------------------------------------
// The region and its objects

let f: Federation;
const population = generatePopulation(POPULATION);
const youths = { [HERE]: [] as string[], [ELSEWHERE]: [] as string[] };
for (let i = 0; i < POPULATION.youths; i++) {
  const bsn = population.youthBsn(i);
  const rec = population.byBsn(bsn);
  if (!rec || rec.overlijdensdatum || rec.geheimhouding) continue;
  const age = Number(TODAY.slice(0, 4)) - Number(rec.geboortedatum.slice(0, 4));
  if (age < 2 || age > 11) continue; // under 12: inzage is for the parents, without the consent questions of 12-15
  const list = youths[rec.gemeenteCode as keyof typeof youths];
  list?.push(bsn);
}
/** A youth nobody has signalled on yet, living in `gemeente`. */
function freshYouth(gemeente: string): string {
  const bsn = youths[gemeente as keyof typeof youths]?.shift();
  if (!bsn) throw new Error(`the generated population has no more youths in ${gemeente}: raise POPULATION.youths`);
  return bsn;
}

async function request(service: "node" | "hub" | "elsewhere", role: string, method: string, path: string, body?: unknown) {
  const who = ROLES[role];
  if (!who) throw new Error(`unknown role ${role}`);
  const headers: Record<string, string> = {};
  if (who.email) {
    const audience = service === "hub" ? { audience: HUB_AUDIENCE } : {};
    const token = await f.issuer.sign(who.email, { ...audience, ...(who.subject ? { subject: who.subject } : {}) });
    headers.authorization = `Bearer ${token}`;
  }
  if (who.namens) headers["namens-professional"] = who.namens;
  if (body !== undefined) headers["content-type"] = "application/json";
  const base = service === "hub" ? f.hub.url : f.node(service === "elsewhere" ? ELSEWHERE : HERE).url;
  const ac = new AbortController();
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ac.signal });
  let code: string | undefined;
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) ac.abort();
  else {
    const text = await res.text();
    if (res.headers.get("content-type") === "application/problem+json") code = (JSON.parse(text) as { code?: string }).code;
  }
  return { status: res.status, code };
}

/** A new signal of `owner` (a demo account) at node `at` on `bsn`; the registration's answer. */
async function registerAs(owner: string, at: string, bsn: string, informed = false): Promise<{ id: string; matches: { id: string }[] }> {
  const body = informed ? { bsn, geinformeerd: true } : { bsn, geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" };
  const res = await f.call(at, owner, "POST", "/api/v1/signalen", body);
  if (res.status !== 201) throw new Error(`setting up a signal of ${owner} at ${at}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.signaal.id as string, matches: res.body.matches as { id: string }[] };
}

/** A signal's id and its youth's BSN. */
interface SignalObject {
  id: string;
  bsn: string;
}
const newSignal = async (owner: string, at: string, lives: string): Promise<SignalObject> => {
  const bsn = freshYouth(lives);
  return { id: (await registerAs(owner, at, bsn)).id, bsn };
};

/** The node table's objects: whose signal, made when first needed and again after a cell used it up. */
const SIGNAL_OBJECTS: Record<string, () => Promise<SignalObject>> = {
  // ib's own signal on an Amsterdam youth, held at the Amsterdam node.
  eigen: () => newSignal(IB, HERE, HERE),
  // ib's own signal on a Zaanstad youth, registered through Amsterdam: held at the Zaanstad node, a pointer here.
  "eigen-elders": () => newSignal(IB, HERE, ELSEWHERE),
  // A colleague of another organisation at the same node: jgz's signal on an Amsterdam youth.
  collega: () => newSignal(JGZ, HERE, HERE),
  // Another gemeente's signal: wijkteam's at the Zaanstad node (its id asked of Amsterdam: IDOR).
  "andere-gemeente": () => newSignal(WIJKTEAM, ELSEWHERE, ELSEWHERE),
};
const signalObjects = new Map<string, SignalObject>();
async function signalObject(kind: string): Promise<SignalObject> {
  const make = SIGNAL_OBJECTS[kind];
  if (!make) throw new Error(`unknown node object "${kind}" (known: ${Object.keys(SIGNAL_OBJECTS).join(", ")})`);
  let o = signalObjects.get(kind);
  if (!o) {
    o = await make();
    signalObjects.set(kind, o);
  }
  return o;
}

/** A match and ib's signal in it. */
interface MatchObject {
  matchId: string;
  ibSignal: string;
}
const MATCH_OBJECTS: Record<string, () => Promise<MatchObject>> = {
  // A client match held by the Amsterdam node: ib and jgz on one Amsterdam youth.
  "match-hier": async () => {
    const bsn = freshYouth(HERE);
    const ib = await registerAs(IB, HERE, bsn);
    const jgz = await registerAs(JGZ, HERE, bsn);
    return { matchId: jgz.matches[0]!.id, ibSignal: ib.id };
  },
  // A client match held by the Zaanstad node: wijkteam there, and ib through Amsterdam, on one Zaanstad youth.
  "match-andere-gemeente": async () => {
    const bsn = freshYouth(ELSEWHERE);
    await registerAs(WIJKTEAM, ELSEWHERE, bsn);
    const ib = await registerAs(IB, HERE, bsn);
    return { matchId: ib.matches[0]!.id, ibSignal: ib.id };
  },
};
const matchObjects = new Map<string, MatchObject>();
async function matchObject(kind: string): Promise<MatchObject> {
  const make = MATCH_OBJECTS[kind];
  if (!make) throw new Error(`unknown match object "${kind}" (known: ${Object.keys(MATCH_OBJECTS).join(", ")})`);
  let o = matchObjects.get(kind);
  if (!o) {
    o = await make();
    matchObjects.set(kind, o);
  }
  return o;
}

/** The hub table's objects: an organisation, or a professional the test put in the register, of the coordinator's own organisation or another. */
const MATRIX_PEOPLE = {
  "eigen-organisatie": { email: "matrix@buurtschool.example", organisatieId: "buurtschool" },
  "andere-organisatie": { email: "matrix@ggd.example", organisatieId: "ggd-amsterdam" },
};
const personInput = (p: { email: string; organisatieId: string }) => ({
  email: p.email,
  naam: "Matrix Professional",
  functie: "Medewerker",
  telefoon: "020 555 0199",
  organisatieId: p.organisatieId,
  rol: "professional",
});
const personId = (kind: string) => {
  const p = MATRIX_PEOPLE[kind as keyof typeof MATRIX_PEOPLE];
  if (!p) throw new Error(`unknown hub object "${kind}"`);
  return demoSubject(p.email);
};
const ORGANISATIONS = { "eigen-organisatie": "buurtschool", "andere-organisatie": "ggd-amsterdam" };
const organisationInput = new Map<string, unknown>();

async function designated(kind: string) {
  const res = await request("hub", "convenantmanager", "PUT", `/api/v1/register/personen/${personId(kind)}/aanwijzing`, { medisch: false });
  if (res.status !== 200) throw new Error(`re-designating the matrix professional (${kind}): ${res.status} ${res.code}`);
}

/** The path, body and afterwards-step of one cell. */
async function prepare(row: Row): Promise<{ path: string; body?: unknown; after: (status: number) => Promise<void> }> {
  const none = async () => {};
  if (row.service === "node") {
    if (row.method === "POST" && row.path === "/api/v1/signalen") {
      const lives = row.object === "jeugdige-elders" ? ELSEWHERE : row.object === "jeugdige-hier" ? HERE : undefined;
      if (!lives) throw new Error(`${MATRIX_FILE}:${row.line}: POST /api/v1/signalen takes object jeugdige-hier or jeugdige-elders`);
      return { path: row.path, body: { bsn: freshYouth(lives), geinformeerd: false, redenNietGeinformeerd: "nog-niet-bereikt" }, after: none };
    }
    // The AVG desk: a BSN in the body, of a youth with a signal here (`jeugdige-hier`) or in Zaanstad (`jeugdige-elders`).
    if (row.path === "/api/v1/avg/zoeken" || row.path === "/api/v1/avg/rectificeren") {
      const kind = row.object === "jeugdige-hier" ? "eigen" : row.object === "jeugdige-elders" ? "andere-gemeente" : undefined;
      if (!kind) throw new Error(`${MATRIX_FILE}:${row.line}: ${row.path} takes object jeugdige-hier or jeugdige-elders`);
      return { path: row.path, body: { bsn: (await signalObject(kind)).bsn }, after: none };
    }
    // A handover from a professional without signals (the matrix's) to a designated colleague of the same organisation.
    if (row.path === "/api/v1/overdrachten") {
      const body =
        row.object === "eigen-organisatie"
          ? { van: MATRIX_PEOPLE["eigen-organisatie"].email, naar: IB }
          : row.object === "andere-organisatie"
            ? { van: MATRIX_PEOPLE["andere-organisatie"].email, naar: JGZ }
            : undefined;
      if (!body) throw new Error(`${MATRIX_FILE}:${row.line}: ${row.path} takes object eigen-organisatie or andere-organisatie`);
      return { path: row.path, body, after: none };
    }
    if (row.path.startsWith("/api/v1/matchregie/matches/{id}") || row.path === "/api/v1/matches/{id}/status") {
      const m = await matchObject(row.object);
      const body = row.path.endsWith("/status") ? { status: "contact-gelegd" } : row.path.endsWith("/regievoerder") ? { signaalId: m.ibSignal } : undefined;
      return { path: row.path.replace("{id}", m.matchId), body, after: none };
    }
    if (!row.path.includes("{id}")) {
      if (row.object !== "–") throw new Error(`${MATRIX_FILE}:${row.line}: a route without {id} has object –`);
      return { path: row.path, after: none };
    }
    const { id } = await signalObject(row.object);
    const path = row.path.replace("{id}", id) + (row.path.endsWith("/inzage") ? "?voor=ouders" : "");
    const usedUp = row.method === "POST";
    const body = row.path.endsWith("/verlengen")
      ? { einddatum: "2028-06-30" }
      : row.path.endsWith("/verwijderen")
        ? { reden: "geen-grondslag" }
        : row.method === "POST"
          ? {}
          : undefined;
    return {
      path,
      body,
      after: async (status) => {
        if (usedUp && status < 300) signalObjects.delete(row.object);
      },
    };
  }
  // hub
  if (row.path.includes("{organisatieId}")) {
    const org = ORGANISATIONS[row.object as keyof typeof ORGANISATIONS];
    if (!org) throw new Error(`${MATRIX_FILE}:${row.line}: unknown organisation object "${row.object}"`);
    return { path: row.path.replace("{organisatieId}", org), body: row.method === "PUT" ? organisationInput.get(org) : undefined, after: none };
  }
  if (row.path.includes("{persoonId}")) {
    const path = row.path.replace("{persoonId}", personId(row.object));
    if (row.path.endsWith("/aanwijzing")) {
      if (row.method === "DELETE") await designated(row.object);
      return { path, body: row.method === "PUT" ? { medisch: false } : undefined, after: none };
    }
    const p = MATRIX_PEOPLE[row.object as keyof typeof MATRIX_PEOPLE];
    return { path, body: row.method === "PUT" ? personInput(p) : undefined, after: none };
  }
  if (row.object !== "–") throw new Error(`${MATRIX_FILE}:${row.line}: a route without an id has object –`);
  return { path: row.path + (row.path === "/api/v1/regio/cijfers" ? `?jaar=${TODAY.slice(0, 4)}` : ""), after: none };
}

const answer = (r: { status: number; code?: string }) => (r.code && r.status >= 400 ? `${r.status} ${r.code}` : String(r.status));

const matrix = readMatrix();

beforeAll(async () => {
  f = await startFederation({
    gemeenten: [HERE, ELSEWHERE],
    population: POPULATION,
    // ib signals on many different youths here on purpose.
    nodeEnv: { PATROON_MAX_JEUGDIGEN: "0" },
  });
  for (const org of Object.values(ORGANISATIONS)) {
    const res = await f.hubCall(CONVENANTMANAGER, "GET", `/api/v1/register/organisaties/${org}`);
    if (res.status !== 200) throw new Error(`reading organisation ${org}: ${res.status}`);
    const { id: _, ...input } = res.body;
    organisationInput.set(org, input);
  }
  for (const p of Object.values(MATRIX_PEOPLE)) {
    const put = await f.hubCall(CONVENANTMANAGER, "PUT", `/api/v1/register/personen/${demoSubject(p.email)}`, personInput(p));
    if (put.status !== 200) throw new Error(`adding ${p.email} to the register: ${put.status} ${JSON.stringify(put.body)}`);
  }
  for (const kind of Object.keys(MATRIX_PEOPLE)) await designated(kind);
  // Every node holds the register with the matrix professionals before the first cell.
  for (const n of f.nodes.values()) await n.refreshRegister();
}, 180_000);
afterAll(async () => f?.close(), 60_000);

describe("the authorisation matrix covers every route", () => {
  const [node, hub] = servedApis();
  const tables: [Row["service"], Set<string>][] = [
    ["node", servedRoutes("node", node?.app.routes ?? [])],
    ["hub", servedRoutes("hub", hub?.app.routes ?? [])],
    // The admin apps, built as the services build them (their routes are registered without touching ctx).
    ["beheer-node", servedRoutes("beheer-node", createNodeAdminApp({ log: { info() {}, warn() {}, error() {}, debug() {} } } as never).routes)],
    ["beheer-hub", servedRoutes("beheer-hub", createHubAdminApp({ log: { info() {}, warn() {}, error() {}, debug() {} } } as never).routes)],
  ];

  it.each(tables)("every %s route has a row, and every row is a route", (service, served) => {
    const inTable = new Set(matrix.rows.filter((r) => r.service === service).map((r) => `${r.method} ${r.path}`));
    expect([...served].filter((r) => !inTable.has(r)).sort(), `routes missing from ${MATRIX_FILE}`).toEqual([]);
    expect([...inTable].filter((r) => !served.has(r)).sort(), `rows for routes that do not exist`).toEqual([]);
  });

  it("every table has a column for every role, and every cell is filled", () => {
    expect(matrix.columns).toEqual(Object.keys(ROLES));
    const empty = matrix.rows.flatMap((r) =>
      Object.entries(r.expected)
        .filter(([, v]) => !/^\d{3}( [A-Z_]+)?$/.test(v))
        .map(([role]) => `line ${r.line} ${role}`),
    );
    expect(empty).toEqual([]);
  });
});

describe("every cell of the authorisation matrix", () => {
  for (const service of ["node", "hub"] as const) {
    it(`${service}: every role gets what the table says, on every object`, async () => {
      const differences: string[] = [];
      for (const row of matrix.rows.filter((r) => r.service === service)) {
        for (const role of Object.keys(ROLES)) {
          const cell = await prepare(row);
          const res = await request(service, role, row.method, cell.path, cell.body);
          await cell.after(res.status);
          const got = answer(res);
          if (got !== row.expected[role])
            differences.push(`| ${row.method} ${row.path} | ${row.object} | ${role} | expected ${row.expected[role]} | got ${got} |`);
        }
      }
      expect(differences, `cells that differ from ${MATRIX_FILE}`).toEqual([]);
    }, 240_000);
  }

  it("the admin side is not on the public port: every admin route is 404 there for every role", async () => {
    const differences: string[] = [];
    for (const row of matrix.rows.filter((r) => r.service === "beheer-node" || r.service === "beheer-hub")) {
      for (const role of Object.keys(ROLES)) {
        const res = await request(row.service === "beheer-hub" ? "hub" : "node", role, row.method, row.path);
        if (answer(res) !== row.expected[role])
          differences.push(`| ${row.method} ${row.path} | ${role} | expected ${row.expected[role]} | got ${answer(res)} |`);
      }
      // On the admin port (the operators' network, docs/adr/0009) it answers without a token.
      const adminUrl = row.service === "beheer-hub" ? f.hub.adminUrl : f.node(HERE).adminUrl;
      const admin = await fetch(`${adminUrl}${row.path}`);
      await admin.body?.cancel();
      if (admin.status !== 200) differences.push(`| ${row.method} ${row.path} | admin port | expected 200 | got ${admin.status} |`);
    }
    expect(differences).toEqual([]);
  });
});
