/** Pieces that several pages share: form fields, match cards, tables of involvement. */
import { html } from "hono/html";
import { dutchDate, dutchDateTime, MATCH_STATUS_LABEL } from "../../logic/format";
import type { Betrokkenheid, Contact, MatchView, MeldingView } from "../../outbound/node-api";
import { button, csrfField, type Html } from "./layout";

export function textField(o: {
  id: string;
  name: string;
  label: string;
  value?: string;
  description?: Html | string;
  error?: string;
  type?: string;
  attrs?: Html;
}): Html {
  const describedBy = [o.description ? `${o.id}-uitleg` : "", o.error ? `${o.id}-fout` : ""].filter(Boolean).join(" ");
  return html`<div class="utrecht-form-field utrecht-form-field--text vi-field${o.error ? " utrecht-form-field--invalid" : ""}">
<div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${o.id}">${o.label}</label></div>
${o.description ? html`<div class="utrecht-form-field__description utrecht-form-field-description" id="${o.id}-uitleg">${o.description}</div>` : ""}
${o.error ? html`<div class="utrecht-form-field__error-message utrecht-form-field-error-message vi-error" id="${o.id}-fout"><span class="vi-error__prefix">Fout:</span> ${o.error}</div>` : ""}
<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input${o.error ? " utrecht-textbox--invalid" : ""}" id="${o.id}" name="${o.name}" type="${o.type ?? "text"}" value="${o.value ?? ""}"${describedBy ? html` aria-describedby="${describedBy}"` : ""}${o.error ? html` aria-invalid="true"` : ""}${o.attrs ?? ""}></div>
</div>`;
}

export function radioGroup(o: {
  name: string;
  legend: string;
  description?: Html | string;
  error?: string;
  options: Array<{ value: string; label: string }>;
  checked?: string;
  required?: boolean;
}): Html {
  const describedBy = [o.description ? `${o.name}-uitleg` : "", o.error ? `${o.name}-fout` : ""].filter(Boolean).join(" ");
  return html`<div class="utrecht-form-fieldset vi-field${o.error ? " utrecht-form-fieldset--invalid" : ""}">
<fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset" id="${o.name}"${describedBy ? html` aria-describedby="${describedBy}"` : ""}${o.error ? html` aria-invalid="true"` : ""}>
<legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${o.legend}</legend>
${o.description ? html`<div class="utrecht-form-field-description" id="${o.name}-uitleg">${o.description}</div>` : ""}
${o.error ? html`<div class="utrecht-form-field-error-message vi-error" id="${o.name}-fout"><span class="vi-error__prefix">Fout:</span> ${o.error}</div>` : ""}
${o.options.map(
  (opt, i) => html`<div class="utrecht-form-field utrecht-form-field--radio vi-radio">
<input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" id="${o.name}-${i}" name="${o.name}" value="${opt.value}"${opt.value === o.checked ? " checked" : ""}${o.required ? " required" : ""}>
<label class="utrecht-form-label utrecht-form-label--radio" for="${o.name}-${i}">${opt.label}</label></div>`,
)}
</fieldset></div>`;
}

export function contactLines(c: Contact | Omit<Contact, "functie">): Html {
  return html`<ul class="utrecht-unordered-list vi-contact">
<li>Telefoon: <a class="utrecht-link" href="tel:${c.telefoon.replace(/\s+/g, "")}">${c.telefoon}</a></li>
<li>E-mail: <a class="utrecht-link" href="mailto:${c.email}">${c.email}</a></li>
</ul>`;
}

/**
 * The follow-up of a match (matchregie): its status and regievoerder, and, with a form token, a control to set the
 * status (the residence node keeps it; a family match across gemeenten has none).
 */
