/**
 * Help before signalling, skippable: the seed guide's flowchart (chapter 3)
 * as a short question sequence ending in advice, the signalling criteria of
 * chapter 4 as searchable help, and the accessibility statement.
 */
import { html } from "hono/html";
import { fold, searchCriteria } from "../../logic/criteria";
import { ADVICE_TITLE, walk } from "../../logic/guide";
import type { WebApp, WebDeps } from "../context";
import { frame } from "../pages/frame";
import { alert, button, type Html, page } from "../views/layout";
import { radioGroup } from "../views/parts";

/** Marks each searched word in a text (escaped first, then <mark>). */
function highlight(text: string, query: string): Html {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return html`${text}`;
  const folded = fold(text);
  const marks: Array<[number, number]> = [];
  for (const w of words) {
    let i = folded.indexOf(w);
    while (i >= 0) {
      marks.push([i, i + w.length]);
      i = folded.indexOf(w, i + w.length);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const parts: Array<Html | string> = [];
  let at = 0;
  for (const [s, e] of marks) {
    if (s < at) continue;
    parts.push(text.slice(at, s), html`<mark class="vi-mark">${text.slice(s, e)}</mark>`);
    at = e;
  }
  parts.push(text.slice(at));
  return html`${parts}`;
}

export function registerHelpRoutes(app: WebApp, deps: WebDeps) {
  app.get("/hulp", async (c) =>
    c.html(
      page(
        await frame(deps, c, "Hulp bij signaleren", { current: "hulp" }),
        html`<p class="utrecht-paragraph">Weet u al dat u een signaal wilt afgeven? <a class="utrecht-link" href="/">Ga direct naar het formulier</a>. Deze hulp is niet verplicht.</p>
<ul class="utrecht-unordered-list">
<li><a class="utrecht-link" href="/hulp/afweging">De afweging: geef ik een signaal af?</a> In een paar vragen naar een advies, volgens het stroomschema van de handreiking.</li>
<li><a class="utrecht-link" href="/hulp/criteria">Signaleringscriteria</a>: signalen die de ontwikkeling van een jeugdige kunnen bedreigen, doorzoekbaar.</li>
</ul>
<h2 class="utrecht-heading-2">Ouders en jeugdige informeren</h2>
<p class="utrecht-paragraph">Informeer altijd voordat u signaleert: onder 12 jaar de ouders, van 12 tot 16 de ouders en de jeugdige, vanaf 16 de jeugdige zelf (de ouders alleen met toestemming van de jeugdige). Kan dat (nog) niet, bijvoorbeeld omdat het niet veilig is, dan mag u toch signaleren. Leg de reden vast in uw eigen dossier en informeer zodra het kan, vóórdat een andere professional inzage geeft.</p>`,
      ),
    ),
  );

  app.get("/hulp/afweging", async (c) => {
    const answers = (c.req.query("antwoorden") ?? "").split(",").filter(Boolean).slice(0, 10);
    const next = c.req.query("antwoord");
    const step = walk(next ? [...answers, next] : answers);
    const trail = step.trail.length
      ? html`<h2 class="utrecht-heading-2">Uw antwoorden</h2><ol class="utrecht-ordered-list">${step.trail.map((t) => html`<li>${t.question} <strong>${t.answer}</strong></li>`)}</ol>`
      : "";
    if (step.kind === "advice") {
      const doSignal = step.advice === "signaal" || step.advice === "signaal-en-meldcode";
      return c.html(
        page(
          await frame(deps, c, ADVICE_TITLE[step.advice], { current: "hulp" }),
          html`${alert(doSignal ? "ok" : "info", html`<p class="utrecht-paragraph">${step.reason}</p>`, { role: "status" })}
${step.advice === "signaal-en-meldcode" ? html`<p class="utrecht-paragraph">Volg de vijf stappen van de <a class="utrecht-link" href="https://www.rijksoverheid.nl/onderwerpen/huiselijk-geweld/meldcode">Meldcode huiselijk geweld en kindermishandeling</a>: signalen in kaart brengen, overleggen met een collega (en eventueel Veilig Thuis), gesprek met de cliënt, afwegen, en beslissen over hulp of een melding bij Veilig Thuis.</p>` : ""}
${doSignal ? html`<p class="utrecht-paragraph"><a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/#signaal">Signaal afgeven</a></p>` : ""}
${trail}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/hulp/afweging">Opnieuw beginnen</a></p>`,
        ),
      );
    }
    return c.html(
      page(
        await frame(deps, c, "De afweging: geef ik een signaal af?", { current: "hulp" }),
        html`<p class="utrecht-paragraph">Vraag ${step.answers.length + 1}. U kunt deze hulp altijd overslaan: <a class="utrecht-link" href="/">direct naar het formulier</a>.</p>
<form method="get" action="/hulp/afweging" class="vi-form">
<input type="hidden" name="antwoorden" value="${step.answers.join(",")}">
${radioGroup({ name: "antwoord", legend: step.question.text, description: step.question.hint, options: step.question.options, required: true })}
<p class="utrecht-paragraph">${button("Volgende")}</p>
</form>
${trail}`,
      ),
    );
  });

  app.get("/hulp/criteria", async (c) => {
    const query = (c.req.query("zoek") ?? "").slice(0, 100);
    const { sections, hits } = searchCriteria(query);
    return c.html(
      page(
        await frame(deps, c, "Signaleringscriteria", { current: "hulp" }),
        html`<p class="utrecht-paragraph">Signalen die de ontwikkeling van een leerling kunnen bedreigen en dus aanleiding kunnen zijn om te signaleren (hoofdstuk 4 van de handreiking). Het gaat om meervoudige problematiek: niet om alleen leerproblemen. Ziet u belemmeringen in de ontwikkeling en hebt u een niet-pluisgevoel? Start ook de Meldcode.</p>
<search><form method="get" action="/hulp/criteria" class="vi-search" role="search" aria-label="Signaleringscriteria">
<label class="utrecht-form-label" for="zoek">Zoek in de criteria</label>
<input class="utrecht-textbox utrecht-textbox--html-input" type="search" id="zoek" name="zoek" value="${query}">
${button("Zoeken", "secondary")}
</form></search>
<p class="utrecht-paragraph" role="status">${query ? `${hits} ${hits === 1 ? "signaal gevonden" : "signalen gevonden"} voor "${query}".` : `${hits} signalen.`}</p>
${sections.map(
  (s) => html`<section class="vi-criteria" aria-labelledby="criteria-${s.id}">
<h2 class="utrecht-heading-2" id="criteria-${s.id}">${s.title}</h2>
${s.intro ? html`<p class="utrecht-paragraph">${s.intro}</p>` : ""}
${s.groups.map(
  (g) =>
    html`${g.title ? html`<h3 class="utrecht-heading-3">${g.title}</h3>` : ""}<ul class="utrecht-unordered-list">${g.items.map((i) => html`<li>${highlight(i, query)}</li>`)}</ul>`,
)}
</section>`,
)}`,
      ),
    );
  });

  app.get("/toegankelijkheid", async (c) =>
    c.html(
      page(
        await frame(deps, c, "Toegankelijkheidsverklaring", { current: "toegankelijkheid" }),
        html`<p class="utrecht-paragraph">De gemeenten van ${deps.config.REGIO_NAAM} willen dat iedereen deze website kan gebruiken. Ze is gemaakt volgens de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, de norm uit EN 301 549 die voor overheidswebsites wettelijk verplicht is (Besluit digitale toegankelijkheid overheid).</p>
<h2 class="utrecht-heading-2">Wat we doen</h2>
<ul class="utrecht-unordered-list">
<li>Elk formulierveld heeft een label; fouten staan bij het veld, in tekst en niet alleen in kleur, en bovenaan in een overzicht met links naar de velden.</li>
<li>Alles werkt met het toetsenbord, in een logische volgorde, met een zichtbare focus. De eerste link op elke pagina brengt u naar de inhoud.</li>
<li>Tekst en knoppen hebben voldoende contrast. De website werkt vanaf 320 pixels breed (telefoon) en bij 200% zoom.</li>
<li>Nieuwe matches worden voorgelezen door schermlezers (een statusmelding), zonder dat de pagina verspringt.</li>
<li>De website werkt ook zonder JavaScript; het script voegt alleen het automatisch bijwerken toe.</li>
<li>Elke pagina wordt automatisch getoetst met axe-core in een echte browser; de toetsen vinden geen overtredingen.</li>
</ul>
<h2 class="utrecht-heading-2">Status</h2>
<p class="utrecht-paragraph">Deze website voldoet naar ons beste weten aan WCAG 2.1 AA. Een onderzoek door een onafhankelijke deskundige is nog niet gedaan; tot dan is de status "voldoet gedeeltelijk" (B) volgens het model van DigiToegankelijk.</p>
<h2 class="utrecht-heading-2">Iets werkt niet?</h2>
<p class="utrecht-paragraph">Meld het bij de beheerder van de verwijsindex van uw gemeente. We reageren binnen 5 werkdagen. Krijgt u geen of geen goed antwoord, dan kunt u zich wenden tot de Nationale ombudsman.</p>`,
      ),
    ),
  );
}
