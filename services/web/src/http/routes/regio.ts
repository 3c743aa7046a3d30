/**
 * The convenantmanager's pages (docs/adr/0031): the nodes' health and the region's figures per gemeente, domain and
 * month (charts with their numbers beside them), the register (organisations and convenants per gemeente, their
 * designations), and the yearly non-identifying report as CSV and PDF. The page signs in for the hub's API
 * (`/aanmelden?voor=regio`); every figure comes suppressed from the hub, so no count below 5 reaches this page.
 */
import { html, raw } from "hono/html";
import type { Context } from "hono";
import { type HubApi, hubApi, type NodeHealth, type RegionFigures, type RegisterOrganisation, type RegisterPerson } from "../../outbound/hub-api";
import { ALL_DOMAINS, barChartSvg, monthLabel, REGION, rowOf, share, shortMonth, WHOLE_YEAR, yearReportCsv, yearReportPdf } from "../../logic/figures-report";
import { dutchDate, dutchDateTime } from "../../logic/format";
import type { SignedInUser, WebApp, WebDeps, WebVariables } from "../context";
import { hubUrlFor } from "../gemeenten";
import { errorPage } from "../pages/errors";
import { frame } from "../pages/frame";
import { type Html, page } from "../views/layout";

type Ctx = Context<{ Variables: WebVariables }>;

/** The convenantmanager with a session for the hub's API, a redirect to sign in for it, or a refusal page. */
async function requireConvenantmanager(deps: WebDeps, c: Ctx): Promise<{ user: SignedInUser; hub: HubApi } | Response> {
  const user = c.get("user");
  const signIn = `/aanmelden?voor=regio&terug=${encodeURIComponent(c.req.path)}`;
  if (!user) return c.redirect(signIn, 303);
  if (user.session.api !== "hub") return c.redirect(signIn, 303);
  if (user.professional.rol !== "convenantmanager") {
    return c.html(errorPage(deps, c, 403, "Geen toegang", "Deze pagina is voor de convenantmanager van de regio. Ga naar de startpagina."), 403);
  }
  const hubUrl = hubUrlFor(deps, user.professional);
  if (!hubUrl) {
    return c.html(
      errorPage(deps, c, 503, "Regionale hub niet ingesteld", "Deze website kent de regionale hub niet (HUB_URL). Neem contact op met de beheerder."),
      503,
    );
  }
  return { user, hub: hubApi(hubUrl.replace(/\/$/, ""), user.session.accessToken) };
}

const STATUS: Record<NodeHealth["status"], string> = { bereikbaar: "Bereikbaar", achter: "Loopt achter", onbereikbaar: "Onbereikbaar" };

