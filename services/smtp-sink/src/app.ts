/**
 * HTTP side of the SMTP sink:
 *   GET    /api/berichten       all received messages, oldest first (JSON)
 *   GET    /api/berichten/:id   one message
 *   DELETE /api/berichten       forget all messages (204)
 *   GET    /                    a Dutch HTML page, newest first
 *   POST   /wissen              forget all messages, back to / (the page's button)
 *   GET    /health              {"status":"ok"}
 */
import { Hono } from "hono";
import type { MailStore, ReceivedMail } from "./store";

export function createSinkApp(store: MailStore): Hono {
  const app = new Hono();

  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "no-store");
  });

  app.get("/health", (c) => c.json({ status: "ok" }));

  app.get("/api/berichten", (c) => c.json(store.all()));

  app.get("/api/berichten/:id", (c) => {
    const id = Number(c.req.param("id"));
    const m = Number.isInteger(id) ? store.get(id) : undefined;
    return m ? c.json(m) : c.json({ title: "Bericht niet gevonden", status: 404 }, 404);
  });

  app.delete("/api/berichten", (c) => {
    store.clear();
    return c.body(null, 204);
  });

  app.post("/wissen", (c) => {
    store.clear();
    return c.redirect("/", 303);
  });

  app.get("/", (c) => {
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    return c.html(page(store.all().reverse()));
  });

  return app;
}

function page(mails: ReceivedMail[]): string {
  const rows = mails.map(
    (m) => `<article>
  <h2>${esc(m.subject || "(geen onderwerp)")}</h2>
  <dl>
    <dt>Van</dt><dd>${esc(m.from)}</dd>
    <dt>Aan</dt><dd>${esc(m.to.join(", "))}</dd>
    <dt>Ontvangen</dt><dd><time datetime="${esc(m.receivedAt)}">${esc(formatTime(m.receivedAt))}</time></dd>
    <dt>Message-ID</dt><dd><code>${esc(m.messageId ?? "(geen)")}</code></dd>
  </dl>
  <pre>${esc(m.text)}</pre>
</article>`,
  );
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>SMTP-sink: ontvangen e-mails (${mails.length})</title>
<style>
body { font-family: sans-serif; margin: 2rem; max-width: 60rem; }
article { border: 1px solid #ccc; border-radius: 4px; padding: 0 1rem; margin-bottom: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; }
dt { font-weight: bold; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5rem; }
</style>
</head>
<body>
<h1>SMTP-sink: ontvangen e-mails</h1>
<p>Alle e-mail die de verwijsindex in deze omgeving verstuurt, komt hier terecht; niets gaat naar buiten.
Nieuwste bovenaan; de pagina ververst elke 5 seconden. JSON: <a href="/api/berichten">/api/berichten</a>.</p>
<form method="post" action="/wissen"><button type="submit">Alle berichten wissen</button></form>
${mails.length === 0 ? "<p>Nog geen e-mails ontvangen.</p>" : rows.join("\n")}
</body>
</html>
`;
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" });
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
