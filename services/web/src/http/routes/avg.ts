/**
 * The AVG desk for the gemeente's privacy officer: find what the verwijsindex holds on a BSN (posted, never in a
 * URL), with the youth's audit trail; export it as PDF or JSON; rectify from the BRP; remove a signal that should
 * not be there with a reason from the closed list. The node decides and logs every step.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { ACTIE_LABEL, avgPdf } from "../../logic/avg-pdf";
import { dutchDate, dutchDateTime } from "../../logic/format";
import { type AvgDossier, NodeRefusal } from "../../outbound/node-api";
import type { SignedInUser, WebApp, WebDeps, WebVariables } from "../context";
import { errorPage } from "../pages/errors";
import { frame } from "../pages/frame";
import { alert, button, csrfField, type Html, page } from "../views/layout";
import { textField } from "../views/parts";

type Ctx = Context<{ Variables: WebVariables }>;

/** The closed list of reasons (packages/domain AVG_REMOVAL_REASONS), as the officer reads them. */
export const REMOVAL_REASONS: Array<[string, string]> = [
  ["verkeerde-jeugdige", "Afgegeven op de verkeerde jeugdige (verkeerd BSN)"],
  ["geen-betrokkenheid", "De professional was niet (meer) betrokken"],
  ["geen-grondslag", "Geen grondslag: de organisatie of professional mocht niet signaleren"],
  ["verzoek-toegewezen", "Bezwaar of verzoek om verwijdering toegewezen (AVG art. 17, 21)"],
];

async function officer(deps: WebDeps, c: Ctx): Promise<SignedInUser | Response> {
  const user = c.get("user");
  if (!user) return c.redirect(`/aanmelden?terug=${encodeURIComponent("/avg")}`, 303);
  if (user.professional.rol !== "privacyfunctionaris")
    return c.html(errorPage(deps, c, 403, "Geen toegang", "Het AVG-loket is alleen voor de privacyfunctionaris van de gemeente."), 403);
  return user;
}

const form = (csrf: string, bsn = "", error?: string) => html`<form method="post" action="/avg/zoeken" class="vi-form" novalidate>${csrfField(csrf)}
${textField({ id: "bsn", name: "bsn", label: "BSN van de jeugdige", value: bsn, error, description: "Negen cijfers. Het BSN gaat alleen mee in het formulier, nooit in de adresbalk.", attrs: html` inputmode="numeric" autocomplete="off" maxlength="12"` })}
${button("Zoeken")}</form>`;

const hidden = (bsn: string) => html`<input type="hidden" name="bsn" value="${bsn}">`;

