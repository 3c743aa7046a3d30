/**
 * The region's register at the hub (MISSION.md, "The register"): the single source of authorisation. Organisations
 * with their category and the gemeenten they have a convenant with; the people each organisation registered
 * (professionals with their designation, coordinators, matchregisseurs and privacy officers per gemeente, the
 * convenantmanager). Every change is numbered (the register's version), audit-logged in the hub's hash chain and
 * published to every node as a signed `register.bijgewerkt` event through the outbox, in the same transaction.
 */
import { appendToAuditChain, type Db, enqueue, type HubTables } from "@vi/db";
import { type RegisterInhoud, type RegisterOrganisatie, type RegisterPersoon, sealEvent, signEvent, subjects } from "@vi/events";
import { currentTrace } from "@vi/service";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { HubContext } from "./context";
import { problem } from "./problems";

export type { RegisterInhoud, RegisterOrganisatie, RegisterPersoon };

/** Who changes or reads the register: a person of the register, from their verified token. */
export type RegisterActor = RegisterPersoon;

export const REGISTER_AUDIT_ACTIONS = {
  "register.geladen": "The register was loaded into an empty hub (the seed, REGISTER_BESTAND)",
  "register.gelezen": "Someone read the register (organisations, people or changes)",
  "organisatie.gewijzigd": "An organisation was added or changed (name, category, convenants)",
  "persoon.gewijzigd": "A person was added to the register or changed",
  "aanwijzing.gegeven": "A professional was designated signaleringsbevoegd",
  "aanwijzing.ingetrokken": "A professional's designation was revoked",
  // Not the register's, but the same chain of the hub (audit-anchor-consumer.ts, docs/adr/0026).
  "auditketen.verankerd": "A node's audit chain head arrived and was kept as an anchor (details: node, regelId, hash)",
  "auditketen.teruggelopen":
    "A node sent a head that is not after its last anchored one: its chain may have been cut at the end (details: node, regelId, vorigeRegelId)",
} as const;
export type RegisterAuditAction = keyof typeof REGISTER_AUDIT_ACTIONS;

type Tx = Db;

type PersonRow = HubTables["registerPersonen"]["$inferSelect"];

function personOf(r: PersonRow): RegisterPersoon {
  return {
    sub: r.sub,
    email: r.email,
    naam: r.naam,
    functie: r.functie,
    telefoon: r.telefoon,
    organisatieId: r.organisatieId,
    rol: r.rol,
    gemeente: r.gemeente,
    signaleringsbevoegd: r.signaleringsbevoegd,
    medisch: r.medisch,
    aangewezenOp: r.aangewezenOp,
    ingetrokkenOp: r.ingetrokkenOp,
  };
}

/** The register's version: the number of its last change (0 while empty). */
export async function registerVersion(db: Db, ctx: Pick<HubContext, "t">): Promise<number> {
  const [row] = await db
    .select({ versie: ctx.t.registerWijzigingen.versie })
    .from(ctx.t.registerWijzigingen)
    .orderBy(desc(ctx.t.registerWijzigingen.versie))
    .limit(1);
  return row?.versie ?? 0;
}

/** The whole register at one version (read in one transaction, so version and content agree). */
export async function readRegister(ctx: Pick<HubContext, "db" | "t">): Promise<RegisterInhoud> {
  const { t } = ctx;
  return ctx.db.transaction(
    async (tx) => {
      const versie = await registerVersion(tx, ctx);
      const organisaties = await tx.select().from(t.registerOrganisaties).orderBy(asc(t.registerOrganisaties.id));
      const personen = await tx.select().from(t.registerPersonen).orderBy(asc(t.registerPersonen.email));
      const adressen = await tx.select().from(t.registerInstellingsadressen).orderBy(asc(t.registerInstellingsadressen.adresId));
      return {
        versie,
        organisaties: organisaties.map((o) => ({ id: o.id, naam: o.naam, domein: o.domein, aangeslotenBij: o.aangeslotenBij })),
        professionals: personen.map(personOf),
        instellingsadressen: adressen.map((a) => ({ adresId: a.adresId, omschrijving: a.omschrijving })),
      };
    },
    { isolationLevel: "repeatable read" },
  );
}

