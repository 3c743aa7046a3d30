/**
 * The organisation coordinator (Jeugdwet 7.1.3.3): their own organisation's people in the region's register at the
 * hub, designate and revoke (every node knows within seconds), and hand a leaving professional's signals to a
 * colleague (at the node). The hub is called with the coordinator's own token for the hub's audience, fetched
 * once per session through the provider (docs/adr/0029); the hub and the node decide, the page only asks.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { dutchDate } from "../../logic/format";
import { hubApi, type RegisterPersoon } from "../../outbound/hub-api";
import { NodeRefusal } from "../../outbound/node-api";
import type { SignedInUser, WebApp, WebDeps, WebVariables } from "../context";
import { hubUrlFor } from "../gemeenten";
import { errorPage } from "../pages/errors";
import { frame } from "../pages/frame";
import { alert, button, csrfField, type Html, page } from "../views/layout";

type Ctx = Context<{ Variables: WebVariables }>;
const PATH = "/coordinatie";
const toHub = () => `/aanmelden?voor=hub&terug=${encodeURIComponent(PATH)}`;

const DONE: Record<string, string> = {
  aangewezen: "De professional is aangewezen als signaleringsbevoegd. Iedere verwijsindex van de regio weet het binnen enkele seconden.",
  ingetrokken: "De aanwijzing is ingetrokken. Iedere verwijsindex van de regio weigert het volgende signaal van deze professional.",
};

async function coordinator(deps: WebDeps, c: Ctx): Promise<{ user: SignedInUser; hub: ReturnType<typeof hubApi> } | Response> {
  const user = c.get("user");
  if (!user) return c.redirect(`/aanmelden?terug=${encodeURIComponent(PATH)}`, 303);
  if (user.professional.rol !== "coordinator")
    return c.html(errorPage(deps, c, 403, "Geen toegang", "Deze pagina is alleen voor de coördinator van een organisatie."), 403);
  const hubUrl = hubUrlFor(deps, user.professional);
  if (!hubUrl)
    return c.html(
      errorPage(deps, c, 503, "Register niet bereikbaar", "Het register van de regio is niet ingesteld voor deze website. Neem contact op met de beheerder."),
      503,
    );
  const token = user.session.hubToken;
  if (!token || token.expiresAt * 1000 <= Date.now() + 30_000) return c.redirect(toHub(), 303);
  return { user, hub: hubApi(hubUrl, token.accessToken) };
}

/** The hub refused the token (expired): fetch a new one instead of ending the session. */
function hubTokenRefused(c: Ctx, user: SignedInUser, e: unknown): Response | undefined {
  if (e instanceof NodeRefusal && e.status === 401) {
    user.session.hubToken = undefined;
    return c.redirect(toHub(), 303);
  }
  return undefined;
}

function peopleTable(csrf: string, people: RegisterPersoon[]): Html {
  const professionals = people.filter((p) => p.rol === "professional");
  if (!professionals.length) return html`<p class="utrecht-paragraph">Uw organisatie heeft nog geen professionals in het register.</p>`;
  return html`<div class="vi-table-wrap"><table class="utrecht-table vi-table" id="aanwijzingen">
<caption class="utrecht-table__caption">Professionals van uw organisatie</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Naam</th>
<th class="utrecht-table__header-cell" scope="col">Functie en e-mail</th>
<th class="utrecht-table__header-cell" scope="col">Signaleringsbevoegd</th>
<th class="utrecht-table__header-cell" scope="col">Wijzigen</th>
</tr></thead><tbody class="utrecht-table__body">${professionals.map(
    (p) => html`<tr class="utrecht-table__row" data-persoon="${p.email}">
<td class="utrecht-table__cell">${p.naam}</td>
<td class="utrecht-table__cell">${p.functie}<br><span class="vi-meta">${p.email}</span></td>
<td class="utrecht-table__cell">${p.signaleringsbevoegd ? html`Ja${p.aangewezenOp ? html`, sinds ${dutchDate(p.aangewezenOp)}` : ""}` : html`Nee${p.ingetrokkenOp ? html`, ingetrokken op ${dutchDate(p.ingetrokkenOp)}` : ""}`}</td>
<td class="utrecht-table__cell">${
      p.signaleringsbevoegd
        ? html`<form method="post" action="${PATH}/intrekken" class="vi-form vi-form--inline">${csrfField(csrf)}<input type="hidden" name="sub" value="${p.sub}">${button(`Trek de aanwijzing van ${p.naam} in`, "secondary")}</form>`
        : html`<form method="post" action="${PATH}/aanwijzen" class="vi-form vi-form--inline">${csrfField(csrf)}<input type="hidden" name="sub" value="${p.sub}">${button(`Wijs ${p.naam} aan`, "secondary")}</form>`
    }</td>
</tr>`,
  )}</tbody></table></div>`;
}