function dossierView(csrf: string, d: AvgDossier, bsn: string): Html {
  if (!d.bekend || !d.jeugdige)
    return alert(
      "info",
      html`<p class="utrecht-paragraph">De verwijsindex van ${d.gemeente.naam} bewaart niets over dit BSN: geen gegevens, geen signalen, geen matches.</p>`,
      { role: "status", id: "avg-resultaat" },
    );
  const j = d.jeugdige;
  const signals = d.signalen.length
    ? html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="avg-signalen">
<caption class="utrecht-table__caption">Signalen op ${j.naam}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Organisatie en professional</th>
<th class="utrecht-table__header-cell" scope="col">Status</th>
<th class="utrecht-table__header-cell" scope="col">Periode</th>
<th class="utrecht-table__header-cell" scope="col">Verwijderen</th>
</tr></thead><tbody class="utrecht-table__body">${d.signalen.map(
        (s, i) => html`<tr class="utrecht-table__row" data-signaal="${s.id}">
<td class="utrecht-table__cell">${s.organisatie.naam} <span class="vi-meta">(${s.organisatie.domein})</span><br>${s.professional.naam}, ${s.professional.functie}</td>
<td class="utrecht-table__cell">${s.status === "actief" ? "Actief" : "Gearchiveerd"}</td>
<td class="utrecht-table__cell">${dutchDate(s.startdatum)} tot ${dutchDate(s.einddatum)}</td>
<td class="utrecht-table__cell"><form method="post" action="/avg/signalen/${s.id}/verwijderen" class="vi-form vi-form--inline">${csrfField(csrf)}${hidden(bsn)}
<label class="utrecht-form-label" for="reden-${i}">Reden voor het verwijderen van het signaal van ${s.organisatie.naam}</label>
<select class="utrecht-select utrecht-select--html-select" id="reden-${i}" name="reden" required><option value="">Kies een reden</option>${REMOVAL_REASONS.map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select>
${button(`Verwijder het signaal van ${s.organisatie.naam}`, "secondary")}</form></td>
</tr>`,
      )}</tbody></table></div>`
    : html`<p class="utrecht-paragraph">Geen signalen.</p>`;
  const matches = d.matches.length
    ? html`<ul class="utrecht-unordered-list">${d.matches.map(
        (m) =>
          html`<li>${m.soort === "client" ? "Cliëntmatch" : "Gezinsmatch (wie de andere jeugdige is, staat hier niet)"} op ${dutchDateTime(m.aangemaaktOp)}${m.viaArchief ? ", met een eerdere betrokkenheid" : ""}</li>`,
      )}</ul>`
    : html`<p class="utrecht-paragraph">Geen matches.</p>`;
  const log = html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="avg-logboek">
<caption class="utrecht-table__caption">Logboek over ${j.naam} (${d.logboek.length} regels, oudste eerst)</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Tijdstip</th><th class="utrecht-table__header-cell" scope="col">Handeling</th><th class="utrecht-table__header-cell" scope="col">Door</th>
</tr></thead><tbody class="utrecht-table__body">${d.logboek.map(
    (l) =>
      html`<tr class="utrecht-table__row"><td class="utrecht-table__cell">${dutchDateTime(l.tijdstip)}</td><td class="utrecht-table__cell">${ACTIE_LABEL[l.actie] ?? l.actie}</td><td class="utrecht-table__cell">${l.actor}</td></tr>`,
  )}</tbody></table></div>`;
  return html`<section aria-labelledby="avg-jeugdige" id="avg-resultaat">
<h2 class="utrecht-heading-2" id="avg-jeugdige">${j.naam}</h2>
<dl class="vi-facts"><dt>BSN</dt><dd>${j.bsn}</dd><dt>Geboortedatum</dt><dd>${dutchDate(j.geboortedatum)}</dd><dt>Gemeente</dt><dd>${j.gemeente}${j.geheimAdres ? " (geheim adres)" : ""}${j.overleden ? " (overleden)" : ""}</dd><dt>Laatst uit de BRP</dt><dd>${dutchDateTime(j.brpOpgehaaldOp)}</dd></dl>
<div class="vi-actions">
<form method="post" action="/avg/export" class="vi-form vi-form--inline">${csrfField(csrf)}${hidden(bsn)}<input type="hidden" name="formaat" value="pdf">${button("Exporteer als PDF", "secondary")}</form>
<form method="post" action="/avg/export" class="vi-form vi-form--inline">${csrfField(csrf)}${hidden(bsn)}<input type="hidden" name="formaat" value="json">${button("Exporteer als JSON", "secondary")}</form>
<form method="post" action="/avg/rectificeren" class="vi-form vi-form--inline">${csrfField(csrf)}${hidden(bsn)}${button("Corrigeer vanuit de BRP", "secondary")}</form>
</div>
<h2 class="utrecht-heading-2">Signalen</h2>${signals}
<h2 class="utrecht-heading-2">Matches</h2>${matches}
<h2 class="utrecht-heading-2">Logboek</h2>${log}
</section>`;
}

