/**
 * Queries on signals and youths. Each takes the database (or the
 * transaction) as its first argument; none decides a rule.
 */
import type { Persoon } from "@vi/brp";
import { type Db, type KeptPseudonyms, type NodeTables, rowsOf } from "@vi/db";
import { and, arrayOverlaps, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";

export type SignaalRow = NodeTables["signalen"]["$inferSelect"];
export type NewSignaal = NodeTables["signalen"]["$inferInsert"];

/** A signal with its youth's name and date of birth and its organisation (what a signal view shows). */
export function signalsWithYouth(db: Db, t: NodeTables) {
  return db
    .select({
      signaal: t.signalen,
      jeugdige: { bsn: t.jeugdigen.bsn, naam: t.jeugdigen.naam, geboortedatum: t.jeugdigen.geboortedatum, zonderBsn: t.jeugdigen.zonderBsn },
      organisatie: { id: t.organisaties.id, naam: t.organisaties.naam },
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId));
}

export type SignalWithYouth = NonNullable<Awaited<ReturnType<typeof findOwnSignal>>>;

/** The professional's own signal with this id, or undefined. */
export async function findOwnSignal(db: Db, t: NodeTables, professionalId: string, id: string) {
  const [row] = await signalsWithYouth(db, t).where(and(eq(t.signalen.id, id), eq(t.signalen.professionalId, professionalId)));
  return row;
}

export async function listOwnSignalRows(db: Db, t: NodeTables, professionalId: string, status?: "actief" | "gearchiveerd") {
  return signalsWithYouth(db, t)
    .where(and(eq(t.signalen.professionalId, professionalId), status ? eq(t.signalen.status, status) : undefined))
    .orderBy(t.signalen.geregistreerdOp);
}

/** True when the professional holds a signal with this id at this node. */
export async function holdsSignal(db: Db, t: NodeTables, professionalId: string, id: string): Promise<boolean> {
  const [local] = await db
    .select({ id: t.signalen.id })
    .from(t.signalen)
    .where(and(eq(t.signalen.id, id), eq(t.signalen.professionalId, professionalId)));
  return Boolean(local);
}

export async function youthDates(db: Db, t: NodeTables, jeugdigeId: string) {
  const [row] = await db
    .select({ geboortedatum: t.jeugdigen.geboortedatum, overlijdensdatum: t.jeugdigen.overlijdensdatum, overleden: t.jeugdigen.overleden })
    .from(t.jeugdigen)
    .where(eq(t.jeugdigen.id, jeugdigeId));
  return row;
}

/** What the node keeps of a youth registered without a BSN (the facts the card needs), or undefined. */
export async function youthWithoutBsn(db: Db, t: NodeTables, jeugdigeId: string) {
  const [row] = await db
    .select({
      bsn: t.jeugdigen.bsn,
      naam: t.jeugdigen.naam,
      geboortedatum: t.jeugdigen.geboortedatum,
      geslacht: t.jeugdigen.geslacht,
      gemeenteCode: t.jeugdigen.gemeenteCode,
    })
    .from(t.jeugdigen)
    .where(and(eq(t.jeugdigen.id, jeugdigeId), eq(t.jeugdigen.zonderBsn, true)));
  return row;
}

export async function findYouthByBsn(db: Db, t: NodeTables, bsn: string): Promise<{ id: string } | undefined> {
  const [row] = await db
    .select({ id: t.jeugdigen.id })
    .from(t.jeugdigen)
    .where(and(eq(t.jeugdigen.bsn, bsn), eq(t.jeugdigen.zonderBsn, false)));
  return row;
}

/**
 * Registrations that could match each other (same youth, a shared parent, the same residential address) are
 * serialised, so no match is missed: this takes their locks, to the transaction's end. An institution's address
 * (a care home, a boarding school: in `instellingsadressen`) makes no family, so it is not locked; whether the
 * address is one is answered in the same statement. One round trip.
 */
export async function lockFamily(
  db: Db,
  t: NodeTables,
  family: { scope: string; bsn: string; ouders: string[]; adresId: string | null },
): Promise<{ institution: boolean }> {
  const { scope, bsn, ouders, adresId } = family;
  const addressKey = adresId ? `${scope}:a:${adresId}` : null;
  // Sorted, so two registrations never wait on each other in opposite order.
  const keys = [`${scope}:j:${bsn}`, ...ouders.map((o) => `${scope}:o:${o}`), ...(addressKey ? [addressKey] : [])].sort();
  const [row] = rowsOf<{ institution: boolean }>(
    await db.execute(
      sql`with instelling as (select exists (select 1 from ${t.instellingsadressen} where ${t.instellingsadressen.adresId} = ${adresId}) as ja)
          select instelling.ja as institution,
                 (select count(pg_advisory_xact_lock(hashtext(k))) from unnest(ARRAY[${sql.join(
                   keys.map((k) => sql`${k}`),
                   sql`, `,
                 )}]::text[]) with ordinality as t(k, i) where not (instelling.ja and k = ${addressKey})) as locked
            from instelling`,
    ),
  );
  return { institution: Boolean(row?.institution) };
}

/** Stores the youth as the BRP knows them now; returns their id. */
/**
 * Stores the youth as the BRP gives them now; `pseudoniemen` are the hub's pseudonyms of exactly these values, kept
 * for a rebuild (docs/adr/0047). Without them a change of the values clears what was kept (the row's trigger).
 */
export async function upsertYouth(
  db: Db,
  t: NodeTables,
  persoon: Persoon,
  now: Date,
  opts: { zonderBsn?: boolean; pseudoniemen?: KeptPseudonyms } = {},
): Promise<string> {
  const youthFields = {
    naam: persoon.naam.volledigeNaam,
    geslacht: persoon.geslacht,
    geboortedatum: persoon.geboortedatum,
    overlijdensdatum: persoon.overlijdensdatum || null,
    overleden: persoon.overlijdensdatum !== null,
    gemeenteCode: persoon.gemeenteCode,
    ouders: persoon.ouders,
    adresId: persoon.adres?.adresseerbaarObjectId ?? null,
    geheimhouding: persoon.geheimhouding,
    brpOpgehaaldOp: now,
    ...(opts.pseudoniemen ? { pseudoniemen: opts.pseudoniemen } : {}),
  };
  const [jeugdige] = await db
    .insert(t.jeugdigen)
    .values({ bsn: persoon.bsn, zonderBsn: opts.zonderBsn ?? false, ...youthFields })
    .onConflictDoUpdate({ target: [t.jeugdigen.bsn, t.jeugdigen.zonderBsn], set: youthFields })
    .returning({ id: t.jeugdigen.id });
  return jeugdige!.id;
}

/** What of a youth makes a family: the parents and the residential address, as stored. */
export async function youthFamily(db: Db, t: NodeTables, jeugdigeId: string) {
  const [row] = await db.select({ ouders: t.jeugdigen.ouders, adresId: t.jeugdigen.adresId }).from(t.jeugdigen).where(eq(t.jeugdigen.id, jeugdigeId));
  return row;
}

/** Stores what the BRP holds of the youth now; a date of birth the BRP no longer gives is kept as it was. */
export async function updateYouthFromBrp(db: Db, t: NodeTables, jeugdigeId: string, persoon: Persoon, now: Date): Promise<void> {
  await db
    .update(t.jeugdigen)
    .set({
      naam: persoon.naam.volledigeNaam,
      geslacht: persoon.geslacht,
      ...(persoon.geboortedatum ? { geboortedatum: persoon.geboortedatum } : {}),
      overlijdensdatum: persoon.overlijdensdatum || null,
      overleden: persoon.overlijdensdatum !== null,
      gemeenteCode: persoon.gemeenteCode,
      ouders: persoon.ouders,
      adresId: persoon.adres?.adresseerbaarObjectId || null,
      geheimhouding: persoon.geheimhouding,
      brpOpgehaaldOp: now,
    })
    .where(eq(t.jeugdigen.id, jeugdigeId));
}

/** The signals on one youth: whose, and whether active. */
export async function signalsOfYouth(db: Db, t: NodeTables, jeugdigeId: string) {
  return db
    .select({ id: t.signalen.id, status: t.signalen.status, professionalId: t.signalen.professionalId })
    .from(t.signalen)
    .where(eq(t.signalen.jeugdigeId, jeugdigeId))
    .orderBy(t.signalen.id);
}

/**
 * Inserts a signal on the youth stored under `youth` (BSN, or the facts' key of a youth without one), found by a
 * subquery: sent in the same round trip as the youth's upsert, it sees the row that upsert wrote.
 */
export async function insertSignal(
  db: Db,
  t: NodeTables,
  youth: { bsn: string; zonderBsn: boolean },
  values: Omit<NewSignaal, "jeugdigeId">,
): Promise<SignaalRow> {
  const jeugdigeId = sql`(select ${t.jeugdigen.id} from ${t.jeugdigen} where ${t.jeugdigen.bsn} = ${youth.bsn} and ${t.jeugdigen.zonderBsn} = ${youth.zonderBsn})`;
  const [row] = await db
    .insert(t.signalen)
    .values({ ...values, jeugdigeId })
    .returning();
  return row!;
}

/** Inserts signals that arrived from another node; returns the ids that were new here. */
export async function insertArrivedSignals(db: Db, t: NodeTables, values: NewSignaal[]): Promise<string[]> {
  const ids: string[] = [];
  for (const v of values) {
    const [row] = await db.insert(t.signalen).values(v).onConflictDoNothing().returning({ id: t.signalen.id });
    if (row) ids.push(row.id);
  }
  return ids;
}

/** Changes one signal (`onlyIfActive`: unless it was archived meanwhile); returns it as it is now, if it changed. */
export async function updateSignal(
  db: Db,
  t: NodeTables,
  id: string,
  set: Partial<Omit<NewSignaal, "versie">> & { versie?: ReturnType<typeof nextVersion> },
  opts: { onlyIfActive?: boolean } = {},
): Promise<SignaalRow | undefined> {
  const [row] = await db
    .update(t.signalen)
    .set(set)
    .where(and(eq(t.signalen.id, id), opts.onlyIfActive ? eq(t.signalen.status, "actief") : undefined))
    .returning();
  return row;
}

/**
 * The next version of a changed signal for the hub's index: strictly greater
 * than the last one, also when the clock stands still (tests) or goes back.
 */
export function nextVersion(t: NodeTables, now: Date) {
  return sql<number>`greatest(${t.signalen.versie} + 1, ${now.getTime()})`;
}

export async function deleteSignals(db: Db, t: NodeTables, ids: string[]): Promise<void> {
  if (ids.length) await db.delete(t.signalen).where(inArray(t.signalen.id, ids));
}

export async function deleteSignalsOfYouth(db: Db, t: NodeTables, jeugdigeId: string): Promise<void> {
  await db.delete(t.signalen).where(eq(t.signalen.jeugdigeId, jeugdigeId));
}

/** Removes these youths when no signal (active or archived) is left: the BSN leaves the index. Returns how many went. */
export async function deleteYouthWithoutSignals(db: Db, t: NodeTables, jeugdigeIds: string[]): Promise<number> {
  if (jeugdigeIds.length === 0) return 0;
  const gone = await db
    .delete(t.jeugdigen)
    .where(and(inArray(t.jeugdigen.id, jeugdigeIds), sql`not exists (select 1 from ${t.signalen} where ${t.signalen.jeugdigeId} = ${t.jeugdigen.id})`))
    .returning({ id: t.jeugdigen.id });
  return gone.length;
}

/** The other signals on the same youth (active and archived), as match candidates. */
export async function sameYouthSignals(db: Db, t: NodeTables, youthId: string, exceptSignalId: string) {
  return db
    .select({
      signalId: t.signalen.id,
      professionalId: t.signalen.professionalId,
      youthId: t.signalen.jeugdigeId,
      status: t.signalen.status,
      archiveMatchUsed: t.signalen.archiefMatchGebruikt,
    })
    .from(t.signalen)
    .where(and(eq(t.signalen.jeugdigeId, youthId), ne(t.signalen.id, exceptSignalId)));
}

/**
 * Active signals on other youths sharing a parent or the address: candidates the domain decides on.
 *
 * The youths are found first, by the indexes on parents and address, and their signals by the index on the youth:
 * written as a join, the planner misjudged how many youths share a parent (the array statistics cannot tell) and
 * scanned every signal of the node instead (a parallel sequential scan, 60 ms at 156 thousand signals, growing with
 * what is stored).
 */
export async function familySignals(db: Db, t: NodeTables, youth: FamilyOf) {
  return (await familySignalsQuery(db, t, youth)) ?? [];
}

type FamilyOf = { youthId: string; parentBsns: string[]; addressId: string | null };

/** The query of familySignals, not yet run (undefined when the youth has no parents or address to share); for its plan. */
export function familySignalsQuery(db: Db, t: NodeTables, youth: FamilyOf) {
  const conditions: SQL[] = [];
  if (youth.parentBsns.length > 0) conditions.push(arrayOverlaps(t.jeugdigen.ouders, youth.parentBsns));
  if (youth.addressId) conditions.push(eq(t.jeugdigen.adresId, youth.addressId));
  if (conditions.length === 0) return undefined;
  return db
    .select({
      signalId: t.signalen.id,
      professionalId: t.signalen.professionalId,
      youthId: t.signalen.jeugdigeId,
      status: t.signalen.status,
      archiveMatchUsed: t.signalen.archiefMatchGebruikt,
      ouders: t.jeugdigen.ouders,
      adresId: t.jeugdigen.adresId,
      instelling: sql<boolean>`exists (select 1 from ${t.instellingsadressen} where ${t.instellingsadressen.adresId} = ${t.jeugdigen.adresId})`,
      geboortedatum: t.jeugdigen.geboortedatum,
      overlijdensdatum: t.jeugdigen.overlijdensdatum,
      overleden: t.jeugdigen.overleden,
    })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(
      and(
        eq(t.signalen.status, "actief"),
        sql`${t.signalen.jeugdigeId} = any(array(select ${t.jeugdigen.id} from ${t.jeugdigen} where ${t.jeugdigen.id} <> ${youth.youthId} and (${or(...conditions)})))`,
      ),
    );
}

/** Every signal on a youth with its professional and organisation (client card, inzage). */
export async function involvementOf(db: Db, t: NodeTables, jeugdigeId: string) {
  return db
    .select({
      signalId: t.signalen.id,
      status: t.signalen.status,
      startdatum: t.signalen.startdatum,
      einddatum: t.signalen.einddatum,
      gearchiveerdOp: t.signalen.gearchiveerdOp,
      organisatie: t.organisaties.naam,
      domein: t.organisaties.domein,
      professionalId: t.signalen.professionalId,
      naam: t.professionals.naam,
      functie: t.professionals.functie,
      telefoon: t.professionals.telefoon,
      email: t.professionals.email,
      medisch: t.professionals.medisch,
      geinformeerd: t.signalen.geinformeerd,
    })
    .from(t.signalen)
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId))
    .orderBy(t.signalen.startdatum);
}

/** Every signal of a youth with its professional and organisation (what a relocation carries). */
export async function signalsOfYouthForTransfer(db: Db, t: NodeTables, jeugdigeId: string) {
  return db
    .select({ s: t.signalen, p: t.professionals, o: t.organisaties, naam: t.jeugdigen.naam, geboortedatum: t.jeugdigen.geboortedatum })
    .from(t.signalen)
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId));
}

/** The youth's own name for a signal held here. */
export async function youthNameOfSignal(db: Db, t: NodeTables, signaalId: string): Promise<string | undefined> {
  const [local] = await db
    .select({ naam: t.jeugdigen.naam })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(eq(t.signalen.id, signaalId));
  return local?.naam;
}

export async function youthNamesOfSignals(db: Db, t: NodeTables, signalIds: string[]) {
  if (signalIds.length === 0) return [];
  return db
    .select({ id: t.signalen.id, naam: t.jeugdigen.naam })
    .from(t.signalen)
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(inArray(t.signalen.id, signalIds));
}
