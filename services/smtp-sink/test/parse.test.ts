import { describe, expect, it } from "vitest";
import { decodeQuotedPrintable, decodeWords, parseMail } from "@vi/smtp-sink";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"), "latin1");

describe("parseMail", () => {
  it("reads folded headers, encoded words split inside a multi-byte character, and a base64 body", () => {
    const utf8 = Buffer.from("Overleg over Eëlco en Ïris", "utf8");
    // Split the encoded subject in the middle of the two bytes of 'ë'.
    const cut = utf8.indexOf(0xc3) + 1;
    const w1 = `=?UTF-8?B?${utf8.subarray(0, cut).toString("base64")}?=`;
    const w2 = `=?UTF-8?B?${utf8.subarray(cut).toString("base64")}?=`;
    const raw = crlf([
      "From: =?UTF-8?Q?Verwijsindex_R=C3=A9gio?= <noreply@verwijsindex.example>",
      "To: a@b.example,",
      ' "Jansen, C." <c@d.example>',
      `Subject: ${w1}`,
      ` ${w2}`,
      "Message-ID: <x-1@verwijsindex.example>",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("Hé ë ï\r\ntweede regel", "utf8")
        .toString("base64")
        .replace(/(.{10})/g, "$1\r\n"),
      "",
    ]);
    const m = parseMail(raw);
    expect(m.subject).toBe("Overleg over Eëlco en Ïris");
    expect(m.from).toBe("Verwijsindex Régio <noreply@verwijsindex.example>");
    expect(m.to).toEqual(["a@b.example", '"Jansen, C." <c@d.example>']);
    expect(m.messageId).toBe("<x-1@verwijsindex.example>");
    expect(m.text).toBe("Hé ë ï\ntweede regel");
    expect(m.html).toBeNull();
  });

  it("takes text/plain and text/html from nested multiparts and skips attachments", () => {
    const raw = crlf([
      "Subject: multi",
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "preamble",
      "--outer",
      "Content-Type: multipart/alternative; boundary=inner",
      "",
      "--inner",
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Caf=E9 met een zeer lange regel die=",
      " doorloopt   ",
      "--inner",
      "Content-Type: text/html; charset=utf-8",
      "",
      Buffer.from("<p>Café</p>", "utf8").toString("latin1"), // 8bit UTF-8
      "--inner--",
      "--outer",
      "Content-Type: text/plain",
      "Content-Disposition: attachment; filename=bijlage.txt",
      "",
      "niet de tekst",
      "--outer--",
      "",
    ]);
    const m = parseMail(raw);
    expect(m.text).toBe("Café met een zeer lange regel die doorloopt");
    expect(m.html).toBe("<p>Café</p>");
    expect(m.messageId).toBeNull();
  });
});

describe("decoders", () => {
  it("quoted-printable: escapes, soft breaks keep the space before them, trailing whitespace is dropped", () => {
    expect(decodeQuotedPrintable("een =\r\ntwee=3D3 \r\nc=C3=AB").toString("utf8")).toBe("een twee=3\r\ncë");
  });

  it("encoded words: Q with underscores, text around them, different charsets", () => {
    expect(decodeWords("Re: =?utf-8?Q?caf=C3=A9_au_lait?= en =?iso-8859-1?Q?th=E9?=")).toBe("Re: café au lait en thé");
    expect(decodeWords("geen codering")).toBe("geen codering");
  });
});
