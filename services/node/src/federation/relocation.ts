/**
 * Relocation: when the BRP reports that a youth with signals here moved to
 * another gemeente of the region, the signals (with their client matches) move
 * to that gemeente's node; the professionals and the new gemeente's
 * matchregisseur are told. The old node keeps only pointers for its own
 * professionals. Both sides are idempotent, so a crash halfway is repaired by
 * processing the same mutation again.
 */
import { and, eq, inArray } from "drizzle-orm";
import { enqueue } from "@vi/db";
import { signEvent } from "@vi/events";
import { gemeenteByCode } from "@vi/demo";
import type { NodeContext } from "../context";
import { Problem } from "../problems";
import { audit } from "../logic/audit";
import {
  afterCommit,
  deleteYouthWithoutSignals,
  enqueueRefUpdate,
  lockFamily,
  lookupYouth,
  matchSignal,
  upsertRef,
  upsertYouth,
  type SignaalView,
} from "../logic/signalen";
import { enqueueIndex } from "./index-events";
import { subjects } from "./federation";
import { insertMeldingen, type MeldingRow } from "./notifier";
import { callNode, ensureRemoteActor, type ActorSnapshot } from "./rpc";

export interface TransferPackage {
  bsn: string;
  vanGemeente: string;
  datum: string;
  signalen: Array<{
    id: string;
    professional: ActorSnapshot;
    status: "actief" | "gearchiveerd";
    geregistreerdOp: string;
    startdatum: string;
    einddatum: string;
    geinformeerd: boolean;
    redenNietGeinformeerd: string | null;
    gearchiveerdOp: string | null;
    archiefReden: string | null;
    archiefMatchGebruikt: boolean;
    entryNode: string;
    versie: number;
  }>;
  matches: Array<{ id: string; soort: "client" | "gezin"; signaalA: string; signaalB: string; viaArchief: boolean; aangemaaktOp: string }>;
}

export interface Mutation {
  seq: number;
  soort: string;
  bsn: string;
  vanGemeente: string;
  naarGemeente: string;
  datum: string;
}

/** Reads the BRP's mutation feed (the fake BRP's `GET /beheer/mutaties?vanaf=N`). */
export async function fetchMutations(url: string, vanaf: number): Promise<Mutation[]> {
  const u = new URL(url);
  u.searchParams.set("vanaf", String(vanaf));
  const res = await fetch(u, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`mutation feed answered ${res.status}`);
  const body = (await res.json()) as { mutaties: Mutation[] };
  return body.mutaties;
}

/** Moves out every youth here whose BRP residence is now another gemeente of the region. */
export async function processMutations(ctx: NodeContext, mutations: Mutation[]): Promise<number> {
  let moved = 0;
  for (const m of mutations) {
    if (m.soort !== "verhuizing" || m.naarGemeente === ctx.gemeente.code) continue;
    const [youth] = await ctx.db.select({ id: ctx.t.jeugdigen.id }).from(ctx.t.jeugdigen).where(eq(ctx.t.jeugdigen.bsn, m.bsn));
    if (!youth) continue;
    if (!ctx.regioGemeenten.includes(m.naarGemeente)) {
      ctx.log.warn({ naar: m.naarGemeente }, "youth moved out of the region; signals stay until the national bridge takes them");
      continue;
    }
    await transferYouth(ctx, youth.id, m.bsn, m.naarGemeente, m.datum);
    moved++;
  }
  return moved;
}