function handoverForm(csrf: string, people: RegisterPersoon[]): Html {
  const professionals = people.filter((p) => p.rol === "professional");
  const designated = professionals.filter((p) => p.signaleringsbevoegd);
  const option = (p: RegisterPersoon) => html`<option value="${p.email}">${p.naam} (${p.email})</option>`;
  return html`<form method="post" action="${PATH}/overdragen" class="vi-form" id="overdragen">${csrfField(csrf)}
<p class="utrecht-paragraph">Vertrekt een professional? Draag diens actieve signalen over aan een signaleringsbevoegde collega, zodat ze niet verlopen. De collega krijgt een melding en een e-mail; de matches gaan mee. Ieder overgedragen signaal wordt gelogd.</p>
<div class="utrecht-form-field vi-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="overdracht-van">Professional die vertrekt</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="overdracht-van" name="van" required><option value="">Kies</option>${professionals.map(option)}</select></div></div>
<div class="utrecht-form-field vi-field"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="overdracht-naar">Collega die de signalen overneemt</label></div>
<div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="overdracht-naar" name="naar" required><option value="">Kies</option>${designated.map(option)}</select></div></div>
${button("Draag de signalen over")}</form>`;
}

export function registerCoordinationRoutes(app: WebApp, deps: WebDeps) {
  const render = async (c: Ctx, ctx: { user: SignedInUser; hub: ReturnType<typeof hubApi> }, message?: Html, status: 200 | 422 = 200) => {
    let people: RegisterPersoon[];
    try {
      people = await ctx.hub.people();
    } catch (e) {
      const again = hubTokenRefused(c, ctx.user, e);
      if (again) return again;
      throw e;
    }
    const csrf = c.get("csrf");
    return c.html(
      page(
        await frame(deps, c, `Coördinatie ${ctx.user.professional.organisatie.naam}`, { current: "coordinatie" }),
        html`${message ?? ""}<p class="utrecht-paragraph">U beheert de aanwijzingen van uw eigen organisatie in het register van de regio: wie signaleringsbevoegd is. Een ingetrokken aanwijzing geldt direct, bij iedere gemeente.</p>
<h2 class="utrecht-heading-2">Aanwijzingen</h2>${peopleTable(csrf, people)}
<h2 class="utrecht-heading-2">Signalen overdragen</h2>${handoverForm(csrf, people)}`,
      ),
      status,
    );
  };

  app.get(PATH, async (c) => {
    const ctx = await coordinator(deps, c);
    if (ctx instanceof Response) return ctx;
    const done = DONE[c.req.query("gedaan") ?? ""];
    return render(c, ctx, done ? alert("ok", html`<p class="utrecht-paragraph">${done}</p>`, { role: "status", id: "coordinatie-gedaan" }) : undefined);
  });

  for (const [action, gedaan] of [
    ["aanwijzen", "aangewezen"],
    ["intrekken", "ingetrokken"],
  ] as const) {
    app.post(`${PATH}/${action}`, async (c) => {
      const ctx = await coordinator(deps, c);
      if (ctx instanceof Response) return ctx;
      const sub = String((await c.req.parseBody()).sub ?? "");
      try {
        if (action === "aanwijzen") await ctx.hub.designate(sub, false);
        else await ctx.hub.revoke(sub);
      } catch (e) {
        const again = hubTokenRefused(c, ctx.user, e);
        if (again) return again;
        if (e instanceof NodeRefusal && e.status < 500)
          return render(c, ctx, alert("error", html`<p class="utrecht-paragraph">${e.detail}</p>`, { role: "alert" }), 422);
        throw e;
      }
      return c.redirect(`${PATH}?gedaan=${gedaan}`, 303);
    });
  }

  app.post(`${PATH}/overdragen`, async (c) => {
    const ctx = await coordinator(deps, c);
    if (ctx instanceof Response) return ctx;
    const body = await c.req.parseBody();
    try {
      const r = await ctx.user.api.handOver(String(body.van ?? ""), String(body.naar ?? ""));
      const rest = [
        r.alBetrokken ? `${r.alBetrokken} signaal/signalen bleven staan: de collega heeft zelf al een signaal op die jeugdige.` : "",
        r.elders ? `${r.elders} signaal/signalen lopen via een andere gemeente; draag die over via de verwijsindex van die gemeente.` : "",
      ].filter(Boolean);
      return render(
        c,
        ctx,
        alert("ok", html`<p class="utrecht-paragraph">${r.overgedragen} actieve signalen overgedragen. ${rest.join(" ")}</p>`, {
          role: "status",
          id: "coordinatie-gedaan",
        }),
      );
    } catch (e) {
      if (e instanceof NodeRefusal && e.status < 500 && e.status !== 401)
        return render(c, ctx, alert("error", html`<p class="utrecht-paragraph">${e.detail}</p>`, { role: "alert" }), 422);
      throw e;
    }
  });
}
