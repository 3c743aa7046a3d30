/**
 * The benchmark's bulk import path: loads signals straight into the nodes'
 * and the hub's tables, set-based, keeping every rule a registration keeps:
 *
 * - each youth is a BRP person of the fake BRP (valid BSN, elfproef checked),
 *   under 23 and alive on the day (the domain's planRegistration decides),
 *   stored at the node of the gemeente where the BRP registers them;
 * - the end date is the region's default, within 2 years and before the 23rd
 *   birthday (planRegistration again);
 * - one signal per youth by one professional (one active per professional per
 *   youth), and the caller passes at most one youth per family and address,
 *   so the imported signals owe each other no match (checked here);
 * - the hub's index gets the same pseudonymous entry a `signaal.index` event
 *   would carry (computed here with the pseudonym service's key version 1,
 *   which the benchmark generated and gave the service: a loader acting as
 *   the key holder, never a node), and the youth keeps the same pseudonyms
 *   for a rebuild (docs/adr/0047); an audit row, a link of the node's audit
 *   chain, records each import.
 *
 * It is for loading benchmark volumes (up to millions) in minutes; normal
 * operation registers through the API.
 */
import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import type { BrpRecord } from "@vi/demo";
import { chainHash, GENESIS } from "@vi/db";
import { bsnCheck, planRegistration } from "@vi/domain";
import { evaluatePseudonym, type PseudonymKind } from "@vi/pseudonym";

export interface ImportProfessional {
  id: string;
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  organisatie: string;
  domein: string;
}