function followUp(m: MatchView, csrf?: string): Html | string {
  const known = m.regie
    ? html`<p class="utrecht-paragraph vi-regie-status">Status: <strong>${MATCH_STATUS_LABEL[m.regie.status] ?? m.regie.status}</strong>${m.regie.regievoerder ? html` · Regievoerder: ${m.regie.regievoerder.naam} (${m.regie.regievoerder.organisatie})` : ""}</p>`
    : "";
  if (!csrf) return known;
  const id = `status-${m.id}`;
  return html`${known}<form class="vi-status-form" method="post" action="/matches/${m.id}/status">${csrfField(csrf)}
<label class="utrecht-form-label" for="${id}">Status van deze match</label>
<select class="utrecht-select utrecht-select--html-select" id="${id}" name="status">${Object.entries(MATCH_STATUS_LABEL).map(
    ([value, label]) => html`<option value="${value}"${value === (m.regie?.status ?? "geen-contact") ? " selected" : ""}>${label}</option>`,
  )}</select>
${button("Status opslaan", "secondary")}</form>`;
}

/** One match: whom to call and how. A family match never says which other youth. */
export function matchCard(m: MatchView, csrf?: string): Html {
  const soort =
    m.soort === "client"
      ? html`<strong>Cliëntmatch</strong>: een andere professional is betrokken bij ${m.mijnSignaal.jeugdige.naam}.`
      : html`<strong>Gezinsmatch</strong>: een professional is betrokken bij een ander kind in het gezin van ${m.mijnSignaal.jeugdige.naam}. Wie dat kind is, blijft geheim.`;
  return html`<li class="vi-card vi-match" data-match="${m.id}">
<h3 class="utrecht-heading-3">${m.soort === "client" ? "Cliëntmatch" : "Gezinsmatch"} over ${m.mijnSignaal.jeugdige.naam}</h3>
<p class="utrecht-paragraph">${soort}${m.viaArchief ? " Deze professional was eerder betrokken (uit het archief)." : ""}</p>
<p class="utrecht-paragraph vi-meta">Gemaakt op ${dutchDateTime(m.aangemaaktOp)}</p>
${m.betrokkenen.map(
  (b) => html`<div class="vi-betrokkene">
<p class="utrecht-paragraph"><strong>${b.naam}</strong>, ${b.functie}, ${b.organisatie} (${b.domein})${b.eerderBetrokken ? " · eerder betrokken" : ""}</p>
${contactLines(b)}
</div>`,
)}
${followUp(m, csrf)}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/signalen/${m.mijnSignaal.id}/clientkaart">Cliëntkaart van ${m.mijnSignaal.jeugdige.naam}</a></p>
</li>`;
}

/** The matches as cards; with a form token, each with the control to set its status. */
export function matchList(matches: MatchView[], empty: string, csrf?: string): Html {
  if (!matches.length) return html`<p class="utrecht-paragraph vi-empty">${empty}</p>`;
  return html`<ul class="vi-cards">${matches.map((m) => matchCard(m, csrf))}</ul>`;
}