/** The person whose token carries this subject, if the register holds them. */
export async function personBySubject(ctx: Pick<HubContext, "db" | "t">, sub: string): Promise<RegisterPersoon | undefined> {
  const [row] = await ctx.db.select().from(ctx.t.registerPersonen).where(eq(ctx.t.registerPersonen.sub, sub));
  return row && personOf(row);
}

export interface RegisterSeed {
  organisaties: { id: string; naam: string; domein: string; aangeslotenBij: string[] }[];
  professionals: (Omit<RegisterPersoon, "rol"> & { rol: string })[];
  instellingsadressen: { adresId: string; omschrijving?: string | null }[];
}

const ROLES = new Set(["professional", "coordinator", "matchregisseur", "privacyfunctionaris", "convenantmanager", "systeem"]);

/**
 * Loads a register into an empty hub (the demo, the tests, or a region's first start from its file). Does
 * nothing when the hub's register already has content: from then on the hub's tables are the source.
 */
export async function seedRegister(ctx: Pick<HubContext, "db" | "t" | "clock" | "keys" | "config" | "log">, seed: RegisterSeed): Promise<boolean> {
  const { t } = ctx;
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-register:${ctx.config.DB_SCHEMA}`}))`);
    if ((await registerVersion(tx, ctx)) > 0) return false;
    const [any] = await tx.select({ id: t.registerOrganisaties.id }).from(t.registerOrganisaties).limit(1);
    if (any) return false;
    if (seed.organisaties.length) await tx.insert(t.registerOrganisaties).values(seed.organisaties);
    const personen = seed.professionals.map((p) => {
      if (!ROLES.has(p.rol)) throw new Error(`register seed: ${p.email} has unknown role "${p.rol}"`);
      return { ...p, email: p.email.toLowerCase(), rol: p.rol as RegisterPersoon["rol"], gemeente: p.gemeente ?? null };
    });
    if (personen.length) await tx.insert(t.registerPersonen).values(personen);
    if (seed.instellingsadressen.length) await tx.insert(t.registerInstellingsadressen).values(seed.instellingsadressen).onConflictDoNothing();
    const now = ctx.clock.now();
    await tx.insert(t.registerWijzigingen).values({
      tijdstip: now,
      actor: "systeem",
      soort: "register.geladen",
      object: "register",
      inhoud: { organisaties: seed.organisaties.length, personen: personen.length },
    });
    await auditRegister(tx, ctx, [
      { actie: "register.geladen", actor: "systeem", details: { organisaties: seed.organisaties.length, personen: personen.length }, at: now },
    ]);
    return true;
  });
}

interface RegisterAuditEntry {
  actie: RegisterAuditAction;
  actor: RegisterActor | "systeem" | { caseSystem: string };
  /** What the row is about: an organisation id or a person's subject. */
  object?: string;
  details?: Record<string, unknown>;
  at: Date;
}

/** Writes rows of the hub's audit chain (the same chain as the nodes', @vi/db). */
export async function auditRegister(tx: Db, ctx: Pick<HubContext, "t">, entries: RegisterAuditEntry[]): Promise<void> {
  const trace = currentTrace();
  await appendToAuditChain(
    tx,
    ctx.t.auditLog,
    entries.map((e) => ({
      tijdstip: e.at,
      actie: e.actie,
      actor: e.actor === "systeem" ? "systeem" : "caseSystem" in e.actor ? e.actor.caseSystem : e.actor.email,
      namens: e.actor === "systeem" || "caseSystem" in e.actor ? null : e.actor.organisatieId,
      jeugdigeId: null,
      signaalId: null,
      details: { ...(e.object ? { object: e.object } : {}), ...e.details, ...(trace ? { traceId: trace.traceId, spanId: trace.spanId } : {}) },
    })),
  );
}

const forbidden = (detail: string) => problem("GEEN_TOEGANG", detail);

/** Only the convenantmanager maintains organisations and people other than an organisation's own professionals. */
function assertConvenantmanager(actor: RegisterActor): void {
  if (actor.rol !== "convenantmanager") throw forbidden("Alleen de convenantmanager van de regio kan dit wijzigen.");
}

