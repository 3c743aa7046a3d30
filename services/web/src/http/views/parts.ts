/** Pieces that several pages share: form fields, match cards, tables of involvement. */
import { html } from "hono/html";
import { dutchDate, dutchDateTime } from "../../logic/format";
import type { Betrokkenheid, Contact, MatchView, MeldingView } from "../../outbound/node-api";
import type { Html } from "./layout";

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

/** One match: whom to call and how. A family match never says which other youth. */
export function matchCard(m: MatchView): Html {
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
<p class="utrecht-paragraph"><a class="utrecht-link" href="/signalen/${m.mijnSignaal.id}/clientkaart">Cliëntkaart van ${m.mijnSignaal.jeugdige.naam}</a></p>
</li>`;
}

export function matchList(matches: MatchView[], empty: string): Html {
  if (!matches.length) return html`<p class="utrecht-paragraph vi-empty">${empty}</p>`;
  return html`<ul class="vi-cards">${matches.map(matchCard)}</ul>`;
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
  if (!moves.length) return handed;
  return html`${handed}<h2 class="utrecht-heading-2">Verhuizingen</h2><ul class="vi-cards">${moves.map((n) => {
    const i = n.inhoud as { jeugdigeNaam?: string; naarGemeente?: string; vanGemeente?: string };
    return html`<li class="vi-card"><p class="utrecht-paragraph">${i.jeugdigeNaam ?? "Een jeugdige"} is verhuisd${i.naarGemeente ? html` naar ${i.naarGemeente}` : ""}. Uw signaal is meeverhuisd.</p>
<p class="utrecht-paragraph vi-meta">${dutchDateTime(n.aangemaaktOp)}</p></li>`;
  })}</ul>`;
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