export async function bulkImport(
  sql: Sql,
  opts: {
    today: string;
    /** The pseudonym service's secret key of version 1 (the benchmark made its seed). */
    pseudonymKey: Uint8Array;
    institutions: Set<string>;
    professionalFor: (gemeenteCode: string) => ImportProfessional;
    youths: BrpRecord[];
    batch?: number;
  },
): Promise<number> {
  const ps = (kind: PseudonymKind, value: string) => evaluatePseudonym(opts.pseudonymKey, { kind, value });
  const seenParents = new Set<string>();
  const seenAddresses = new Set<string>();
  const byNode = new Map<string, { y: BrpRecord; einddatum: string }[]>();
  for (const y of opts.youths) {
    if (!bsnCheck(y.bsn).ok) throw new Error("import: invalid BSN");
    const plan = planRegistration({
      today: opts.today,
      defaultDurationMonths: 12,
      geinformeerd: true,
      youth: { birthDate: y.geboortedatum, deceasedOn: y.overlijdensdatum ?? null },
    });
    if (!plan.ok) throw new Error(`import: ${plan.error.code}`);
    const address = y.adres.adresseerbaarObjectId;
    if (y.ouders.some((p) => seenParents.has(p)) || (!opts.institutions.has(address) && seenAddresses.has(address))) {
      throw new Error("import: two imported youths would owe each other a family match");
    }
    for (const p of y.ouders) seenParents.add(p);
    if (!opts.institutions.has(address)) seenAddresses.add(address);
    const list = byNode.get(y.gemeenteCode) ?? [];
    list.push({ y, einddatum: plan.value.einddatum });
    byNode.set(y.gemeenteCode, list);
  }
  const batch = opts.batch ?? 5000;
  const now = new Date();
  let total = 0;
  for (const [code, list] of byNode) {
    const schema = code.toLowerCase();
    const prof = opts.professionalFor(code);
    for (let i = 0; i < list.length; i += batch) {
      const part = list.slice(i, i + batch);
      const jIds = part.map(() => randomUUID());
      const sIds = part.map(() => randomUUID());
      const versie = now.getTime();
      // Each value's pseudonym once: for the hub's index and for the youth to keep (docs/adr/0047).
      const pj = part.map((p) => ps("jeugdige", p.y.bsn));
      const po = part.map((p) => p.y.ouders.map((o) => ps("ouder", o)));
      const pa = part.map((p) => (opts.institutions.has(p.y.adres.adresseerbaarObjectId) ? null : ps("adres", p.y.adres.adresseerbaarObjectId)));
      const kept = part.map((_, k) => JSON.stringify({ "1": { j: pj[k], o: po[k], ...(pa[k] ? { a: pa[k] } : {}) } }));
      await sql.begin(async (tx) => {
        await tx.unsafe(
          `insert into "${schema}".jeugdigen (id, bsn, naam, geslacht, geboortedatum, overlijdensdatum, gemeente_code, ouders, adres_id, geheimhouding, brp_opgehaald_op, pseudoniemen)
           select id, bsn, naam, geslacht, geboortedatum, null, $7, string_to_array(ouders, ','), adres, geheim::bool, $8, kept::jsonb
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $9::text[], $10::text[], $11::text[]) as t(id, bsn, naam, geslacht, geboortedatum, ouders, adres, geheim, kept)`,
          [
            jIds,
            part.map((p) => p.y.bsn),
            part.map((p) => [p.y.voornamen, p.y.voorvoegsel, p.y.geslachtsnaam].filter(Boolean).join(" ")),
            part.map((p) => p.y.geslacht),
            part.map((p) => p.y.geboortedatum),
            part.map((p) => p.y.ouders.join(",")),
            code,
            now,
            part.map((p) => p.y.adres.adresseerbaarObjectId),
            part.map((p) => (p.y.geheimhouding ? "true" : "false")),
            kept,
          ] as never[],
        );
        await tx.unsafe(
          `insert into "${schema}".signalen (id, jeugdige_id, professional_id, organisatie_id, status, geregistreerd_op, startdatum, einddatum, geinformeerd, entry_node, versie, bijgewerkt_op)
           select id, jid, $3, $4, 'actief', $5, $6, einddatum, true, $7, $8, $5
           from unnest($1::uuid[], $2::uuid[], $9::date[]) as t(id, jid, einddatum)`,
          [sIds, jIds, prof.id, prof.organisatieId, now, opts.today, code, versie, part.map((p) => p.einddatum)] as never[],
        );
        // Links of the node's audit chain, as appendToAuditChain (@vi/db) writes them: under the chain's lock, the
        // head and the ids drawn together, each row hashed on the one before it.
        await tx.unsafe(`select pg_advisory_xact_lock(hashtext($1))`, [`vi-audit-chain:${schema}`]);
        const drawn = await tx.unsafe(
          `select (select hash from "${schema}".audit_log where hash is not null order by id desc limit 1) as head,
                  nextval(pg_get_serial_sequence('"${schema}".audit_log', 'id')) as id
             from generate_series(1, $1)`,
          [part.length],
        );
        let previous: string = drawn[0]?.head ?? GENESIS;
        const links = part.map((_, k) => {
          const row = {
            id: Number(drawn[k]!.id),
            tijdstip: now,
            actie: "signaal.geimporteerd",
            actor: "systeem",
            namens: prof.organisatieId,
            jeugdigeId: jIds[k]!,
            signaalId: sIds[k]!,
            details: null,
          };
          const hash = chainHash(previous, row);
          const link = { id: row.id, vorige: previous, hash };
          previous = hash;
          return link;
        });
        await tx.unsafe(
          `insert into "${schema}".audit_log (id, tijdstip, actie, actor, namens, jeugdige_id, signaal_id, vorige_hash, hash)
           select id, $3, 'signaal.geimporteerd', 'systeem', $4, jid, sid, vorige, hash
           from unnest($1::uuid[], $2::uuid[], $5::bigint[], $6::text[], $7::text[]) as t(sid, jid, id, vorige, hash)`,
          [sIds, jIds, now, prof.organisatieId, links.map((l) => l.id), links.map((l) => l.vorige), links.map((l) => l.hash)] as never[],
        );
        await tx.unsafe(
          `insert into hub.index_signalen (signaal_id, node, entry_node, status, versie, jeugdige, ouders, adres, professional, bijgewerkt_op)
           select sid, $2, $2, 'actief', $3, j, string_to_array(o, ','), a, $4::text::jsonb, $5
           from unnest($1::uuid[], $6::text[], $7::text[], $8::text[]) as t(sid, j, o, a)`,
          [
            sIds,
            code,
            versie,
            JSON.stringify({
              email: prof.email,
              naam: prof.naam,
              functie: prof.functie,
              telefoon: prof.telefoon,
              organisatie: prof.organisatie,
              domein: prof.domein,
            }),
            now,
            pj,
            po.map((o) => o.join(",")),
            pa,
          ] as never[],
        );
      });
      total += part.length;
    }
  }
  return total;
}
