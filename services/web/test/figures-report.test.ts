import { describe, expect, it } from "vitest";
import { barChartSvg, yearReportCsv, yearReportPdf } from "../src/logic/figures-report";
import type { RegionFigures } from "../src/outbound/hub-api";

const c = (aantal: number | null) => ({ aantal, weergave: aantal === null ? "< 5" : String(aantal) });
const figures: RegionFigures = {
  jaar: 2026,
  opvolgtermijnDagen: 14,
  maanden: ["2026-11"],
  domeinen: ["onderwijs"],
  gemeenten: [{ code: "GM0363", naam: "Amsterdam", beantwoord: true }],
  rijen: [
    {
      gemeente: "GM0363",
      maand: "2026-11",
      domein: "onderwijs",
      signalen: c(null),
      clientmatches: c(0),
      gezinsmatches: c(6),
      opvolgbareMatches: c(12),
      contactBinnenTermijn: c(6),
      opvolgingPercentage: 50,
    },
  ],
};

describe("the convenantmanager's exports and charts", () => {
  it("keep '< 5' in the CSV and write shares with a decimal comma", () => {
    const lines = yearReportCsv(figures, "Regio Amsterdam").trim().split("\r\n");
    expect(lines[0]).toBe(
      "gemeente;gemeentenaam;maand;domein;signalen;clientmatches;gezinsmatches;opvolgbare_matches;contact_binnen_termijn;opvolging_procent",
    );
    expect(lines[1]).toBe("GM0363;Amsterdam;2026-11;onderwijs;< 5;0;6;12;6;50");
  });

  it("draw a suppressed count as a marked bar, never as its number", () => {
    const svg = barChartSvg({ id: "g", titel: "Signalen", labels: ["nov"], reeksen: [{ naam: "Signalen", klasse: "vi-bar--1", waarden: [c(null)] }] });
    expect(svg).toContain('role="img"');
    expect(svg).toContain("vi-bar--onderdrukt");
    expect(svg).toContain("Signalen, nov: &#60; 5");
  });

  it("draw a share on an axis to 100%, and a share not shown as a marked bar saying so", () => {
    const svg = barChartSvg({
      id: "o",
      titel: "Opvolging",
      labels: ["okt", "nov"],
      max: 100,
      eenheid: "%",
      zonderGetal: "niet getoond (klein aantal)",
      reeksen: [{ naam: "Contact binnen 14 dagen", klasse: "vi-bar--1", waarden: [{ aantal: 50, weergave: "50%" }, c(null)] }],
    });
    expect(svg).toContain("Contact binnen 14 dagen, okt: 50%");
    expect(svg).toContain(">100</text>");
    expect(svg).toContain("Contact binnen 14 dagen, nov: niet getoond (klein aantal)");
  });

  it("make a PDF", async () => {
    const pdf = await yearReportPdf(figures, "Regio Amsterdam", "5 december 2026");
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");
  });
});