export async function transferYouth(ctx: NodeContext, jeugdigeId: string, bsn: string, naar: string, datum: string): Promise<void> {
  const { t } = ctx;
  const rows = await ctx.db
    .select({ s: t.signalen, p: t.professionals, o: t.organisaties, naam: t.jeugdigen.naam, geboortedatum: t.jeugdigen.geboortedatum })
    .from(t.signalen)
    .innerJoin(t.professionals, eq(t.professionals.id, t.signalen.professionalId))
    .innerJoin(t.organisaties, eq(t.organisaties.id, t.signalen.organisatieId))
    .innerJoin(t.jeugdigen, eq(t.jeugdigen.id, t.signalen.jeugdigeId))
    .where(eq(t.signalen.jeugdigeId, jeugdigeId));
  const ids = rows.map((r) => r.s.id);
  const matches = ids.length
    ? await ctx.db
        .select()
        .from(t.matches)
        .where(and(inArray(t.matches.signaalA, ids), inArray(t.matches.signaalB, ids)))
    : [];
  const pkg: TransferPackage = {
    bsn,
    vanGemeente: ctx.gemeente.code,
    datum,
    signalen: rows.map(({ s, p, o }) => ({
      id: s.id,
      professional: {
        email: p.email,
        naam: p.naam,
        functie: p.functie,
        telefoon: p.telefoon,
        rol: p.rol,
        signaleringsbevoegd: p.signaleringsbevoegd,
        medisch: p.medisch,
        organisatie: { id: o.id, naam: o.naam, domein: o.domein },
      },
      status: s.status,
      geregistreerdOp: s.geregistreerdOp.toISOString(),
      startdatum: s.startdatum,
      einddatum: s.einddatum,
      geinformeerd: s.geinformeerd,
      redenNietGeinformeerd: s.redenNietGeinformeerd,
      gearchiveerdOp: s.gearchiveerdOp,
      archiefReden: s.archiefReden,
      archiefMatchGebruikt: s.archiefMatchGebruikt,
      entryNode: s.entryNode,
      versie: s.versie,
    })),
    matches: matches.map((m) => ({
      id: m.id,
      soort: m.soort,
      signaalA: m.signaalA,
      signaalB: m.signaalB,
      viaArchief: m.viaArchief,
      aangemaaktOp: m.aangemaaktOp.toISOString(),
    })),
  };
  await callNode(ctx, naar, "jeugdige.overdracht", null, pkg);
  await ctx.db.transaction(async (tx) => {
    // Pointers for this node's own professionals; the signals now live at `naar`.
    for (const { s, p, o, naam, geboortedatum } of rows) {
      if (s.entryNode !== ctx.gemeente.code) continue;
      const view: SignaalView = {
        id: s.id,
        status: s.status,
        jeugdige: { bsn, naam, geboortedatum },
        organisatie: { id: o.id, naam: o.naam },
        geregistreerdOp: s.geregistreerdOp.toISOString(),
        startdatum: s.startdatum,
        einddatum: s.einddatum,
        geinformeerd: s.geinformeerd,
        redenNietGeinformeerd: s.redenNietGeinformeerd,
        gearchiveerdOp: s.gearchiveerdOp,
      };
      await upsertRef(tx, ctx, p.id, naar, view);
    }
    await tx.delete(t.signalen).where(eq(t.signalen.jeugdigeId, jeugdigeId));
    await deleteYouthWithoutSignals(tx, ctx, [jeugdigeId]);
    await audit(tx, t, { actie: "jeugdige.verhuisd", actor: "systeem", jeugdigeId, at: ctx.clock.now(), details: { naar, signalen: ids.length } });
  });
  ctx.log.info({ naar, signalen: ids.length }, "youth moved out");
}