/** The convenantmanager may touch every organisation; a coordinator only their own. */
function assertMayMaintain(actor: RegisterActor, organisatieId: string): void {
  if (actor.rol === "convenantmanager") return;
  if (actor.rol === "coordinator" && actor.organisatieId === organisatieId) return;
  throw forbidden(
    actor.rol === "coordinator"
      ? "U bent coördinator van een andere organisatie: u kunt alleen de aanwijzingen van uw eigen organisatie beheren."
      : "Alleen de convenantmanager of de coördinator van de organisatie kan het register inzien en wijzigen.",
  );
}

/** Who may read the register: the convenantmanager everything, a coordinator their own organisation. */
export async function listOrganisations(ctx: Pick<HubContext, "db" | "t" | "clock">, actor: RegisterActor): Promise<RegisterOrganisatie[]> {
  if (actor.rol !== "convenantmanager" && actor.rol !== "coordinator") assertMayMaintain(actor, "");
  const rows = await ctx.db.select().from(ctx.t.registerOrganisaties).orderBy(asc(ctx.t.registerOrganisaties.id));
  const visible = rows.filter((o) => actor.rol === "convenantmanager" || o.id === actor.organisatieId);
  return visible.map((o) => ({ id: o.id, naam: o.naam, domein: o.domein, aangeslotenBij: o.aangeslotenBij }));
}

export async function getOrganisation(ctx: Pick<HubContext, "db" | "t">, actor: RegisterActor, id: string): Promise<RegisterOrganisatie> {
  assertMayMaintain(actor, id);
  const [o] = await ctx.db.select().from(ctx.t.registerOrganisaties).where(eq(ctx.t.registerOrganisaties.id, id));
  if (!o) throw problem("ORGANISATIE_NIET_GEVONDEN", `Het register kent geen organisatie "${id}".`);
  return { id: o.id, naam: o.naam, domein: o.domein, aangeslotenBij: o.aangeslotenBij };
}

/** People of one organisation (or all, for the convenantmanager); the list is audit-logged as a read. */
export async function listPeople(ctx: HubContext, actor: RegisterActor, organisatieId?: string): Promise<RegisterPersoon[]> {
  const scope = actor.rol === "convenantmanager" ? organisatieId : (organisatieId ?? actor.organisatieId);
  if (scope !== undefined) assertMayMaintain(actor, scope);
  else assertConvenantmanager(actor);
  return ctx.db.transaction(async (tx) => {
    const q = tx.select().from(ctx.t.registerPersonen);
    const rows = await (scope === undefined ? q : q.where(eq(ctx.t.registerPersonen.organisatieId, scope))).orderBy(asc(ctx.t.registerPersonen.email));
    await auditRegister(tx, ctx, [{ actie: "register.gelezen", actor, object: scope ?? "register", details: { aantal: rows.length }, at: ctx.clock.now() }]);
    return rows.map(personOf);
  });
}

export async function getPerson(ctx: HubContext, actor: RegisterActor, sub: string): Promise<RegisterPersoon> {
  const [row] = await ctx.db.select().from(ctx.t.registerPersonen).where(eq(ctx.t.registerPersonen.sub, sub));
  // Not found and not yours look the same to a coordinator of another organisation.
  if (!row || (actor.rol !== "convenantmanager" && !(actor.rol === "coordinator" && actor.organisatieId === row.organisatieId))) {
    if (actor.rol !== "convenantmanager" && actor.rol !== "coordinator") assertMayMaintain(actor, "");
    throw problem("PERSOON_NIET_GEVONDEN", "Het register kent deze persoon niet in uw organisatie.");
  }
  await auditRegister(ctx.db, ctx, [{ actie: "register.gelezen", actor, object: sub, at: ctx.clock.now() }]);
  return personOf(row);
}

