/** The fake BRP's data: fixture persons, an optional generated population, and an overlay of mutations on top. */
import { anyGemeente, DATUM_ONBEKEND, demoPersons, type BrpAddress, type BrpRecord, type Population } from "@vi/demo";

/** A mutation in the feed: a relocation (also within the gemeente), a death, or another change of the person's data. */
export interface RelocationEvent {
  seq: number;
  soort: "verhuizing" | "overlijden" | "wijziging";
  bsn: string;
  vanGemeente: string;
  naarGemeente: string;
  /** YYYY-MM-DD */
  datum: string;
}

export interface FakeBrpStore {
  get(bsn: string): BrpRecord | undefined;
  relocate(bsn: string, to: { gemeenteCode: string; adres: BrpAddress }): RelocationEvent;
  /** `date` YYYY-MM-DD, or DATUM_ONBEKEND: deceased according to the BRP, on a date it does not know. */
  markDeceased(bsn: string, date: string): void;
  /** Any other change of a person's data (parents, date of birth): a `wijziging` in the feed. */
  change(bsn: string, patch: Partial<Pick<BrpRecord, "ouders" | "geboortedatum" | "geheimhouding">>): RelocationEvent;
  mutationsSince(seq: number): RelocationEvent[];
  onMutation(listener: (e: RelocationEvent) => void): () => void;
}

/** A refused mutation; `code` maps to an HTTP status in the beheer routes. Messages never contain a BSN. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: "ONBEKEND" | "ONGELDIG" | "OVERLEDEN",
  ) {
    super(message);
  }
}

const clone = (r: BrpRecord): BrpRecord => ({ ...r, adres: { ...r.adres }, ouders: [...r.ouders] });

export function createStore(opts: { today: string; population?: Population }): FakeBrpStore {
  const fixtures = new Map(demoPersons(opts.today).map((p) => [p.bsn, p]));
  const overlay = new Map<string, BrpRecord>();
  const events: RelocationEvent[] = [];
  const listeners = new Set<(e: RelocationEvent) => void>();

  function current(bsn: string): BrpRecord | undefined {
    return overlay.get(bsn) ?? fixtures.get(bsn) ?? opts.population?.byBsn(bsn);
  }

  function existing(bsn: string): BrpRecord {
    const rec = current(bsn);
    if (!rec) throw new StoreError("Persoon is niet bekend in de BRP.", "ONBEKEND");
    return rec;
  }

  function emit(e: Omit<RelocationEvent, "seq">): RelocationEvent {
    const event: RelocationEvent = { seq: events.length + 1, ...e };
    events.push(event);
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        /* a listener's failure must not undo the mutation */
      }
    }
    return event;
  }

  return {
    get(bsn) {
      const rec = current(bsn);
      return rec && clone(rec);
    },
    relocate(bsn, to) {
      const rec = existing(bsn);
      if (!/^GM\d{4}$/.test(to.gemeenteCode) || !anyGemeente(to.gemeenteCode)) {
        throw new StoreError("Onbekende gemeentecode.", "ONGELDIG");
      }
      if (rec.overlijdensdatum) throw new StoreError("Een overleden persoon kan niet verhuizen.", "OVERLEDEN");
      overlay.set(bsn, { ...clone(rec), gemeenteCode: to.gemeenteCode, adres: { ...to.adres } });
      return emit({ soort: "verhuizing", bsn, vanGemeente: rec.gemeenteCode, naarGemeente: to.gemeenteCode, datum: opts.today });
    },
    markDeceased(bsn, date) {
      const rec = existing(bsn);
      if (rec.overlijdensdatum) throw new StoreError("Persoon is al overleden.", "OVERLEDEN");
      if (date !== DATUM_ONBEKEND && rec.geboortedatum !== DATUM_ONBEKEND && date < rec.geboortedatum)
        throw new StoreError("Overlijdensdatum ligt voor de geboortedatum.", "ONGELDIG");
      overlay.set(bsn, { ...clone(rec), overlijdensdatum: date });
      emit({ soort: "overlijden", bsn, vanGemeente: rec.gemeenteCode, naarGemeente: rec.gemeenteCode, datum: date === DATUM_ONBEKEND ? opts.today : date });
    },
    change(bsn, patch) {
      const rec = existing(bsn);
      overlay.set(bsn, { ...clone(rec), ...patch, ...(patch.ouders ? { ouders: [...patch.ouders] } : {}) });
      return emit({ soort: "wijziging", bsn, vanGemeente: rec.gemeenteCode, naarGemeente: rec.gemeenteCode, datum: opts.today });
    },
    mutationsSince(seq) {
      // seq values are 1, 2, 3, ... in order: everything after `seq` starts at array index `seq`.
      return events.slice(Math.max(0, Math.floor(seq))).map((e) => ({ ...e }));
    },
    onMutation(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
