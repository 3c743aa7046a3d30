/**
 * The start page with the signal form (one form and one confirmation from the
 * start page to a registered signal), the confirmation, and "Mijn signalen":
 * extend, end, withdraw and "informed later", each explaining its consequence.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { addMonths, addYears, ageOn, minDate, todayIn, whoMustBeInformed } from "@vi/domain";
import { dutchDate, INFORMED_LABEL, informRuleText, REASON_LABEL } from "../../logic/format";
import { type FieldError, refusalOnForm } from "../../logic/refusals";
import { NodeRefusal, type SignaalView } from "../../outbound/node-api";
import type { SignedInUser, WebApp, WebDeps, WebVariables } from "../context";
import { frame } from "../pages/frame";
import { alert, button, csrfField, type Html, page } from "../views/layout";
import { matchList, radioGroup, textField } from "../views/parts";

type Ctx = Context<{ Variables: WebVariables }>;

interface FormState {
  values: { bsn?: string; geslachtsnaam?: string; geboortedatum?: string; geslacht?: string; einddatum?: string; geinformeerd?: string };
  errors: FieldError[];
}

const REASONS = Object.keys(REASON_LABEL);

function signalForm(deps: WebDeps, csrf: string, state: FormState): Html {
  const today = todayIn(deps.clock);
  const standaard = addMonths(today, deps.config.SIGNAAL_STANDAARD_DUUR_MAANDEN);
  const max = addYears(today, 2);
  const err = (f: FieldError["field"]) => state.errors.find((e) => e.field === f)?.message;
  const summary = state.errors.length
    ? alert(
        "error",
        html`<h2 class="utrecht-heading-2">Het signaal is niet afgegeven</h2>
<ul class="utrecht-unordered-list">${state.errors.map((e) =>
          e.field === "formulier" ? html`<li>${e.message}</li>` : html`<li><a class="utrecht-link" href="#${e.field}">${e.message}</a></li>`,
        )}</ul>`,
        { role: "alert", id: "fouten" },
      )
    : "";
  return html`${summary}
<form class="vi-form" method="post" action="/signalen" id="signaal" aria-label="Signaal afgeven">
${csrfField(csrf)}
${textField({
  id: "bsn",
  name: "bsn",
  label: "BSN van de jeugdige",
  value: state.values.bsn,
  description: "9 cijfers. Naam, geboortedatum en adres haalt de verwijsindex zelf uit de BRP; u typt verder niets over de jeugdige.",
  error: err("bsn"),
  attrs: html` inputmode="numeric" autocomplete="off" spellcheck="false" maxlength="20"`,
})}
<details class="vi-details" id="zonder-bsn"${state.values.geslachtsnaam || err("geslachtsnaam") || err("geboortedatum") || err("geslacht") ? html` open` : ""}>
<summary>De jeugdige heeft geen BSN</summary>
<p class="utrecht-paragraph">Alleen als de jeugdige echt geen BSN heeft: laat het BSN leeg en vul deze drie gegevens in. De landelijke verwijsindex geeft er een verwijsindexservicenummer bij; dezelfde gegevens geven altijd hetzelfde nummer. Er zijn dan geen BRP-gegevens.</p>
${textField({ id: "geslachtsnaam", name: "geslachtsnaam", label: "Geslachtsnaam (achternaam)", value: state.values.geslachtsnaam, error: err("geslachtsnaam"), attrs: html` autocomplete="off" maxlength="200"` })}
${textField({ id: "geboortedatum", name: "geboortedatum", label: "Geboortedatum", type: "date", value: state.values.geboortedatum, error: err("geboortedatum"), attrs: html` max="${today}"` })}
${radioGroup({
  name: "geslacht",
  legend: "Geslacht",
  error: err("geslacht"),
  checked: state.values.geslacht,
  options: [
    { value: "M", label: "Man" },
    { value: "V", label: "Vrouw" },
    { value: "O", label: "Onbekend of anders" },
  ],
})}
</details>
${textField({
  id: "einddatum",
  name: "einddatum",
  label: "Einddatum (niet verplicht)",
  type: "date",
  value: state.values.einddatum,
  description: html`Leeg laten geeft de standaard: <strong>${dutchDate(standaard)}</strong> (${deps.config.SIGNAAL_STANDAARD_DUUR_MAANDEN} maanden). Uiterlijk <strong>${dutchDate(max)}</strong> (2 jaar), en nooit na de 23e verjaardag.`,
  error: err("einddatum"),
  attrs: html` min="${today}" max="${max}"`,
})}
${radioGroup({
  name: "geinformeerd",
  legend: "Hebt u de jeugdige en/of de ouders geïnformeerd over dit signaal?",
  description:
    "Wie u informeert hangt af van de leeftijd: onder 12 jaar de ouders, van 12 tot 16 de ouders en de jeugdige, vanaf 16 de jeugdige zelf. De verwijsindex berekent dit na het opzoeken in de BRP en toont het in de bevestiging. Kunt u (nog) niet informeren, kies dan waarom; de toelichting hoort in uw eigen dossier.",
  error: err("geinformeerd"),
  checked: state.values.geinformeerd,
  options: [
    { value: "ja", label: "Ja, ik heb geïnformeerd wie de leeftijdsregels noemen" },
    ...REASONS.map((r) => ({ value: r, label: `Nog niet: ${REASON_LABEL[r]!.charAt(0).toLowerCase()}${REASON_LABEL[r]!.slice(1)}` })),
  ],
})}
<p class="utrecht-paragraph">${button("Signaal afgeven")}</p>
</form>`;
}

async function startPage(deps: WebDeps, c: Ctx, state: FormState = { values: {}, errors: [] }, status: 200 | 422 = 200) {
  const user = c.get("user");
  const f = await frame(deps, c, user ? "Signaal afgeven" : "Verwijsindex voor professionals", { current: "start" });
  if (!user) {
    return c.html(
      page(
        f,
        html`<p class="utrecht-paragraph vi-lead">Geef in een paar seconden een signaal af en leer de andere professionals kennen die bij dezelfde jeugdige of het gezin betrokken zijn.</p>
<p class="utrecht-paragraph">Meld u aan met het account van uw organisatie.</p>
<p class="utrecht-paragraph"><a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/aanmelden">Aanmelden</a></p>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/hulp">Hulp bij signaleren: wanneer geeft u een signaal af?</a></p>`,
      ),
      status,
    );
  }
  // The gemeente's matchregisseur works in Matchregie.
  if (user.professional.rol === "matchregisseur") return c.redirect("/matchregie", 303);
  // The convenantmanager's main page is the region's figures (routes/regio.ts).
  if (user.professional.rol === "convenantmanager") return c.redirect("/regio", 303);
  if (!user.professional.signaleringsbevoegd) {
    return c.html(
      page(
        f,
        html`${alert(
          "warning",
          html`<p class="utrecht-paragraph">U bent niet signaleringsbevoegd, dus u kunt geen signaal afgeven. Maakt u zich zorgen over een jeugdige? Bespreek het met een signaleringsbevoegde collega, zoals de intern begeleider. De coördinator van uw organisatie kan u signaleringsbevoegd maken.</p>`,
        )}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/hulp">Hulp bij signaleren</a></p>`,
      ),
      status === 200 ? 403 : status,
    );
  }
  return c.html(
    page(
      f,
      html`<p class="utrecht-paragraph">Twijfelt u of u een signaal moet afgeven? <a class="utrecht-link" href="/hulp/afweging">Doorloop de afweging</a> (niet verplicht) of <a class="utrecht-link" href="/hulp/criteria">zoek in de signaleringscriteria</a>.</p>
${signalForm(deps, c.get("csrf"), state)}`,
    ),
    status,
  );
}

function requireUser(c: Ctx): SignedInUser | Response {
  const user = c.get("user");
  if (!user) return c.redirect(`/aanmelden?terug=${encodeURIComponent(c.req.path)}`, 303);
  return user;
}

export function informedLine(s: SignaalView, today: string): Html {
  const age = ageOn(s.jeugdige.geboortedatum, today);
  const rule = informRuleText(whoMustBeInformed(Math.max(0, age)));
  if (s.geinformeerd) {
    return html`Geïnformeerd: ${INFORMED_LABEL[s.geinformeerdWie ?? ""] ?? "ja"}${s.geinformeerdOp ? html` op ${dutchDate(s.geinformeerdOp)}` : ""}. Bij ${age} jaar informeert u ${rule}.`;
  }
  return html`<strong>Nog niet geïnformeerd</strong> (${REASON_LABEL[s.redenNietGeinformeerd ?? ""] ?? "reden onbekend"}). Bij ${age} jaar informeert u ${rule}. Doe dat zodra het kan en leg het vast bij Mijn signalen: tot dan toont inzage door een ander uw organisatie niet aan de ouders.`;
}

function signalDetails(s: SignaalView, today: string): Html {
  return html`<dl class="utrecht-data-list vi-data-list">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Jeugdige</dt><dd class="utrecht-data-list__item-value">${s.jeugdige.naam}, geboren ${dutchDate(s.jeugdige.geboortedatum)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Organisatie</dt><dd class="utrecht-data-list__item-value">${s.organisatie.naam}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Looptijd</dt><dd class="utrecht-data-list__item-value">${dutchDate(s.startdatum)} tot en met ${dutchDate(s.einddatum)}${s.status === "gearchiveerd" ? html` (beëindigd op ${dutchDate(s.gearchiveerdOp)})` : ""}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Informeren</dt><dd class="utrecht-data-list__item-value">${informedLine(s, today)}</dd></div>
</dl>`;
}

const DONE: Record<string, string> = {
  verlengd: "Het signaal is verlengd. Dit is vastgelegd.",
  beeindigd: "Het signaal is beëindigd en staat in het archief. Op de cliëntkaart staat uw organisatie nu bij 'voorheen betrokken'.",
  ingetrokken: "Het signaal is ingetrokken en verwijderd. Ook de matches ervan zijn verdwenen, voor iedereen.",
  geinformeerd: "Vastgelegd dat u hebt geïnformeerd.",
};

async function signalsPage(
  deps: WebDeps,
  c: Ctx,
  user: SignedInUser,
  opts: { done?: string; error?: { id: string; message: string } } = {},
  status: 200 | 422 = 200,
) {
  const signals = await user.api.listSignals();
  const today = todayIn(deps.clock);
  const active = signals.filter((s) => s.status === "actief");
  const ended = signals.filter((s) => s.status !== "actief");
  const csrf = c.get("csrf");
  const max = addYears(today, 2);
  const card = (s: SignaalView) => {
    const err = opts.error?.id === s.id ? opts.error.message : undefined;
    return html`<li class="vi-card" data-signaal="${s.id}">
<h3 class="utrecht-heading-3">${s.jeugdige.naam}</h3>
${signalDetails(s, today)}
<p class="utrecht-paragraph vi-links"><a class="utrecht-link" href="/signalen/${s.id}">Matches van dit signaal</a> · <a class="utrecht-link" href="/signalen/${s.id}/clientkaart">Cliëntkaart</a> · <a class="utrecht-link" href="/signalen/${s.id}/inzage">Inzage geven</a></p>
${err ? alert("error", html`<p class="utrecht-paragraph">${err}</p>`, { role: "alert" }) : ""}
<div class="vi-actions">
<details class="vi-action"${err ? " open" : ""}><summary class="vi-action__summary">Verlengen</summary>
<form method="post" action="/signalen/${s.id}/verlengen">${csrfField(csrf)}
<p class="utrecht-paragraph">U bevestigt dat u nog betrokken bent. Het signaal loopt dan tot de nieuwe einddatum, hoogstens 2 jaar vanaf vandaag. De verlenging wordt vastgelegd.</p>
${textField({ id: `einddatum-${s.id}`, name: "einddatum", label: "Nieuwe einddatum", type: "date", value: minDate(addMonths(today, deps.config.SIGNAAL_STANDAARD_DUUR_MAANDEN), max), description: `Uiterlijk ${dutchDate(max)}.`, attrs: html` min="${today}" max="${max}" required` })}
${button("Verlengen", "secondary")}</form></details>
<details class="vi-action"><summary class="vi-action__summary">Beëindigen</summary>
<form method="post" action="/signalen/${s.id}/beeindigen">${csrfField(csrf)}
<p class="utrecht-paragraph">Uw betrokkenheid is voorbij. Het signaal gaat naar het archief (5 jaar) en blijft als 'voorheen betrokken' zichtbaar op de cliëntkaart. Signaleert iemand later opnieuw op deze jeugdige, dan hoort die dat u eerder betrokken was; u krijgt zelf geen meldingen meer.</p>
${button(`Beëindig het signaal op ${s.jeugdige.naam}`, "secondary")}</form></details>
<details class="vi-action"><summary class="vi-action__summary">Intrekken</summary>
<form method="post" action="/signalen/${s.id}/intrekken">${csrfField(csrf)}
<p class="utrecht-paragraph">Alleen als het signaal onterecht was; het wordt verwijderd en niet gearchiveerd. Ook de matches met dit signaal verdwijnen, voor iedereen.</p>
${button(`Trek het signaal op ${s.jeugdige.naam} in`, "secondary")}</form></details>
${
  s.geinformeerd
    ? ""
    : html`<details class="vi-action"><summary class="vi-action__summary">Alsnog geïnformeerd</summary>
<form method="post" action="/signalen/${s.id}/informeren">${csrfField(csrf)}
<p class="utrecht-paragraph">Leg vast dat u vandaag hebt geïnformeerd wie de leeftijdsregels noemen. Vanaf dan toont inzage door een andere professional uw organisatie ook aan de ouders. De reden om niet te informeren vervalt.</p>
${button("Vastleggen: ik heb geïnformeerd", "secondary")}</form></details>`
}
</div></li>`;
  };
  const endedCard = (s: SignaalView) => html`<li class="vi-card"><h3 class="utrecht-heading-3">${s.jeugdige.naam}</h3>${signalDetails(s, today)}</li>`;
  return c.html(
    page(
      await frame(deps, c, "Mijn signalen", { current: "signalen" }),
      html`${opts.done && DONE[opts.done] ? alert("ok", html`<p class="utrecht-paragraph">${DONE[opts.done]}</p>`, { role: "status" }) : ""}
<h2 class="utrecht-heading-2">Actief (${active.length})</h2>
${active.length ? html`<ul class="vi-cards">${active.map(card)}</ul>` : html`<p class="utrecht-paragraph vi-empty">U hebt geen actieve signalen.</p>`}
<h2 class="utrecht-heading-2">Beëindigd (${ended.length})</h2>
${ended.length ? html`<ul class="vi-cards">${ended.map(endedCard)}</ul>` : html`<p class="utrecht-paragraph vi-empty">Geen beëindigde signalen in het archief.</p>`}`,
    ),
    status,
  );
}

export function registerSignalRoutes(app: WebApp, deps: WebDeps) {
  app.get("/", (c) => startPage(deps, c));

  app.post("/signalen", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    const body = await c.req.parseBody();
    const values = {
      bsn: String(body.bsn ?? "")
        .replace(/[\s.-]/g, "")
        .slice(0, 32),
      geslachtsnaam: String(body.geslachtsnaam ?? "").slice(0, 200),
      geboortedatum: String(body.geboortedatum ?? "").trim(),
      geslacht: String(body.geslacht ?? ""),
      einddatum: String(body.einddatum ?? "").trim(),
      geinformeerd: String(body.geinformeerd ?? ""),
    };
    const zonderBsn = !values.bsn && Boolean(values.geslachtsnaam.trim() || values.geboortedatum || values.geslacht);
    const errors: FieldError[] = [];
    if (!values.bsn && !zonderBsn)
      errors.push({ field: "bsn", message: "Vul het BSN van de jeugdige in (9 cijfers), of de gegevens van een jeugdige zonder BSN." });
    if (values.einddatum && !/^\d{4}-\d{2}-\d{2}$/.test(values.einddatum))
      errors.push({ field: "einddatum", message: "Vul een datum in, zoals 2027-06-30, of laat het veld leeg." });
    if (values.geinformeerd !== "ja" && !REASONS.includes(values.geinformeerd)) {
      errors.push({ field: "geinformeerd", message: "Kies of u hebt geïnformeerd, of waarom nog niet." });
    }
    if (errors.length) return startPage(deps, c, { values, errors }, 422);
    try {
      const result = await user.api.registerSignal({
        ...(zonderBsn
          ? { jeugdigeZonderBsn: { geslachtsnaam: values.geslachtsnaam, geboortedatum: values.geboortedatum, geslacht: values.geslacht } }
          : { bsn: values.bsn }),
        ...(values.einddatum ? { einddatum: values.einddatum } : {}),
        geinformeerd: values.geinformeerd === "ja",
        ...(values.geinformeerd === "ja" ? {} : { redenNietGeinformeerd: values.geinformeerd }),
      });
      return c.redirect(`/signalen/${result.signaal.id}?nieuw=1`, 303);
    } catch (e) {
      if (!(e instanceof NodeRefusal) || e.status === 401) throw e;
      const refusal = refusalOnForm(e.code, e.detail, e.fields[0]?.name);
      // The facts of a youth without a BSN: the node names the field it refuses.
      const field = e.fields[0]?.name;
      if (e.code === "FEITEN_ONGELDIG" && (field === "geslachtsnaam" || field === "geboortedatum" || field === "geslacht"))
        return startPage(deps, c, { values, errors: [{ field, message: e.detail }] }, 422);
      return startPage(deps, c, { values, errors: [refusal] }, 422);
    }
  });

  app.get("/signalen", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    return signalsPage(deps, c, user, { done: c.req.query("gedaan") });
  });

  app.get("/signalen/:id", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const id = c.req.param("id");
    const [signaal, matches] = await Promise.all([user.api.getSignal(id), user.api.matches({ signaalId: id })]);
    const today = todayIn(deps.clock);
    const nieuw = c.req.query("nieuw") === "1";
    return c.html(
      page(
        await frame(deps, c, nieuw ? "Signaal afgegeven" : `Signaal op ${signaal.jeugdige.naam}`, { current: "signalen" }),
        html`${nieuw ? alert("ok", html`<p class="utrecht-paragraph">Uw signaal op <strong>${signaal.jeugdige.naam}</strong> is afgegeven.</p>`, { role: "status" }) : ""}
${signalDetails(signaal, today)}
<h2 class="utrecht-heading-2">Matches (${matches.length})</h2>
<div id="matches-signaal">${matchList(matches, nieuw ? "Nog geen match: er is (nog) geen andere professional betrokken. Komt er een bij, dan ziet u dat bij Matches en krijgt u een e-mail." : "Geen matches.")}</div>
<p class="utrecht-paragraph vi-links"><a class="utrecht-link" href="/signalen/${signaal.id}/clientkaart">Cliëntkaart</a> · <a class="utrecht-link" href="/signalen/${signaal.id}/inzage">Inzage geven</a> · <a class="utrecht-link" href="/signalen">Mijn signalen</a> · <a class="utrecht-link" href="/">Nog een signaal afgeven</a></p>`,
      ),
    );
  });

  const action = (path: string, run: (user: SignedInUser, id: string, body: Record<string, unknown>) => Promise<unknown>, done: string) =>
    app.post(`/signalen/:id/${path}`, async (c) => {
      const user = c.get("user");
      if (!user) return c.redirect("/aanmelden", 303);
      const id = c.req.param("id");
      try {
        await run(user, id, await c.req.parseBody());
      } catch (e) {
        if (!(e instanceof NodeRefusal) || e.status === 401 || e.status === 404) throw e;
        return signalsPage(deps, c, user, { error: { id, message: e.detail } }, 422);
      }
      return c.redirect(`/signalen?gedaan=${done}`, 303);
    });
  action("verlengen", (u, id, b) => u.api.extend(id, String(b.einddatum ?? "")), "verlengd");
  action("beeindigen", (u, id) => u.api.end(id), "beeindigd");
  action("intrekken", (u, id) => u.api.withdraw(id), "ingetrokken");
  action("informeren", (u, id) => u.api.informed(id), "geinformeerd");
}

export { requireUser };
