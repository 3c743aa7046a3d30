/**
 * The page frame: NL Design System (Utrecht components, the region's design
 * tokens), a skip link, the header with who is signed in, the node they work
 * through and the count of their matches, and the footer with the
 * accessibility statement. Server-rendered; the one script only adds live
 * updates.
 */
import { html } from "hono/html";

export type Html = ReturnType<typeof html>;

export interface Viewer {
  naam: string;
  functie: string;
  organisatie: string;
  signaleringsbevoegd: boolean;
  /** The gemeente's matchregisseur: the menu offers Matchregie. */
  matchregisseur?: boolean;
  /** The role in the region's register (professional, coordinator, privacyfunctionaris, ...). */
  rol?: string;
  gemeente: { code: string; naam: string };
  /** The gemeenten the organisation is connected to that have a node (choose when more than one). */
  gemeenten: Array<{ code: string; naam: string }>;
  matches: number | undefined;
  /** The region's convenantmanager: the menu leads to the figures and the nodes' health. */
  convenantmanager?: boolean;
}

export interface PageFrame {
  title: string;
  regio: string;
  thema: string;
  csrf: string;
  viewer?: Viewer;
  /** Open the live stream on this page (signed in). */
  live?: boolean;
  /** Which menu item is current. */
  current?: "start" | "signalen" | "matches" | "matchregie" | "hulp" | "toegankelijkheid" | "regio" | "register" | "avg" | "coordinatie";
}

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

function menu(f: PageFrame): Html {
  const item = (key: PageFrame["current"], href: string, label: Html | string) =>
    html`<li class="vi-nav__item"><a class="utrecht-link vi-nav__link" href="${href}"${f.current === key ? html` aria-current="page"` : ""}>${label}</a></li>`;
  const count = f.viewer?.matches;
  return html`<nav class="vi-nav" aria-label="Hoofdmenu"><ul class="vi-nav__list">
${item("start", "/", "Start")}
${f.viewer && !f.viewer.matchregisseur && !f.viewer.convenantmanager ? item("signalen", "/signalen", "Mijn signalen") : ""}
${f.viewer?.matchregisseur ? item("matchregie", "/matchregie", "Matchregie") : ""}
${f.viewer && !f.viewer.convenantmanager ? item("matches", "/matches", html`Matches <span class="vi-count" id="match-count" data-count="${count ?? 0}">(<span class="vi-count__n">${count ?? "?"}</span>)</span>`) : ""}
${f.viewer?.convenantmanager ? item("regio", "/regio", "Cijfers en nodes") : ""}
${f.viewer?.convenantmanager ? item("register", "/regio/register", "Register") : ""}
${f.viewer?.rol === "privacyfunctionaris" ? item("avg", "/avg", "AVG-loket") : ""}
${f.viewer?.rol === "coordinator" ? item("coordinatie", "/coordinatie", "Coördinatie") : ""}
${item("hulp", "/hulp", "Hulp bij signaleren")}
</ul></nav>`;
}

function userBar(f: PageFrame): Html {
  const v = f.viewer;
  if (!v)
    return html`<p class="vi-user"><a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/aanmelden">Aanmelden</a></p>`;
  const choice =
    v.gemeenten.length > 1
      ? html`<form class="vi-user__gemeente" method="post" action="/gemeente">${csrfField(f.csrf)}
<label class="utrecht-form-label" for="gemeente-keuze">Werkt via de verwijsindex van</label>
<select class="utrecht-select utrecht-select--html-select" id="gemeente-keuze" name="gemeente">${v.gemeenten.map(
          (g) => html`<option value="${g.code}"${g.code === v.gemeente.code ? " selected" : ""}>${g.naam}</option>`,
        )}</select>
<button class="utrecht-button utrecht-button--secondary-action" type="submit">Kies</button></form>`
      : html`<p class="utrecht-paragraph vi-user__gemeente">Werkt via de verwijsindex van ${v.gemeente.naam}</p>`;
  return html`<div class="vi-user">
<p class="utrecht-paragraph vi-user__who">Aangemeld als <strong>${v.naam}</strong>, ${v.functie.toLowerCase()}, ${v.organisatie}</p>
${choice}
<form method="post" action="/afmelden">${csrfField(f.csrf)}<button class="utrecht-button utrecht-button--subtle" type="submit">Afmelden</button></form>
</div>`;
}

export function page(f: PageFrame, body: Html | string): Html {
  return html`<!doctype html>
<html lang="nl" class="utrecht-document">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} - Verwijsindex ${f.regio}</title>
<link rel="stylesheet" href="/static/tokens.css">
<link rel="stylesheet" href="/static/utrecht.css">
<link rel="stylesheet" href="/static/app.css">
<link rel="stylesheet" href="/static/thema/${f.thema}.css">
<script src="/static/app.js" defer></script>
</head>
<body class="utrecht-body voorbeeld-theme vi-thema-${f.thema}"${f.live ? html` data-live="1"` : ""}>
<a class="utrecht-skip-link vi-skip-link" href="#inhoud">Naar de inhoud</a>
<header class="vi-header">
<div class="vi-header__inner">
<p class="vi-brand"><a class="vi-brand__link" href="/">Verwijsindex <span class="vi-brand__regio">${f.regio}</span></a></p>
${userBar(f)}
</div>
${menu(f)}
</header>
<main id="inhoud" class="vi-main" tabindex="-1">
<h1 class="utrecht-heading-1">${f.title}</h1>
${body}
</main>
<div class="vi-live-region" id="live-melding" role="status" aria-live="polite"></div>
<footer class="vi-footer">
<ul class="vi-footer__list">
<li><a class="utrecht-link" href="/toegankelijkheid">Toegankelijkheidsverklaring</a></li>
<li><a class="utrecht-link" href="/hulp/criteria">Signaleringscriteria</a></li>
</ul>
<p class="utrecht-paragraph">De verwijsindex bevat geen inhoud: alleen dat u betrokken bent, nooit waarom.</p>
</footer>
</body>
</html>`;
}

export function alert(kind: "info" | "ok" | "warning" | "error", content: Html | string, opts: { role?: "alert" | "status"; id?: string } = {}): Html {
  return html`<div class="utrecht-alert utrecht-alert--${kind} vi-alert vi-alert--${kind}"${opts.role ? html` role="${opts.role}"` : ""}${opts.id ? html` id="${opts.id}"` : ""}>
<div class="utrecht-alert__content"><div class="utrecht-alert__message">${content}</div></div></div>`;
}

export function button(label: string, kind: "primary" | "secondary" | "subtle" = "primary", extra: Html | string = ""): Html {
  const cls = kind === "primary" ? "utrecht-button--primary-action" : kind === "secondary" ? "utrecht-button--secondary-action" : "utrecht-button--subtle";
  return html`<button class="utrecht-button ${cls}" type="submit"${extra}>${label}</button>`;
}
