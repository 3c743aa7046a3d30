import { REFUSAL_REASONS, type RefusalReason } from "./signing";

/** Refused signed requests and answers, by reason (docs/national-chain.md): the admin port's /metrics. */
export class FscMetrics {
  readonly refused: Record<RefusalReason, number> = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
  accepted = 0;
  count(reason: RefusalReason): void {
    this.refused[reason] += 1;
  }
  toPrometheus(service: string): string {
    return [
      `# HELP vi_fsc_refused_total Signed requests or answers refused by ${service}, by reason.`,
      "# TYPE vi_fsc_refused_total counter",
      ...REFUSAL_REASONS.map((r) => `vi_fsc_refused_total{service="${service}",reason="${r}"} ${this.refused[r]}`),
      "# HELP vi_fsc_accepted_total Signed requests or answers accepted.",
      "# TYPE vi_fsc_accepted_total counter",
      `vi_fsc_accepted_total{service="${service}"} ${this.accepted}`,
      "",
    ].join("\n");
  }
}