export function noticeList(notices: MeldingView[]): Html {
  const moves = notices.filter((n) => n.soort === "verhuizing");
  const handovers = notices.filter((n) => n.soort === "overdracht");
  const handed = handovers.length
    ? html`<h2 class="utrecht-heading-2">Aan u overgedragen</h2><ul class="vi-cards">${handovers.map((n) => {
        const i = n.inhoud as { van?: { naam?: string }; signalen?: number };
        return html`<li class="vi-card vi-overdracht"><p class="utrecht-paragraph">De coördinator van uw organisatie heeft ${i.signalen === 1 ? "1 signaal" : `${i.signalen ?? 0} signalen`} van ${i.van?.naam ?? "een collega"} aan u overgedragen. U bent nu de contactpersoon; zie Mijn signalen.</p>
<p class="utrecht-paragraph vi-meta">${dutchDateTime(n.aangemaaktOp)}</p></li>`;
      })}</ul>`
    : html``;
  const reminders = notices.filter((n) => n.soort === "herinnering");
  return html`${handed}${
    reminders.length
      ? html`<h2 class="utrecht-heading-2">Herinneringen</h2><ul class="vi-cards">${reminders.map((n) => {
          const i = n.inhoud as { jeugdigeNaam?: string; dagen?: number; soort?: string };
          return html`<li class="vi-card"><p class="utrecht-paragraph">Bij uw ${i.soort === "gezin" ? "gezinsmatch" : "match"} over ${i.jeugdigeNaam || "een jeugdige"} is na ${i.dagen ?? "enkele"} dagen nog geen contact vastgelegd. Neem contact op met de andere professional en zet de status bij de match.</p>
<p class="utrecht-paragraph vi-meta">${dutchDateTime(n.aangemaaktOp)}</p></li>`;
        })}</ul>`
      : ""
  }${
    moves.length
      ? html`<h2 class="utrecht-heading-2">Verhuizingen</h2><ul class="vi-cards">${moves.map((n) => {
          const i = n.inhoud as {
            jeugdigeNaam?: string;
            naarGemeente?: string;
            naarGemeenteNaam?: string;
            aantalSignalen?: number;
            organisaties?: string[];
            matches?: unknown[];
          };
          const naar = i.naarGemeenteNaam || i.naarGemeente;
          // For the new gemeente's matchregisseur: what arrived, and where to act on it.
          if (i.aantalSignalen !== undefined)
            return html`<li class="vi-card"><p class="utrecht-paragraph">Een jeugdige met ${i.aantalSignalen} ${i.aantalSignalen === 1 ? "signaal" : "signalen"} is verhuisd naar ${naar}${i.organisaties?.length ? html` (betrokken: ${i.organisaties.join(", ")})` : ""}. ${i.matches?.length ? html`${i.matches.length} ${i.matches.length === 1 ? "match staat" : "matches staan"} nu in uw <a class="utrecht-link" href="/matchregie">matchregie</a>.` : "Er zijn (nog) geen matches."}</p>
<p class="utrecht-paragraph vi-meta">${dutchDateTime(n.aangemaaktOp)}</p></li>`;
          return html`<li class="vi-card"><p class="utrecht-paragraph">${i.jeugdigeNaam ?? "Een jeugdige"} is verhuisd${naar ? html` naar ${naar}` : ""}. Uw signaal is meeverhuisd.</p>
<p class="utrecht-paragraph vi-meta">${dutchDateTime(n.aangemaaktOp)}</p></li>`;
        })}</ul>`
      : ""
  }`;
}

export function involvementTable(caption: string, rows: Array<Betrokkenheid & { professional?: Contact | null }>, withContact: boolean): Html {
  if (!rows.length) return html`<p class="utrecht-paragraph"><strong>${caption}:</strong> geen.</p>`;
  return html`<div class="vi-table-wrap"><table class="utrecht-table vi-table">
<caption class="utrecht-table__caption">${caption}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row">
<th class="utrecht-table__header-cell" scope="col">Organisatie</th>
<th class="utrecht-table__header-cell" scope="col">Startdatum</th>
<th class="utrecht-table__header-cell" scope="col">Einddatum</th>
${withContact ? html`<th class="utrecht-table__header-cell" scope="col">Contact</th>` : ""}
</tr></thead>
<tbody class="utrecht-table__body">${rows.map(
    (r) => html`<tr class="utrecht-table__row">
<td class="utrecht-table__cell">${r.organisatie} <span class="vi-meta">(${r.domein})</span></td>
<td class="utrecht-table__cell">${dutchDate(r.startdatum)}</td>
<td class="utrecht-table__cell">${dutchDate(r.einddatum)}</td>
${withContact ? html`<td class="utrecht-table__cell">${r.professional ? html`${r.professional.naam}, ${r.professional.functie}${contactLines(r.professional)}` : html`<span class="vi-meta">Pas na een match</span>`}</td>` : ""}
</tr>`,
  )}</tbody></table></div>`;
}