export function registerAvgRoutes(app: WebApp, deps: WebDeps) {
  const intro = html`<p class="utrecht-paragraph">Voor verzoeken van jeugdigen en ouders op grond van de AVG (artikel 15 tot en met 21). Zoek op BSN wat de verwijsindex van uw gemeente bewaart, met het logboek. Ieder opvragen, exporteren, corrigeren en verwijderen wordt gelogd.</p>`;

  const show = async (c: Ctx, user: SignedInUser, bsn: string, message?: Html) => {
    try {
      const d = await user.api.avgFind(bsn, "inzien");
      return c.html(
        page(
          await frame(deps, c, "AVG-loket", { current: "avg" }),
          html`${message ?? ""}${intro}${form(c.get("csrf"), bsn)}${dossierView(c.get("csrf"), d, bsn)}`,
        ),
      );
    } catch (e) {
      if (e instanceof NodeRefusal && e.status === 422)
        return c.html(page(await frame(deps, c, "AVG-loket", { current: "avg" }), html`${intro}${form(c.get("csrf"), bsn, e.detail)}`), 422);
      throw e;
    }
  };

  app.get("/avg", async (c) => {
    const user = await officer(deps, c);
    if (user instanceof Response) return user;
    return c.html(page(await frame(deps, c, "AVG-loket", { current: "avg" }), html`${intro}${form(c.get("csrf"))}`));
  });

  app.post("/avg/zoeken", async (c) => {
    const user = await officer(deps, c);
    if (user instanceof Response) return user;
    const bsn = String((await c.req.parseBody()).bsn ?? "").replace(/\s/g, "");
    return show(c, user, bsn);
  });

  app.post("/avg/export", async (c) => {
    const user = await officer(deps, c);
    if (user instanceof Response) return user;
    const body = await c.req.parseBody();
    const bsn = String(body.bsn ?? "");
    const formaat = body.formaat === "json" ? "json" : "pdf";
    const d = await user.api.avgFind(bsn, formaat === "json" ? "export-json" : "export-pdf");
    c.header("Cache-Control", "no-store");
    if (formaat === "json")
      return c.body(JSON.stringify(d, null, 2), 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": 'attachment; filename="avg-verwijsindex.json"',
      });
    const pdf = await avgPdf(d, deps.config.REGIO_NAAM);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": 'attachment; filename="avg-verwijsindex.pdf"',
    });
  });

  app.post("/avg/rectificeren", async (c) => {
    const user = await officer(deps, c);
    if (user instanceof Response) return user;
    const bsn = String((await c.req.parseBody()).bsn ?? "");
    const r = await user.api.avgRectify(bsn);
    const what = r.verhuisdNaar
      ? `De jeugdige woont volgens de BRP in ${deps.region.naamVan(r.verhuisdNaar)}; de signalen zijn naar de verwijsindex van die gemeente gegaan.`
      : r.gewijzigd.length
        ? `Bijgewerkt vanuit de BRP: ${r.gewijzigd.join(", ")}. ${r.nieuweMatches ? `${r.nieuweMatches} nieuwe match(es).` : "Geen nieuwe matches."}`
        : "De gegevens kwamen al overeen met de BRP; er is opnieuw gematcht, zonder nieuwe matches.";
    const message = alert("ok", html`<p class="utrecht-paragraph">${what}</p>`, { role: "status", id: "avg-gedaan" });
    if (r.verhuisdNaar) return c.html(page(await frame(deps, c, "AVG-loket", { current: "avg" }), html`${message}${intro}${form(c.get("csrf"))}`));
    return show(c, user, bsn, message);
  });

  app.post("/avg/signalen/:id/verwijderen", async (c) => {
    const user = await officer(deps, c);
    if (user instanceof Response) return user;
    const body = await c.req.parseBody();
    const bsn = String(body.bsn ?? "");
    const reden = String(body.reden ?? "");
    if (!REMOVAL_REASONS.some(([v]) => v === reden)) {
      const message = alert(
        "error",
        html`<p class="utrecht-paragraph">Kies een reden uit de lijst om een signaal te verwijderen. Er is niets verwijderd.</p>`,
        { role: "alert" },
      );
      return show(c, user, bsn, message);
    }
    await user.api.avgRemove(c.req.param("id"), reden);
    const message = alert(
      "ok",
      html`<p class="utrecht-paragraph">Het signaal is verwijderd, met de matches en meldingen bij iedere professional. Dit is gelogd.</p>`,
      { role: "status", id: "avg-gedaan" },
    );
    return show(c, user, bsn, message);
  });
}