/** One numbered change: stored, audit-logged and published to every node, all in the caller's transaction. */
async function recordChange(
  tx: Tx,
  ctx: HubContext,
  actor: RegisterActor,
  change: {
    actie: RegisterAuditAction;
    object: string;
    organisaties?: RegisterOrganisatie[];
    professionals?: RegisterPersoon[];
    details?: Record<string, unknown>;
  },
): Promise<number> {
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(ctx.t.registerWijzigingen)
    .values({
      tijdstip: now,
      actor: actor.email,
      soort: change.actie,
      object: change.object,
      inhoud: { organisaties: change.organisaties ?? [], professionals: change.professionals ?? [] },
    })
    .returning({ versie: ctx.t.registerWijzigingen.versie });
  const versie = row!.versie;
  await auditRegister(tx, ctx, [{ actie: change.actie, actor, object: change.object, details: { versie, ...change.details }, at: now }]);
  const trace = currentTrace();
  // Sealed to each node on its own subject: the change names professionals (docs/federation.md, "Encrypted payloads").
  const data = {
    versie,
    organisaties: change.organisaties ?? [],
    professionals: change.professionals ?? [],
    ...(trace ? { traceparent: `00-${trace.traceId}-${trace.spanId}-01` } : {}),
  };
  const events = [];
  for (const node of ctx.config.NODES) {
    const { token, jti } = await sealEvent(ctx.keys, ctx.trust, { type: "register.bijgewerkt", aud: node.code, data });
    events.push({ subject: subjects.register(node.code), token, msgId: jti });
  }
  await enqueue(tx, ctx.t.outbox, events);
  return versie;
}

