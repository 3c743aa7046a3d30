/**
 * The AVG desk's export as a PDF (pdf-lib): what the gemeente's verwijsindex holds on one youth, the signals with
 * organisation and professional, the matches (a family match never says who the other youth is) and the audit
 * trail, for the gemeente's answer to a request under AVG art. 15.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { AvgDossier } from "../outbound/node-api";
import { dutchDate, dutchDateTime } from "./format";

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

/** The standard fonts encode WinAnsi only: anything else is shown as "?". */
const winAnsi = (s: string) => s.replace(/[^\u0020-\u007e\u00a0-\u00ff\u20ac\u2013\u2014\u2018\u2019\u201c\u201d]/g, "?");

export const ACTIE_LABEL: Record<string, string> = {
  "signaal.geregistreerd": "Signaal afgegeven",
  "signaal.verlengd": "Signaal verlengd",
  "signaal.geinformeerd": "Informeren vastgelegd",
  "signaal.beeindigd": "Betrokkenheid beëindigd",
  "signaal.ingetrokken": "Signaal ingetrokken",
  "signaal.verlopen": "Signaal verlopen",
  "signaal.verwijderd": "Signaal verwijderd (bewaartermijn)",
  "signaal.overgedragen": "Signaal overgedragen aan een collega",
  "match.gemaakt": "Match gemaakt",
  "signalen.gelezen": "Signalenlijst gelezen",
  "signaal.gelezen": "Signaal gelezen",
  "matches.gelezen": "Matches gelezen",
  "meldingen.gelezen": "Melding gelezen",
  "clientkaart.gelezen": "Cliëntkaart geopend",
  "archief.geopend": "Archief geopend",
  "inzage.getoond": "Inzage getoond",
  "inzage.geweigerd": "Inzage geweigerd",
  "jeugdige.bijgewerkt": "Gegevens bijgewerkt uit de BRP",
  "jeugdige.verhuisd": "Jeugdige verhuisd",
  "jeugdige.binnengekomen": "Jeugdige binnengekomen",
  "melding.ontvangen": "Melding ontvangen",
  "melding.verwijderd": "Melding verwijderd",
  "avg.opgevraagd": "Opgevraagd door de privacyfunctionaris",
  "avg.gerectificeerd": "Gecorrigeerd vanuit de BRP (AVG)",
  "avg.signaal-verwijderd": "Signaal verwijderd (AVG)",
};

export async function avgPdf(d: AvgDossier, regio: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`AVG-overzicht verwijsindex ${d.gemeente.naam}`);
  doc.setSubject("Wat de verwijsindex over de jeugdige bewaart, met het logboek");
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
  const wrap = (t: string, font: PDFFont, size: number) => {
    const lines: string[] = [];
    let line = "";
    for (const word of winAnsi(t).split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const text = (t: string, o: { font?: PDFFont; size?: number; gap?: number } = {}) => {
    const size = o.size ?? 10;
    const font = o.font ?? regular;
    for (const l of wrap(t, font, size)) {
      ensure(size * 1.5);
      page.drawText(l, { x: MARGIN, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.45;
    }
    y -= o.gap ?? 3;
  };
  const heading = (t: string) => text(t, { font: bold, size: 13, gap: 6 });

  text(`Verwijsindex ${regio}: AVG-overzicht`, { font: bold, size: 16, gap: 8 });
  text(`Verwijsindex van de gemeente ${d.gemeente.naam}. Opgesteld op ${dutchDateTime(d.opgesteldOp)}.`, { gap: 10 });
  if (!d.bekend || !d.jeugdige) {
    text("De verwijsindex van deze gemeente bewaart niets over dit BSN: geen gegevens, geen signalen, geen matches.");
    return doc.save();
  }
  const j = d.jeugdige;
  heading("De jeugdige (afgeleid uit de BRP)");
  text(`Naam: ${j.naam}`);
  text(`BSN: ${j.bsn}`);
  text(`Geboortedatum: ${dutchDate(j.geboortedatum)}`);
  text(`Gemeente: ${j.gemeente}${j.geheimAdres ? " (geheim adres)" : ""}${j.overleden ? " (overleden)" : ""}`);
  text(`Laatst uit de BRP gehaald: ${dutchDateTime(j.brpOpgehaaldOp)}`, { gap: 10 });

  heading(`Signalen (${d.signalen.length})`);
  if (!d.signalen.length) text("Geen.");
  for (const s of d.signalen) {
    text(`${s.organisatie.naam} (${s.organisatie.domein}): ${s.professional.naam}, ${s.professional.functie}`, { font: bold });
    text(
      `Status: ${s.status}. Afgegeven ${dutchDateTime(s.geregistreerdOp)}, van ${dutchDate(s.startdatum)} tot ${dutchDate(s.einddatum)}${s.gearchiveerdOp ? `, gearchiveerd ${dutchDate(s.gearchiveerdOp)}` : ""}. Geïnformeerd: ${s.geinformeerd ? `ja${s.geinformeerdOp ? ` op ${dutchDate(s.geinformeerdOp)}` : ""}` : `nee (${s.redenNietGeinformeerd ?? "geen reden"})`}. Signaal ${s.id}.`,
      { gap: 6 },
    );
  }
  y -= 4;
  heading(`Matches (${d.matches.length})`);
  if (!d.matches.length) text("Geen.");
  for (const m of d.matches)
    text(
      `${m.soort === "client" ? "Cliëntmatch" : "Gezinsmatch (met een ander kind uit het gezin of van hetzelfde adres; wie, staat hier niet)"} op ${dutchDateTime(m.aangemaaktOp)}${m.viaArchief ? ", met een eerdere betrokkenheid" : ""}. Signaal ${m.signaalId}.`,
    );
  y -= 6;
  heading(`Logboek (${d.logboek.length} regels)`);
  for (const l of d.logboek)
    text(`${dutchDateTime(l.tijdstip)}  ${ACTIE_LABEL[l.actie] ?? l.actie}  door ${l.actor}${l.signaalId ? `  (signaal ${l.signaalId})` : ""}`, {
      size: 8.5,
      gap: 1,
    });
  return doc.save();
}
