export type RejectReason = "forged" | "expired" | "wrong-audience" | "unknown-issuer" | "replayed" | "malformed" | "unencrypted" | "undecryptable";

export const REJECT_REASONS: readonly RejectReason[] = [
  "forged",
  "expired",
  "wrong-audience",
  "unknown-issuer",
  "replayed",
  "malformed",
  "unencrypted",
  "undecryptable",
];

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Counters of verified events, by outcome. */
export class EventMetrics {
  accepted = 0;
  rejected: Record<RejectReason, number> = {
    forged: 0,
    expired: 0,
    "wrong-audience": 0,
    "unknown-issuer": 0,
    replayed: 0,
    malformed: 0,
    unencrypted: 0,
    undecryptable: 0,
  };

  count(reason: RejectReason): void {
    this.rejected[reason] += 1;
  }

  /** Prometheus text exposition format. */
  toPrometheus(service: string): string {
    const s = label(service);
    const lines = [
      "# HELP vi_events_accepted_total Signed events that passed verification.",
      "# TYPE vi_events_accepted_total counter",
      `vi_events_accepted_total{service="${s}"} ${this.accepted}`,
      "# HELP vi_events_rejected_total Signed events rejected, by reason.",
      "# TYPE vi_events_rejected_total counter",
      ...REJECT_REASONS.map((r) => `vi_events_rejected_total{service="${s}",reason="${r}"} ${this.rejected[r]}`),
    ];
    return `${lines.join("\n")}\n`;
  }
}
