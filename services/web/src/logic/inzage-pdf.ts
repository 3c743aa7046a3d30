/**
 * The inzage as a PDF (pdf-lib): what the verwijsindex holds about the youth,
 * with the organisations (never a professional's name: the node's inzage
 * carries none) actively and previously involved, with dates. Written for
 * parents or the youth, in plain Dutch.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { InzageView } from "../outbound/node-api";
import { dutchDate } from "./format";

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

export async function inzagePdf(inzage: InzageView, regio: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Inzage verwijsindex ${regio}`);
  doc.setSubject("Wat de verwijsindex over de jeugdige bevat");
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
  const wrap = (text: string, font: PDFFont, size: number) => {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
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
    const size = o.size ?? 11;
    const font = o.font ?? regular;
    for (const l of wrap(t, font, size)) {
      ensure(size * 1.5);
      page.drawText(l, { x: MARGIN, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.45;
    }
    y -= o.gap ?? 4;
  };
  const table = (rows: InzageView["actiefBetrokken"]) => {
    if (!rows.length) {
      text("Geen.", { gap: 10 });
      return;
    }
    const cols = [0, 230, 340];
    ensure(20);
    for (const [i, h] of ["Organisatie", "Startdatum", "Einddatum"].entries()) page.drawText(h, { x: MARGIN + cols[i]!, y, size: 10, font: bold });
    y -= 16;
    for (const r of rows) {
      ensure(16);
      page.drawText(r.organisatie, { x: MARGIN + cols[0]!, y, size: 10, font: regular, maxWidth: 220 });
      page.drawText(dutchDate(r.startdatum), { x: MARGIN + cols[1]!, y, size: 10, font: regular });
      page.drawText(dutchDate(r.einddatum), { x: MARGIN + cols[2]!, y, size: 10, font: regular });
      y -= 16;
    }
    y -= 10;
  };

  text(`Inzage verwijsindex ${regio}`, { font: bold, size: 18, gap: 10 });
  text(
    `Dit overzicht laat zien wat de verwijsindex over ${inzage.jeugdige.naam} bevat. De verwijsindex bevat geen inhoud: alleen dat een organisatie betrokken is, niet waarom.`,
    { gap: 12 },
  );
  text("Gegevens van de jeugdige", { font: bold, size: 13 });
  text(`Naam: ${inzage.jeugdige.naam}`, { gap: 0 });
  text(`Geboortedatum: ${dutchDate(inzage.jeugdige.geboortedatum)}`, { gap: 12 });
  text("Actueel betrokken organisaties", { font: bold, size: 13 });
  table(inzage.actiefBetrokken);
  text("Voorheen betrokken organisaties", { font: bold, size: 13 });
  table(inzage.eerderBetrokken);
  text(
    "Namen van professionals staan niet in dit overzicht, alleen de organisaties. Vragen over deze gegevens, of wilt u iets laten verbeteren of verwijderen? Neem contact op met uw gemeente.",
    { size: 10, gap: 4 },
  );
  text(`Opgesteld op ${dutchDate(inzage.opgesteldOp)}, voor ${inzage.voor === "ouders" ? "de ouders" : "de jeugdige"}.`, { size: 10 });
  return doc.save();
}