function healthTable(nodes: NodeHealth[]): Html {
  return html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="nodes">
<caption class="utrecht-table__caption">Gezondheid van de nodes</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Gemeente</th>
<th class="utrecht-table__header-cell" scope="col">Status</th>
<th class="utrecht-table__header-cell" scope="col">Achterstand van de index</th>
<th class="utrecht-table__header-cell" scope="col">Laatst gezien</th>
</tr></thead>
<tbody class="utrecht-table__body">${nodes.map(
    (n) => html`<tr class="utrecht-table__row" data-node="${n.code}">
<th class="utrecht-table__header-cell" scope="row">${n.naam}</th>
<td class="utrecht-table__cell"><span class="vi-status vi-status--${n.status}" data-status="${n.status}">${STATUS[n.status]}</span></td>
<td class="utrecht-table__cell">${n.indexAchterstandSeconden === null ? "onbekend" : n.indexAchterstandSeconden === 0 ? "bij" : `${n.indexAchterstandSeconden} s`}</td>
<td class="utrecht-table__cell">${n.laatstGezien ? dutchDateTime(n.laatstGezien) : "nooit"}</td>
</tr>`,
  )}</tbody></table></div>`;
}

const num = (key: string, v: { weergave: string }) => html`<td class="utrecht-table__cell vi-num" data-cijfer="${key}">${v.weergave}</td>`;

function monthTable(f: RegionFigures, gemeente: string, naam: string): Html {
  const rows = [...f.maanden, WHOLE_YEAR].map((m) => ({ m, r: rowOf(f, gemeente, m) }));
  return html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="cijfers-per-maand">
<caption class="utrecht-table__caption">${naam} per maand, ${f.jaar}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Maand</th>
<th class="utrecht-table__header-cell" scope="col">Signalen</th>
<th class="utrecht-table__header-cell" scope="col">Cliëntmatches</th>
<th class="utrecht-table__header-cell" scope="col">Gezinsmatches</th>
<th class="utrecht-table__header-cell" scope="col">Opvolgbare matches</th>
<th class="utrecht-table__header-cell" scope="col">Contact binnen ${f.opvolgtermijnDagen} dagen</th>
<th class="utrecht-table__header-cell" scope="col">Opvolging binnen ${f.opvolgtermijnDagen} dagen</th>
</tr></thead>
<tbody class="utrecht-table__body">${rows.map(({ m, r }) =>
    r
      ? html`<tr class="utrecht-table__row" data-maand="${m}">
<th class="utrecht-table__header-cell" scope="row">${monthLabel(m)}</th>
${num("signalen", r.signalen)}${num("clientmatches", r.clientmatches)}${num("gezinsmatches", r.gezinsmatches)}${num("opvolgbareMatches", r.opvolgbareMatches)}${num("contactBinnenTermijn", r.contactBinnenTermijn)}
<td class="utrecht-table__cell vi-num" data-cijfer="opvolging">${share(r.opvolgingPercentage)}</td>
</tr>`
      : "",
  )}</tbody></table></div>`;
}