/** Changes are numbered one after the other: one writer at a time. */
async function lockRegister(tx: Tx, ctx: HubContext): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`vi-register:${ctx.config.DB_SCHEMA}`}))`);
}

/** Adds or changes an organisation (convenantmanager only). */
export async function putOrganisation(
  ctx: HubContext,
  actor: RegisterActor,
  org: RegisterOrganisatie,
): Promise<{ organisatie: RegisterOrganisatie; versie: number }> {
  assertConvenantmanager(actor);
  const versie = await ctx.db.transaction(async (tx) => {
    await lockRegister(tx, ctx);
    const t = ctx.t.registerOrganisaties;
    await tx
      .insert(t)
      .values(org)
      .onConflictDoUpdate({ target: t.id, set: { naam: org.naam, domein: org.domein, aangeslotenBij: org.aangeslotenBij } });
    return recordChange(tx, ctx, actor, { actie: "organisatie.gewijzigd", object: org.id, organisaties: [org] });
  });
  ctx.relay.kick();
  return { organisatie: org, versie };
}

export type PersonInput = Omit<RegisterPersoon, "sub" | "signaleringsbevoegd" | "medisch" | "aangewezenOp" | "ingetrokkenOp">;

/**
 * Adds or changes a person. The convenantmanager: anyone. A coordinator: a professional of their own organisation
 * (not a role, not another organisation). The designation itself changes only through designate/revoke.
 */
export async function putPerson(ctx: HubContext, actor: RegisterActor, sub: string, input: PersonInput): Promise<{ persoon: RegisterPersoon; versie: number }> {
  assertMayMaintain(actor, input.organisatieId);
  if (actor.rol === "coordinator" && input.rol !== "professional")
    throw forbidden("Een coördinator kan alleen professionals van de eigen organisatie registreren.");
  const result = await ctx.db.transaction(async (tx) => {
    await lockRegister(tx, ctx);
    const t = ctx.t.registerPersonen;
    const [org] = await tx
      .select({ id: ctx.t.registerOrganisaties.id })
      .from(ctx.t.registerOrganisaties)
      .where(eq(ctx.t.registerOrganisaties.id, input.organisatieId));
    if (!org) throw problem("ORGANISATIE_NIET_GEVONDEN", `Het register kent geen organisatie "${input.organisatieId}".`);
    const [existing] = await tx.select().from(t).where(eq(t.sub, sub));
    if (existing && actor.rol === "coordinator" && existing.organisatieId !== actor.organisatieId)
      throw problem("PERSOON_NIET_GEVONDEN", "Het register kent deze persoon niet in uw organisatie.");
    const [sameEmail] = await tx.select({ sub: t.sub }).from(t).where(eq(t.email, input.email.toLowerCase()));
    if (sameEmail && sameEmail.sub !== sub) throw problem("EMAIL_AL_GEREGISTREERD", "Dit e-mailadres hoort in het register al bij een andere persoon.");
    const values = { ...input, sub, email: input.email.toLowerCase(), gemeente: input.gemeente ?? null };
    // A person changing organisation or role loses a designation given for the old one.
    const keepsDesignation = existing && existing.organisatieId === input.organisatieId && input.rol === "professional";
    const [row] = await tx
      .insert(t)
      .values(values)
      .onConflictDoUpdate({
        target: t.sub,
        set: {
          ...values,
          ...(keepsDesignation
            ? {}
            : { signaleringsbevoegd: false, medisch: false, ingetrokkenOp: existing?.signaleringsbevoegd ? today(ctx) : existing?.ingetrokkenOp }),
        },
      })
      .returning();
    const persoon = personOf(row!);
    const versie = await recordChange(tx, ctx, actor, { actie: "persoon.gewijzigd", object: sub, professionals: [persoon] });
    return { persoon, versie };
  });
  ctx.relay.kick();
  return result;
}

function today(ctx: Pick<HubContext, "clock">): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

/** Designates a professional signaleringsbevoegd (medical or not), from today. */
export async function designate(ctx: HubContext, actor: RegisterActor, sub: string, opts: { medisch: boolean }) {
  return setDesignation(ctx, actor, sub, { signaleringsbevoegd: true, medisch: opts.medisch });
}

/** Revokes a professional's designation; every node refuses their next signal within seconds. */
export async function revoke(ctx: HubContext, actor: RegisterActor, sub: string) {
  return setDesignation(ctx, actor, sub, { signaleringsbevoegd: false, medisch: false });
}

async function setDesignation(ctx: HubContext, actor: RegisterActor, sub: string, to: { signaleringsbevoegd: boolean; medisch: boolean }) {
  const result = await ctx.db.transaction(async (tx) => {
    await lockRegister(tx, ctx);
    const t = ctx.t.registerPersonen;
    const [existing] = await tx.select().from(t).where(eq(t.sub, sub));
    if (!existing || (actor.rol === "coordinator" && existing.organisatieId !== actor.organisatieId)) {
      // Someone else's person and no person look the same to a coordinator (no probing of other organisations).
      if (actor.rol !== "convenantmanager" && actor.rol !== "coordinator") assertMayMaintain(actor, "");
      throw problem("PERSOON_NIET_GEVONDEN", "Het register kent deze persoon niet in uw organisatie.");
    }
    assertMayMaintain(actor, existing.organisatieId);
    if (existing.rol !== "professional") throw problem("GEEN_PROFESSIONAL", "Alleen een professional kan signaleringsbevoegd worden aangewezen.");
    const date = today(ctx);
    const set = to.signaleringsbevoegd
      ? { signaleringsbevoegd: true, medisch: to.medisch, aangewezenOp: existing.signaleringsbevoegd ? existing.aangewezenOp : date, ingetrokkenOp: null }
      : { signaleringsbevoegd: false, medisch: false, ingetrokkenOp: existing.signaleringsbevoegd ? date : existing.ingetrokkenOp };
    const [row] = await tx.update(t).set(set).where(eq(t.sub, sub)).returning();
    const persoon = personOf(row!);
    const versie = await recordChange(tx, ctx, actor, {
      actie: to.signaleringsbevoegd ? "aanwijzing.gegeven" : "aanwijzing.ingetrokken",
      object: sub,
      professionals: [persoon],
      details: { medisch: to.medisch },
    });
    return { persoon, versie };
  });
  ctx.relay.kick();
  return result;
}

/** The numbered changes of the register, newest first (convenantmanager only). */
export async function listChanges(ctx: HubContext, actor: RegisterActor, limit: number) {
  assertConvenantmanager(actor);
  const rows = await ctx.db.select().from(ctx.t.registerWijzigingen).orderBy(desc(ctx.t.registerWijzigingen.versie)).limit(limit);
  return rows.map((r) => ({ versie: r.versie, tijdstip: r.tijdstip.toISOString(), actor: r.actor, soort: r.soort, object: r.object }));
}

/** The whole register signed for one node (`register.volledig`, addressed to it). */
export async function signedRegisterFor(ctx: HubContext, node: string): Promise<{ token: string; versie: number }> {
  const inhoud = await readRegister(ctx);
  const { token } = await signEvent(ctx.keys, { type: "register.volledig", aud: node, data: inhoud, ttlSec: 120 });
  return { token, versie: inhoud.versie };
}