/** The receiving side of a relocation. */
export async function importTransfer(ctx: NodeContext, from: string, pkg: TransferPackage): Promise<{ signalen: number }> {
  const { t } = ctx;
  const persoon = await lookupYouth(ctx, pkg.bsn);
  if (persoon.gemeenteCode !== ctx.gemeente.code) {
    throw new Problem("JEUGDIGE_ANDERE_GEMEENTE", `Volgens de BRP woont deze jeugdige niet in ${ctx.gemeente.naam}.`);
  }
  const actors = new Map<string, string>();
  for (const s of pkg.signalen) {
    if (!actors.has(s.professional.email)) actors.set(s.professional.email, (await ensureRemoteActor(ctx.db, ctx, s.professional)).professionalId);
  }
  const now = ctx.clock.now();
  const naarNaam = ctx.gemeente.naam;
  const meldingen: MeldingRow[] = [];
  await ctx.db.transaction(async (tx) => {
    const [inst] = persoon.adres
      ? await tx.select().from(t.instellingsadressen).where(eq(t.instellingsadressen.adresId, persoon.adres.adresseerbaarObjectId))
      : [];
    const adresId = persoon.adres?.adresseerbaarObjectId ?? null;
    await lockFamily(tx, ctx, pkg.bsn, persoon.ouders, adresId && !inst ? adresId : null);
    const jeugdigeId = await upsertYouth(tx, ctx, persoon, now);
    const arrived: string[] = [];
    for (const s of pkg.signalen) {
      const professionalId = actors.get(s.professional.email)!;
      const [row] = await tx
        .insert(t.signalen)
        .values({
          id: s.id,
          jeugdigeId,
          professionalId,
          organisatieId: s.professional.organisatie.id,
          status: s.status,
          geregistreerdOp: new Date(s.geregistreerdOp),
          startdatum: s.startdatum,
          einddatum: s.einddatum,
          geinformeerd: s.geinformeerd,
          redenNietGeinformeerd: s.redenNietGeinformeerd,
          gearchiveerdOp: s.gearchiveerdOp,
          archiefReden: s.archiefReden,
          archiefMatchGebruikt: s.archiefMatchGebruikt,
          entryNode: s.entryNode,
          // Newer than anything the old node announced, so the hub takes this node's word.
          versie: Math.max(s.versie + 1, now.getTime()),
          bijgewerktOp: now,
        })
        .onConflictDoNothing()
        .returning({ id: t.signalen.id });
      if (row) arrived.push(row.id);
    }
    if (pkg.matches.length) {
      await tx
        .insert(t.matches)
        .values(pkg.matches.map((m) => ({ ...m, aangemaaktOp: new Date(m.aangemaaktOp) })))
        .onConflictDoNothing();
    }
    if (arrived.length === 0) return; // already imported: nothing more to do
    // Family matches with youths of this gemeente (deterministic ids: a pair matched before is not matched again).
    for (const s of pkg.signalen.filter((x) => x.status === "actief" && arrived.includes(x.id))) {
      const made = await matchSignal(tx, ctx, {
        signalId: s.id,
        professionalId: actors.get(s.professional.email)!,
        youth: { youthId: jeugdigeId, parentBsns: persoon.ouders, addressId: adresId, institutionAddress: Boolean(inst) },
        now,
        familyOnly: true,
      });
      meldingen.push(...made.meldingen);
    }
    await enqueueIndex(tx, ctx, arrived);
    await enqueueRefUpdate(
      tx,
      ctx,
      pkg.signalen.filter((s) => arrived.includes(s.id)).map((s) => ({ id: s.id, entryNode: s.entryNode, status: s.status, einddatum: s.einddatum })),
    );
    // Tell the professionals (at the node they registered through) and this gemeente's matchregisseurs.
    const remote: { subject: string; token: string; msgId: string }[] = [];
    const local: Omit<MeldingRow, "id">[] = [];
    const inhoud = (signaalId: string | null) => ({
      vanGemeente: pkg.vanGemeente,
      naarGemeente: ctx.gemeente.code,
      naarGemeenteNaam: naarNaam,
      datum: pkg.datum,
      signaalId,
    });
    for (const s of pkg.signalen.filter((x) => arrived.includes(x.id))) {
      if (s.entryNode === ctx.gemeente.code) {
        local.push({
          soort: "verhuizing",
          sleutel: `verhuizing:${s.id}:${ctx.gemeente.code}`,
          professionalId: actors.get(s.professional.email)!,
          signaalId: s.id,
          inhoud: inhoud(s.id),
          aangemaaktOp: now,
        });
      } else if (ctx.fed) {
        const { token, jti } = await signEvent(ctx.fed.keys, {
          type: "verhuizing.melding",
          aud: s.entryNode,
          data: { signaalId: s.id, voor: { email: s.professional.email }, vanGemeente: pkg.vanGemeente, naarGemeente: ctx.gemeente.code, datum: pkg.datum },
        });
        remote.push({ subject: subjects.melding(s.entryNode), token, msgId: jti });
      }
    }
    const regisseurs = await tx
      .select({ id: t.professionals.id })
      .from(t.professionals)
      .where(and(eq(t.professionals.rol, "matchregisseur"), eq(t.professionals.lokaal, true)));
    for (const r of regisseurs) {
      local.push({
        soort: "verhuizing",
        sleutel: `verhuizing:${jeugdigeId}:${ctx.gemeente.code}:${pkg.datum}`,
        professionalId: r.id,
        signaalId: null,
        inhoud: inhoud(null),
        aangemaaktOp: now,
      });
    }
    await enqueue(tx, t.outbox, remote);
    meldingen.push(...(await insertMeldingen(tx, t, local)));
    await audit(tx, t, { actie: "jeugdige.binnengekomen", actor: "systeem", jeugdigeId, at: now, details: { van: from, signalen: arrived.length } });
  });
  afterCommit(ctx, meldingen);
  ctx.log.info({ van: from, naar: gemeenteByCode(ctx.gemeente.code)?.code }, "youth moved in");
  return { signalen: pkg.signalen.length };
}
