/**
 * The convenantmanager's figures as people read them: bar charts as server-rendered SVG (each shown beside a table
 * with its numbers), and the yearly non-identifying report of the verwijsindex (Jeugdwet) as CSV and PDF. Everything
 * here works on figures the hub already suppressed: a count of 1 to 4 is "< 5" everywhere, also in the exports.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { FigureRow, PublishedCount, RegionFigures } from "../outbound/hub-api";

export const REGION = "regio";
export const ALL_DOMAINS = "alle";
export const WHOLE_YEAR = "jaar";

const MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const MONTH_NAMES = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

export const monthLabel = (maand: string): string =>
  maand === WHOLE_YEAR ? "Heel het jaar" : `${MONTH_NAMES[Number(maand.slice(5)) - 1]} ${maand.slice(0, 4)}`;
export const shortMonth = (maand: string): string => MONTHS[Number(maand.slice(5)) - 1] ?? maand;
export const share = (p: number | null): string => (p === null ? "–" : `${String(p).replace(".", ",")}%`);

export function rowOf(f: RegionFigures, gemeente: string, maand: string, domein = ALL_DOMAINS): FigureRow | undefined {
  return f.rijen.find((r) => r.gemeente === gemeente && r.maand === maand && r.domein === domein);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ChartSeries {
  naam: string;
  /** One count per label, as published. */
  waarden: PublishedCount[];
  /** A CSS class for the bars' colour (vi-bar--1, vi-bar--2). */
  klasse: string;
}

/**
 * A bar chart (grouped bars per label) as SVG. The SVG is an image with a title and description; the numbers are in
 * the table beside it, so the chart adds nothing a screen reader would miss. A suppressed count is drawn as a low
 * hatched bar marked "< 5".
 */
