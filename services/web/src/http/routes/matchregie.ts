/**
 * Matchregie for the gemeente's matchregisseur (Jeugdwet 7.1.3.2): the gemeente's matches, newest first, with the
 * organisations and professionals involved and the follow-up; one match opened to act on it (only then the youth's
 * name, logged by the node), where the regievoerder is confirmed and the status set. The node decides who may: anyone
 * else gets its refusal.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { dutchDateTime, MATCH_STATUS_LABEL } from "../../logic/format";
import type { MatchregieDetailView, MatchregieView } from "../../outbound/node-api";
import type { WebApp, WebDeps, WebVariables } from "../context";
import { frame } from "../pages/frame";
import { alert, button, csrfField, type Html, page } from "../views/layout";
import { contactLines, noticeList, radioGroup } from "../views/parts";
import { requireUser } from "./signals";

type Ctx = Context<{ Variables: WebVariables }>;

const STATUSES = Object.keys(MATCH_STATUS_LABEL);
const soortLabel = (soort: string, tussenGemeenten = false) =>
  soort === "client" ? "Cliëntmatch" : tussenGemeenten ? "Gezinsmatch tussen gemeenten" : "Gezinsmatch";
const elsewhere = (b: { andereGemeente?: boolean }) => (b.andereGemeente ? " · jeugdige in een andere gemeente" : "");

function involved(m: MatchregieView): Html {
  return html`<ul class="utrecht-unordered-list">${m.betrokkenen.map(
    (b) =>
      html`<li>${b.naam}, ${b.functie}, <strong>${b.organisatie}</strong> <span class="vi-meta">(${b.domein})</span>${b.actief ? "" : html` <span class="vi-meta">· niet meer betrokken</span>`}${b.andereGemeente ? html` <span class="vi-meta">${elsewhere(b)}</span>` : ""}</li>`,
  )}</ul>`;
}

function lead(m: MatchregieView): Html {
  const name = (signaalId: string | null) => m.betrokkenen.find((b) => b.signaalId === signaalId);
  const confirmed = m.regievoerder ? name(m.regievoerder.signaalId) : undefined;
  if (confirmed)
    return html`${confirmed.naam}, ${confirmed.organisatie} <span class="vi-meta">(bevestigd op ${dutchDateTime(m.regievoerder!.bevestigdOp)})</span>`;
  const proposed = name(m.voorgesteldeRegievoerder);
  return proposed ? html`Nog niet bevestigd. Voorstel van de regio: ${proposed.naam}, ${proposed.organisatie}` : html`Nog niet bevestigd.`;
}

function statusLine(m: MatchregieView): Html {
  return html`<strong>${MATCH_STATUS_LABEL[m.status] ?? m.status}</strong>${m.statusGewijzigd ? html` <span class="vi-meta">(door ${m.statusGewijzigd.door}, ${dutchDateTime(m.statusGewijzigd.op)})</span>` : ""}`;
}

function flag(m: MatchregieView, dagen: number): Html | string {
  if (!m.teLangZonderContact) return "";
  return html`<p class="utrecht-paragraph vi-flag"><strong>Te lang zonder contact</strong>: langer dan ${dagen} dagen geen contact vastgelegd.${m.herinneringVerstuurdOp ? html` De professionals kregen een herinnering op ${dutchDateTime(m.herinneringVerstuurdOp)}.` : ""}</p>`;
}

function matchItem(m: MatchregieView, dagen: number): Html {
  const headingId = `match-${m.id}`;
  return html`<li class="vi-card vi-regie${m.teLangZonderContact ? " vi-regie--te-lang" : ""}" data-match="${m.id}" data-status="${m.status}">
<h2 class="utrecht-heading-3" id="${headingId}">${soortLabel(m.soort, m.tussenGemeenten)} van ${dutchDateTime(m.aangemaaktOp)}</h2>
${flag(m, dagen)}
<dl class="utrecht-data-list vi-data-list">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Status</dt><dd class="utrecht-data-list__item-value">${statusLine(m)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Betrokken</dt><dd class="utrecht-data-list__item-value">${involved(m)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Regievoerder</dt><dd class="utrecht-data-list__item-value">${lead(m)}</dd></div>
</dl>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/matchregie/${m.id}" aria-describedby="${headingId}">Match openen en opvolgen</a></p>
</li>`;
}

function filterForm(current: string | undefined): Html {
  return html`<form class="vi-form vi-filter" method="get" action="/matchregie" aria-label="Matches filteren">
<div class="utrecht-form-field vi-field">
<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="filter-status">Toon matches met status</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="filter-status" name="status">
<option value=""${current ? "" : " selected"}>Alle statussen</option>
${STATUSES.map((s) => html`<option value="${s}"${s === current ? " selected" : ""}>${MATCH_STATUS_LABEL[s]}</option>`)}
</select></div></div>
<p class="utrecht-paragraph">${button("Toon", "secondary")}</p>
</form>`;
}

const DONE: Record<string, string> = {
  regievoerder: "De regievoerder is vastgelegd. De betrokken professionals zien dit bij hun match.",
  status: "De status is opgeslagen.",
};

function detailBody(m: MatchregieDetailView, csrf: string, done?: string): Html {
  const wie = m.jeugdigen.map((j) => j.naam).join(" en ");
  const candidates = m.betrokkenen.filter((b) => b.actief);
  return html`${done && DONE[done] ? alert("ok", html`<p class="utrecht-paragraph">${DONE[done]}</p>`, { role: "status" }) : ""}
${alert("info", html`<p class="utrecht-paragraph">U ziet de naam van de jeugdige omdat u deze match opent om erop te handelen. Dat is vastgelegd in het logboek. Gebruik de naam alleen voor de matchregie.</p>`)}
<dl class="utrecht-data-list vi-data-list">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">${m.jeugdigen.length > 1 ? "Jeugdigen" : "Jeugdige"}</dt><dd class="utrecht-data-list__item-value" id="jeugdige">${wie}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Soort</dt><dd class="utrecht-data-list__item-value">${soortLabel(m.soort, m.tussenGemeenten)}${m.viaArchief ? " (via het archief)" : ""}, gemaakt op ${dutchDateTime(m.aangemaaktOp)}${m.tussenGemeenten ? ". Deze gemeente volgt de kant van haar eigen jeugdige op, de andere gemeente de andere kant." : ""}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Status</dt><dd class="utrecht-data-list__item-value" id="huidige-status">${statusLine(m)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Regievoerder</dt><dd class="utrecht-data-list__item-value" id="huidige-regievoerder">${lead(m)}</dd></div>
</dl>
${m.teLangZonderContact ? flag(m, 0) : ""}
<h2 class="utrecht-heading-2">Betrokken professionals</h2>
<ul class="vi-cards">${m.betrokkenen.map(
    (b) =>
      html`<li class="vi-card vi-betrokkene"><p class="utrecht-paragraph"><strong>${b.naam}</strong>, ${b.functie}, ${b.organisatie} (${b.domein})${b.actief ? "" : " · niet meer betrokken"}${elsewhere(b)}</p>${contactLines(b)}</li>`,
  )}</ul>
<h2 class="utrecht-heading-2">Regievoerder vastleggen</h2>
${
  candidates.length
    ? html`<form class="vi-form" method="post" action="/matchregie/${m.id}/regievoerder" aria-label="Regievoerder vastleggen">${csrfField(csrf)}
${radioGroup({
  name: "signaalId",
  legend: "Wie voert de regie?",
  description:
    "Een van de betrokken professionals die nog betrokken is. Het voorstel volgt de regel van de regio (bijvoorbeeld jeugdhulp vóór onderwijs); u beslist.",
  options: candidates.map((b) => ({
    value: b.signaalId,
    label: `${b.naam}, ${b.organisatie} (${b.domein})${b.signaalId === m.voorgesteldeRegievoerder ? " (voorstel van de regio)" : ""}`,
  })),
  checked: m.regievoerder?.signaalId ?? m.voorgesteldeRegievoerder ?? undefined,
  required: true,
})}
<p class="utrecht-paragraph">${button("Regievoerder vastleggen")}</p></form>`
    : html`<p class="utrecht-paragraph">Geen van de professionals is nog betrokken: er is niemand om de regie te voeren.</p>`
}
<h2 class="utrecht-heading-2">Status</h2>
<form class="vi-form" method="post" action="/matchregie/${m.id}/status" aria-label="Status opslaan">${csrfField(csrf)}
${radioGroup({
  name: "status",
  legend: "Hoe staat de opvolging ervoor?",
  description: "De professionals van de match kunnen de status ook zelf zetten.",
  options: STATUSES.map((s) => ({ value: s, label: MATCH_STATUS_LABEL[s]! })),
  checked: m.status,
  required: true,
})}
<p class="utrecht-paragraph">${button("Status opslaan", "secondary")}</p></form>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/matchregie">Terug naar de matches van de gemeente</a></p>`;
}

export function registerMatchregieRoutes(app: WebApp, deps: WebDeps) {
  app.get("/matchregie", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const status = STATUSES.includes(c.req.query("status") ?? "") ? c.req.query("status") : undefined;
    const [{ matches, herinneringNaDagen }, notices] = await Promise.all([user.api.matchregie({ status }), user.api.notices()]);
    const late = matches.filter((m) => m.teLangZonderContact).length;
    const gemeente = deps.region.naamVan(user.session.gemeente);
    return c.html(
      page(
        await frame(deps, c, `Matchregie ${gemeente}`, { current: "matchregie" }),
        html`<p class="utrecht-paragraph">De matches van de gemeente ${gemeente}, nieuwste eerst: wie betrokken is, of er contact is en wie de regie voert. De naam van de jeugdige ziet u pas als u een match opent om erop te handelen; dat wordt vastgelegd.</p>
${filterForm(status)}
<p class="utrecht-paragraph" id="samenvatting">${matches.length} ${matches.length === 1 ? "match" : "matches"}${late ? html`, waarvan <strong>${late} te lang zonder contact</strong> (langer dan ${herinneringNaDagen} dagen)` : ""}.</p>
${matches.length ? html`<ul class="vi-cards" id="matchregie-lijst">${matches.map((m) => matchItem(m, herinneringNaDagen))}</ul>` : html`<p class="utrecht-paragraph vi-empty">Geen matches${status ? " met deze status" : ""}.</p>`}
${noticeList(notices.filter((n) => n.soort === "verhuizing"))}`,
      ),
    );
  });

  const detail = async (c: Ctx, id: string) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const m = await user.api.openMatchregie(id);
    const title =
      m.soort === "client" ? `Match over ${m.jeugdigen.map((j) => j.naam).join(" en ")}` : `Gezinsmatch: ${m.jeugdigen.map((j) => j.naam).join(" en ")}`;
    return c.html(page(await frame(deps, c, title, { current: "matchregie" }), detailBody(m, c.get("csrf"), c.req.query("gedaan"))));
  };

  app.get("/matchregie/:id", (c) => detail(c, c.req.param("id")));

  app.post("/matchregie/:id/regievoerder", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    const id = c.req.param("id");
    await user.api.confirmRegievoerder(id, String((await c.req.parseBody()).signaalId ?? ""));
    return c.redirect(`/matchregie/${encodeURIComponent(id)}?gedaan=regievoerder`, 303);
  });

  app.post("/matchregie/:id/status", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    const id = c.req.param("id");
    await user.api.setMatchregieStatus(id, String((await c.req.parseBody()).status ?? ""));
    return c.redirect(`/matchregie/${encodeURIComponent(id)}?gedaan=status`, 303);
  });
}
