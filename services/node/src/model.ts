/** Types every layer of the node shares. */
import type { HerinneringInhoud, MatchInhoud, OverdrachtInhoud, VerhuizingInhoud } from "@vi/events";

/** A melding as stored: its content (`inhoud`) in the shape @vi/events declares for its kind. */
interface NoticeBase {
  id: string;
  sleutel: string;
  professionalId: string;
  signaalId: string | null;
  aangemaaktOp: Date;
}

export type NoticeRow =
  | (NoticeBase & { soort: "match"; inhoud: MatchInhoud })
  | (NoticeBase & { soort: "verhuizing"; inhoud: VerhuizingInhoud })
  | (NoticeBase & { soort: "herinnering"; inhoud: HerinneringInhoud })
  | (NoticeBase & { soort: "overdracht"; inhoud: OverdrachtInhoud });
export type NewNotice = NoticeRow extends infer R ? (R extends NoticeRow ? Omit<R, "id"> : never) : never;

/** A melding that was deleted (its match or signal is gone): whose it was, so their open streams are told. */
export interface RemovedNotice {
  id: string;
  professionalId: string;
  signaalId: string | null;
  soort: string;
}