function domainTable(f: RegionFigures, gemeente: string, maand: string, naam: string): Html {
  return html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="cijfers-per-domein">
<caption class="utrecht-table__caption">${naam} per domein, ${maand === WHOLE_YEAR ? `heel ${f.jaar}` : monthLabel(maand)}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Domein</th>
<th class="utrecht-table__header-cell" scope="col">Signalen</th>
<th class="utrecht-table__header-cell" scope="col">Cliëntmatches (betrokken)</th>
<th class="utrecht-table__header-cell" scope="col">Gezinsmatches (betrokken)</th>
<th class="utrecht-table__header-cell" scope="col">Opvolgbare matches (betrokken)</th>
<th class="utrecht-table__header-cell" scope="col">Contact binnen ${f.opvolgtermijnDagen} dagen</th>
<th class="utrecht-table__header-cell" scope="col">Opvolging binnen ${f.opvolgtermijnDagen} dagen</th>
</tr></thead>
<tbody class="utrecht-table__body">${[...f.domeinen, ALL_DOMAINS].map((d) => {
    const r = rowOf(f, gemeente, maand, d);
    return r
      ? html`<tr class="utrecht-table__row" data-domein="${d}">
<th class="utrecht-table__header-cell" scope="row">${d === ALL_DOMAINS ? "Alle domeinen" : d}</th>
${num("signalen", r.signalen)}${num("clientmatches", r.clientmatches)}${num("gezinsmatches", r.gezinsmatches)}${num("opvolgbareMatches", r.opvolgbareMatches)}${num("contactBinnenTermijn", r.contactBinnenTermijn)}
<td class="utrecht-table__cell vi-num" data-cijfer="opvolging">${share(r.opvolgingPercentage)}</td>
</tr>`
      : "";
  })}</tbody></table></div>`;
}

function charts(f: RegionFigures, gemeente: string, naam: string): Html {
  const rows = f.maanden.map((m) => rowOf(f, gemeente, m));
  const zero = { aantal: 0, weergave: "0" };
  const labels = f.maanden.map(shortMonth);
  const signals = barChartSvg({
    id: "grafiek-signalen",
    titel: `Signalen per maand, ${naam} ${f.jaar}`,
    labels,
    reeksen: [{ naam: "Signalen", klasse: "vi-bar--1", waarden: rows.map((r) => r?.signalen ?? zero) }],
  });
  const followUp = barChartSvg({
    id: "grafiek-opvolging",
    titel: `Opvolging binnen ${f.opvolgtermijnDagen} dagen per maand, ${naam} ${f.jaar}`,
    labels,
    max: 100,
    zonderGetal: "niet getoond (klein aantal)",
    eenheid: "%",
    reeksen: [
      {
        naam: `Contact binnen ${f.opvolgtermijnDagen} dagen`,
        klasse: "vi-bar--1",
        waarden: rows.map((r) =>
          r?.opvolgingPercentage != null
            ? { aantal: r.opvolgingPercentage, weergave: share(r.opvolgingPercentage) }
            : r && r.opvolgbareMatches.aantal !== 0
              ? { aantal: null, weergave: "–" }
              : zero,
        ),
      },
    ],
  });
  const matches = barChartSvg({
    id: "grafiek-matches",
    titel: `Matches per maand, ${naam} ${f.jaar}`,
    labels,
    reeksen: [
      { naam: "Cliëntmatches", klasse: "vi-bar--1", waarden: rows.map((r) => r?.clientmatches ?? zero) },
      { naam: "Gezinsmatches", klasse: "vi-bar--2", waarden: rows.map((r) => r?.gezinsmatches ?? zero) },
    ],
  });
  return html`<div class="vi-charts">
<figure class="vi-chart">${raw(signals)}<figcaption class="utrecht-paragraph vi-meta">Signalen per maand (de getallen staan in de tabel).</figcaption></figure>
<figure class="vi-chart">${raw(matches)}<figcaption class="utrecht-paragraph vi-meta"><span class="vi-legend vi-legend--1"></span> Cliëntmatches, <span class="vi-legend vi-legend--2"></span> gezinsmatches per maand.</figcaption></figure>
<figure class="vi-chart">${raw(followUp)}<figcaption class="utrecht-paragraph vi-meta">Opvolging: het aandeel van de matches van die maand (minstens ${f.opvolgtermijnDagen} dagen oud) met contact binnen ${f.opvolgtermijnDagen} dagen, in procenten (de getallen staan in de tabel).</figcaption></figure>
</div>`;
}

function yearOf(c: Ctx, deps: WebDeps): number {
  const wanted = Number(c.req.query("jaar"));
  const now = deps.clock.now().getUTCFullYear();
  return Number.isInteger(wanted) && wanted >= 2000 && wanted <= now ? wanted : now;
}

export function registerRegioRoutes(app: WebApp, deps: WebDeps) {
  app.get("/regio", async (c) => {
    const who = await requireConvenantmanager(deps, c);
    if (who instanceof Response) return who;
    const jaar = yearOf(c, deps);
    const [nodes, f] = await Promise.all([who.hub.nodes(), who.hub.figures(jaar)]);
    const known = new Map([[REGION, deps.config.REGIO_NAAM], ...f.gemeenten.map((g) => [g.code, g.naam] as [string, string])]);
    const gemeente = known.has(c.req.query("gemeente") ?? "") ? c.req.query("gemeente")! : REGION;
    const maand = f.maanden.includes(c.req.query("maand") ?? "") ? c.req.query("maand")! : WHOLE_YEAR;
    const naam = known.get(gemeente)!;
    const missing = f.gemeenten.filter((g) => !g.beantwoord);
    return c.html(
      page(
        await frame(deps, c, "Cijfers en nodes van de regio", { current: "regio", live: false }),
        html`<p class="utrecht-paragraph">Alleen aantallen, nooit personen. Aantallen van 1 tot en met 4 staan als &lt; 5; waar een totaal zo'n aantal zou verraden, ook een tweede. Opvolging binnen ${f.opvolgtermijnDagen} dagen is het aandeel van de matches in de matchregie die minstens ${f.opvolgtermijnDagen} dagen oud zijn (opvolgbaar), waarop binnen ${f.opvolgtermijnDagen} dagen contact is vastgelegd door de matchregisseur of een professional van de match.</p>
<section aria-labelledby="kop-nodes"><h2 class="utrecht-heading-2" id="kop-nodes">Nodes</h2>${healthTable(nodes)}</section>
<section aria-labelledby="kop-cijfers"><h2 class="utrecht-heading-2" id="kop-cijfers">Cijfers</h2>
<form class="vi-filter" method="get" action="/regio">
<div class="utrecht-form-field"><label class="utrecht-form-label" for="keuze-gemeente">Gemeente</label>
<select class="utrecht-select utrecht-select--html-select" id="keuze-gemeente" name="gemeente">${[...known].map(
          ([code, n]) => html`<option value="${code}"${code === gemeente ? " selected" : ""}>${code === REGION ? `Hele regio (${n})` : n}</option>`,
        )}</select></div>
<div class="utrecht-form-field"><label class="utrecht-form-label" for="keuze-jaar">Jaar</label>
<input class="utrecht-textbox utrecht-textbox--html-input vi-jaar" id="keuze-jaar" name="jaar" type="number" inputmode="numeric" min="2000" max="${deps.clock.now().getUTCFullYear()}" value="${jaar}"></div>
<div class="utrecht-form-field"><label class="utrecht-form-label" for="keuze-maand">Domeinen in</label>
<select class="utrecht-select utrecht-select--html-select" id="keuze-maand" name="maand"><option value="${WHOLE_YEAR}">heel het jaar</option>${f.maanden.map(
          (m) => html`<option value="${m}"${m === maand ? " selected" : ""}>${monthLabel(m)}</option>`,
        )}</select></div>
<button class="utrecht-button utrecht-button--secondary-action" type="submit">Toon</button>
</form>
${missing.length ? html`<div class="utrecht-alert utrecht-alert--warning vi-alert vi-alert--warning" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message"><p class="utrecht-paragraph">Geen cijfers van ${missing.map((g) => g.naam).join(", ")}: die node antwoordde niet. De totalen zijn zonder die gemeenten.</p></div></div></div>` : ""}
<div class="vi-chart-met-tabel">${charts(f, gemeente, naam)}${monthTable(f, gemeente, naam)}</div>
${domainTable(f, gemeente, maand, naam)}
</section>
<section aria-labelledby="kop-jaarverslag"><h2 class="utrecht-heading-2" id="kop-jaarverslag">Jaarverslag ${jaar}</h2>
<p class="utrecht-paragraph">Het niet-herleidbare jaarverslag van de verwijsindex over ${jaar}: de regio en iedere gemeente, per maand en per domein.</p>
<ul class="utrecht-unordered-list">
<li><a class="utrecht-link" href="/regio/jaarverslag.pdf?jaar=${jaar}" download>Jaarverslag ${jaar} (PDF)</a></li>
<li><a class="utrecht-link" href="/regio/jaarverslag.csv?jaar=${jaar}" download>Jaarverslag ${jaar} (CSV, voor een spreadsheet)</a></li>
</ul></section>`,
      ),
    );
  });

  app.get("/regio/register", async (c) => {
    const who = await requireConvenantmanager(deps, c);
    if (who instanceof Response) return who;
    const [organisaties, personen] = await Promise.all([who.hub.organisations(), who.hub.people()]);
    return c.html(page(await frame(deps, c, "Register van de regio", { current: "register", live: false }), registerBody(deps, organisaties, personen)));
  });

  app.get("/regio/jaarverslag.csv", async (c) => {
    const who = await requireConvenantmanager(deps, c);
    if (who instanceof Response) return who;
    const jaar = yearOf(c, deps);
    const f = await who.hub.figures(jaar);
    c.header("Content-Disposition", `attachment; filename="jaarverslag-verwijsindex-${jaar}.csv"`);
    c.header("Cache-Control", "no-store");
    return c.body(yearReportCsv(f, deps.config.REGIO_NAAM), 200, { "Content-Type": "text/csv; charset=utf-8" });
  });

  app.get("/regio/jaarverslag.pdf", async (c) => {
    const who = await requireConvenantmanager(deps, c);
    if (who instanceof Response) return who;
    const jaar = yearOf(c, deps);
    const f = await who.hub.figures(jaar);
    const pdf = await yearReportPdf(f, deps.config.REGIO_NAAM, dutchDate(deps.clock.now().toISOString().slice(0, 10)));
    c.header("Content-Disposition", `attachment; filename="jaarverslag-verwijsindex-${jaar}.pdf"`);
    c.header("Cache-Control", "no-store");
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf" });
  });
}

/** Organisations and their convenants per gemeente, and per organisation who it designated (and since when). */
function registerBody(deps: WebDeps, organisaties: RegisterOrganisation[], personen: RegisterPerson[]): Html {
  const gemeenten = deps.region.gemeenten;
  const byOrg = new Map<string, RegisterPerson[]>();
  for (const p of personen) byOrg.set(p.organisatieId, [...(byOrg.get(p.organisatieId) ?? []), p]);
  const designated = (o: RegisterOrganisation) => (byOrg.get(o.id) ?? []).filter((p) => p.rol === "professional" && p.signaleringsbevoegd);
  return html`<p class="utrecht-paragraph">De organisaties met een convenant, per gemeente, en de professionals die zij signaleringsbevoegd aanwezen. Wijzigen doet u via de API van het register; een coördinator beheert de aanwijzingen van de eigen organisatie.</p>
<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="convenanten">
<caption class="utrecht-table__caption">Convenanten per gemeente</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Gemeente</th>
<th class="utrecht-table__header-cell" scope="col">Organisaties met een convenant</th>
<th class="utrecht-table__header-cell" scope="col">Aangewezen professionals</th>
</tr></thead>
<tbody class="utrecht-table__body">${gemeenten.map((g) => {
    const orgs = organisaties.filter((o) => o.aangeslotenBij.includes(g.code));
    return html`<tr class="utrecht-table__row" data-gemeente="${g.code}">
<th class="utrecht-table__header-cell" scope="row">${g.naam}</th>
<td class="utrecht-table__cell">${orgs.length ? orgs.map((o) => `${o.naam} (${o.domein})`).join(", ") : "geen"}</td>
<td class="utrecht-table__cell vi-num">${orgs.reduce((n, o) => n + designated(o).length, 0)}</td>
</tr>`;
  })}</tbody></table></div>
<h2 class="utrecht-heading-2">Aanwijzingen per organisatie</h2>
${organisaties.map((o) => {
  const mensen = (byOrg.get(o.id) ?? []).filter((p) => p.rol === "professional");
  return html`<section class="vi-card" aria-labelledby="org-${o.id}"><h3 class="utrecht-heading-3" id="org-${o.id}">${o.naam}</h3>
<p class="utrecht-paragraph vi-meta">${o.domein}; convenant met ${o.aangeslotenBij.length === gemeenten.length ? "alle gemeenten van de regio" : o.aangeslotenBij.map((code) => deps.region.naamVan(code)).join(", ")}</p>
${
  mensen.length
    ? html`<ul class="utrecht-unordered-list">${mensen.map(
        (p) =>
          html`<li>${p.naam}, ${p.functie}: ${p.signaleringsbevoegd ? `aangewezen${p.medisch ? " (medisch)" : ""}${p.aangewezenOp ? ` sinds ${dutchDate(p.aangewezenOp)}` : ""}` : `niet aangewezen${p.ingetrokkenOp ? ` (ingetrokken op ${dutchDate(p.ingetrokkenOp)})` : ""}`}</li>`,
      )}</ul>`
    : html`<p class="utrecht-paragraph">Geen professionals in het register.</p>`
}
</section>`;
})}`;
}