export function barChartSvg(opts: {
  id: string;
  titel: string;
  labels: string[];
  reeksen: ChartSeries[];
  /** The top of the axis (100 for a percentage); by default the largest value. */
  max?: number;
  /** What a bar without a number says (a suppressed count: "< 5"; a share not shown: "niet getoond"). */
  zonderGetal?: string;
  /** After each number in a bar's title, e.g. "%". */
  eenheid?: string;
}): string {
  const unit = opts.eenheid ?? "";
  const without = opts.zonderGetal ?? "< 5";
  const width = 640;
  const height = 240;
  const left = 36;
  const bottom = 28;
  const top = 12;
  const plotH = height - bottom - top;
  const max = opts.max ?? Math.max(5, ...opts.reeksen.flatMap((s) => s.waarden.map((v) => v.aantal ?? 0)));
  const step = (width - left - 8) / Math.max(1, opts.labels.length);
  const barW = Math.max(4, (step - 6) / opts.reeksen.length);
  const y = (n: number) => top + plotH - (n / max) * plotH;
  const parts: string[] = [];
  for (const tick of [0, Math.round(max / 2), max]) {
    parts.push(`<line class="vi-chart__grid" x1="${left}" x2="${width - 4}" y1="${y(tick)}" y2="${y(tick)}"/>`);
    parts.push(`<text class="vi-chart__axis" x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
  }
  opts.labels.forEach((label, i) => {
    const x0 = left + i * step + 3;
    opts.reeksen.forEach((s, j) => {
      const v = s.waarden[i];
      const x = x0 + j * barW;
      if (!v) return;
      if (v.aantal === null) {
        const h = (2.5 / max) * plotH;
        parts.push(
          `<rect class="vi-bar ${s.klasse} vi-bar--onderdrukt" x="${x}" y="${top + plotH - h}" width="${barW - 1}" height="${h}"><title>${esc(`${s.naam}, ${label}: ${without}`)}</title></rect>`,
        );
      } else if (v.aantal > 0) {
        parts.push(
          `<rect class="vi-bar ${s.klasse}" x="${x}" y="${y(v.aantal)}" width="${barW - 1}" height="${top + plotH - y(v.aantal)}"><title>${esc(`${s.naam}, ${label}: ${v.aantal}${unit}`)}</title></rect>`,
        );
      }
    });
    parts.push(`<text class="vi-chart__axis" x="${x0 + (barW * opts.reeksen.length) / 2}" y="${height - 8}" text-anchor="middle">${esc(label)}</text>`);
  });
  return `<svg class="vi-chart__svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${opts.id}-titel ${opts.id}-uitleg" focusable="false">
<title id="${opts.id}-titel">${esc(opts.titel)}</title>
<desc id="${opts.id}-uitleg">Staafdiagram; de getallen staan in de tabel ernaast. Aantallen van 1 tot en met 4 zijn als &lt; 5 getoond.</desc>
${parts.join("\n")}
</svg>`;
}

const CSV_COLUMNS = [
  "gemeente",
  "gemeentenaam",
  "maand",
  "domein",
  "signalen",
  "clientmatches",
  "gezinsmatches",
  "opvolgbare_matches",
  "contact_binnen_termijn",
  "opvolging_procent",
];

function csvCell(v: string): string {
  return /[";,\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The yearly report as CSV (semicolon-separated, as Dutch spreadsheets read it): every published row, "< 5" kept. */
export function yearReportCsv(f: RegionFigures, regio: string): string {
  const names = new Map([[REGION, regio], ...f.gemeenten.map((g) => [g.code, g.naam] as [string, string])]);
  const lines = [CSV_COLUMNS.join(";")];
  for (const r of f.rijen) {
    lines.push(
      [
        r.gemeente,
        names.get(r.gemeente) ?? r.gemeente,
        r.maand,
        r.domein,
        r.signalen.weergave,
        r.clientmatches.weergave,
        r.gezinsmatches.weergave,
        r.opvolgbareMatches.weergave,
        r.contactBinnenTermijn.weergave,
        r.opvolgingPercentage === null ? "" : String(r.opvolgingPercentage).replace(".", ","),
      ]
        .map(csvCell)
        .join(";"),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;

/** The yearly non-identifying report as PDF: the region and every gemeente over the year, the region per month and per domain. */
export async function yearReportPdf(f: RegionFigures, regio: string, gemaaktOp: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Jaarverslag verwijsindex ${regio} ${f.jaar}`);
  doc.setSubject("Niet-herleidbare cijfers van de verwijsindex over een jaar");
  doc.setLanguage("nl-NL");
  doc.setProducer("Verwijsindex");
  doc.setCreator("Verwijsindex");
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const width = A4[0] - 2 * MARGIN;
  const ensure = (h: number) => {
    if (y - h < MARGIN) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };
  const text = (t: string, o: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const size = o.size ?? 10;
    const font = o.font ?? regular;
    let line = "";
    const lines: string[] = [];
    for (const word of t.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    for (const l of lines) {
      ensure(size * 1.5);
      page.drawText(l, { x: MARGIN, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.45;
    }
    y -= o.gap ?? 4;
  };
  const columns = [130, 56, 56, 56, 56, 56, 56];
  const table = (head: string[], rows: string[][]) => {
    const drawRow = (cells: string[], font: PDFFont) => {
      ensure(15);
      let x = MARGIN;
      cells.forEach((c, i) => {
        const w = columns[i] ?? 60;
        const size = 9;
        const tx = i === 0 ? x : x + w - 6 - font.widthOfTextAtSize(c, size);
        page.drawText(c, { x: tx, y, size, font, color: rgb(0.1, 0.1, 0.1) });
        x += w;
      });
      y -= 14;
    };
    drawRow(head, bold);
    for (const r of rows) drawRow(r, regular);
    y -= 8;
  };
  const HEAD = ["", "Signalen", "Cliëntmatch", "Gezinsmatch", "Opvolgbaar", "Contact", "Opvolging"];
  const cells = (label: string, r: FigureRow | undefined) => [
    label,
    r?.signalen.weergave ?? "0",
    r?.clientmatches.weergave ?? "0",
    r?.gezinsmatches.weergave ?? "0",
    r?.opvolgbareMatches.weergave ?? "0",
    r?.contactBinnenTermijn.weergave ?? "0",
    share(r?.opvolgingPercentage ?? null),
  ];

  text(`Jaarverslag verwijsindex ${regio} ${f.jaar}`, { font: bold, size: 16, gap: 8 });
  text(
    `Niet-herleidbare cijfers over de verwijsindex van ${regio} in ${f.jaar}, gemaakt op ${gemaaktOp}. Alleen aantallen: geen namen, geen burgerservicenummers, geen andere gegevens over personen. Aantallen van 1 tot en met 4 staan als "< 5"; waar een totaal zo'n aantal zou verraden, is ook een tweede aantal zo getoond.`,
    { gap: 6 },
  );
  text(
    `Signalen: geregistreerd in dat jaar en nog in de verwijsindex (ingetrokken en verwijderde signalen tellen niet mee). Matches: gemaakt in dat jaar; een gezinsmatch tussen twee gemeenten telt bij beide gemeenten en eenmaal voor de regio. Opvolging (binnen ${f.opvolgtermijnDagen} dagen): van de matches in de matchregie die minstens ${f.opvolgtermijnDagen} dagen oud zijn ("Opvolgbaar"), het aandeel waarop binnen ${f.opvolgtermijnDagen} dagen contact is vastgelegd ("Contact": de status ging van geen contact naar contact gelegd, afgestemd of regie belegd). Een gezinsmatch tussen twee gemeenten volgt elke gemeente voor de eigen jeugdige op: die telt bij de opvolging van beide gemeenten en van de regio twee keer.`,
    { gap: 12 },
  );
  text("Per gemeente, heel het jaar", { font: bold, size: 12, gap: 6 });
  table(HEAD, [cells(regio, rowOf(f, REGION, WHOLE_YEAR)), ...f.gemeenten.map((g) => cells(g.naam, rowOf(f, g.code, WHOLE_YEAR)))]);
  text(`${regio} per maand`, { font: bold, size: 12, gap: 6 });
  table(
    HEAD,
    f.maanden.map((m) => cells(monthLabel(m), rowOf(f, REGION, m))),
  );
  text(`${regio} per domein, heel het jaar`, { font: bold, size: 12, gap: 6 });
  table(
    HEAD,
    f.domeinen.map((d) => cells(d, rowOf(f, REGION, WHOLE_YEAR, d))),
  );
  const missing = f.gemeenten.filter((g) => !g.beantwoord);
  if (missing.length) text(`Niet bereikbaar bij het maken van dit verslag (hun cijfers ontbreken): ${missing.map((g) => g.naam).join(", ")}.`);
  return doc.save();
}
