/**
 * The client card (with the archive on request) and inzage: on screen in a
 * view meant to be shown to parents or the youth, as a PDF, and by secure
 * mail (the mail carries only a link that expires; the PDF opens with a code
 * the professional gives separately). The node decides every rule of inzage;
 * the web shows what it returns, or why not.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { dutchDate, dutchDateTime, INFORMED_LABEL } from "../../logic/format";
import { inzagePdf } from "../../logic/inzage-pdf";
import { INZAGE_REFUSAL } from "../../logic/refusals";
import { CODE_LENGTH, MAX_ATTEMPTS } from "../../logic/sealed-inzage";
import { sendInzageMail } from "../../outbound/inzage-mail";
import { type InzageView, NodeRefusal } from "../../outbound/node-api";
import type { SignedInUser, WebApp, WebDeps, WebVariables } from "../context";
import { errorPage } from "../pages/errors";
import { frame } from "../pages/frame";
import { alert, button, csrfField, type Html, page } from "../views/layout";
import { involvementTable, radioGroup, textField } from "../views/parts";
import { requireUser } from "./signals";

type Ctx = Context<{ Variables: WebVariables }>;

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

function inzageQuery(c: Ctx): { voor?: "ouders" | "jeugdige"; toestemming: boolean } {
  const voor = c.req.query("voor");
  return { voor: voor === "ouders" || voor === "jeugdige" ? voor : undefined, toestemming: c.req.query("toestemming") === "ja" };
}

/** The part meant for the parents or the youth: the youth's data and the organisations, never a professional. */
function inzageView(i: InzageView): Html {
  return html`<section class="vi-inzage" aria-labelledby="inzage-kop">
<h2 class="utrecht-heading-2" id="inzage-kop">Wat de verwijsindex over ${i.jeugdige.naam} bevat</h2>
<p class="utrecht-paragraph">De verwijsindex bevat geen inhoud: alleen dat een organisatie betrokken is, niet waarom. Namen van professionals staan er niet bij, alleen de organisaties.</p>
<dl class="utrecht-data-list vi-data-list">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Naam</dt><dd class="utrecht-data-list__item-value">${i.jeugdige.naam}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Geboortedatum</dt><dd class="utrecht-data-list__item-value">${dutchDate(i.jeugdige.geboortedatum)}</dd></div>
</dl>
${involvementTable("Actueel betrokken organisaties", i.actiefBetrokken, false)}
${involvementTable("Voorheen betrokken organisaties", i.eerderBetrokken, false)}
<p class="utrecht-paragraph vi-meta">Opgesteld op ${dutchDate(i.opgesteldOp)} voor ${i.voor === "ouders" ? "de ouders" : "de jeugdige"}.</p>
</section>`;
}

async function loadInzage(user: SignedInUser, id: string, q: { voor: "ouders" | "jeugdige"; toestemming: boolean }) {
  return user.api.inzage(id, q.voor, q.toestemming);
}

export function registerClientCardRoutes(app: WebApp, deps: WebDeps) {
  app.get("/signalen/:id/clientkaart", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const id = c.req.param("id");
    const withArchive = c.req.query("archief") === "1";
    const [card, archive] = await Promise.all([user.api.clientCard(id), withArchive ? user.api.archive(id) : Promise.resolve(undefined)]);
    const j = card.jeugdige;
    const adres = j.geheimAdres
      ? "Geheim adres (geheimhouding in de BRP): niet getoond."
      : j.adres
        ? `${j.adres.straat} ${j.adres.huisnummer}${j.adres.huisletter ?? ""}, ${j.adres.postcode} ${j.adres.woonplaats}`
        : "Onbekend";
    return c.html(
      page(
        await frame(deps, c, `Cliëntkaart van ${j.naam}`, { current: "signalen" }),
        html`${
          j.zonderBsn
            ? alert(
                "info",
                html`<p class="utrecht-paragraph" id="zonder-bsn">Geen BRP-gegevens: geregistreerd zonder BSN (verwijsindexservicenummer ${j.verwijsindexservicenummer ?? ""}). Naam, geboortedatum en geslacht zijn zoals ingevuld; er is geen adres en er zijn geen ouders bekend.</p>`,
              )
            : ""
        }<dl class="utrecht-data-list vi-data-list">
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Naam</dt><dd class="utrecht-data-list__item-value">${j.naam}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Geboortedatum</dt><dd class="utrecht-data-list__item-value">${dutchDate(j.geboortedatum)} (${j.leeftijd} jaar)</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Geslacht</dt><dd class="utrecht-data-list__item-value">${j.geslacht}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Gemeente</dt><dd class="utrecht-data-list__item-value">${deps.region.naamVan(j.gemeente)}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Adres</dt><dd class="utrecht-data-list__item-value">${adres}</dd></div>
<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">Informeren</dt><dd class="utrecht-data-list__item-value">${INFORMED_LABEL[card.informeren]} (volgens de leeftijd)</dd></div>
</dl>
<h2 class="utrecht-heading-2">Actief betrokken</h2>
${involvementTable("Actief betrokken organisaties", card.actiefBetrokken, true)}
<h2 class="utrecht-heading-2">Voorheen betrokken</h2>
${
  archive
    ? involvementTable("Voorheen betrokken organisaties (uit het archief)", archive.eerderBetrokken, true)
    : card.eerderBetrokkenheid.aanwezig
      ? html`<p class="utrecht-paragraph">Er is eerdere betrokkenheid. U opent het archief alleen als u het nodig hebt; dat wordt vastgelegd.</p>
<form method="get" action="/signalen/${id}/clientkaart"><input type="hidden" name="archief" value="1">${button("Toon eerdere betrokkenheid", "secondary")}</form>`
      : html`<p class="utrecht-paragraph">Geen eerdere betrokkenheid bekend.</p>`
}
<p class="utrecht-paragraph vi-links"><a class="utrecht-link" href="/signalen/${id}/inzage">Inzage geven aan ouders of jeugdige</a> · <a class="utrecht-link" href="/signalen/${id}">Matches van dit signaal</a></p>`,
      ),
    );
  });

  app.get("/signalen/:id/inzage", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const id = c.req.param("id");
    const q = inzageQuery(c);
    if (!q.voor) {
      return c.html(
        page(
          await frame(deps, c, "Inzage geven", { current: "signalen" }),
          html`<p class="utrecht-paragraph">Met inzage laat u ouders en de jeugdige zien wat de verwijsindex over de jeugdige bevat: de gegevens en de betrokken organisaties, nooit namen van professionals en nooit gezinsmatches. U kunt het tonen op uw scherm, downloaden als PDF of beveiligd mailen.</p>
<form method="get" action="/signalen/${id}/inzage" class="vi-form">
${radioGroup({
  name: "voor",
  legend: "Voor wie is de inzage?",
  options: [
    { value: "ouders", label: "De ouders of verzorgers" },
    { value: "jeugdige", label: "De jeugdige zelf (vanaf 12 jaar)" },
  ],
  checked: "ouders",
  required: true,
})}
<p class="utrecht-paragraph">${button("Toon de inzage")}</p>
</form>`,
        ),
      );
    }
    let inzage: InzageView;
    try {
      inzage = await loadInzage(user, id, { voor: q.voor, toestemming: q.toestemming });
    } catch (e) {
      if (!(e instanceof NodeRefusal) || e.status === 401 || e.status === 404) throw e;
      const reason = INZAGE_REFUSAL[e.code] ?? e.detail;
      const consent =
        e.code === "INZAGE_TOESTEMMING_JEUGDIGE_NODIG"
          ? html`<form method="get" action="/signalen/${id}/inzage" class="vi-form">
<input type="hidden" name="voor" value="ouders">
<div class="utrecht-form-field utrecht-form-field--checkbox vi-field">
<input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="toestemming" name="toestemming" value="ja" required>
<label class="utrecht-form-label utrecht-form-label--checkbox" for="toestemming">De jeugdige heeft toestemming gegeven dat de ouders inzage krijgen</label>
</div>
<p class="utrecht-paragraph">${button("Toon de inzage voor de ouders")}</p>
</form>`
          : "";
      return c.html(
        page(
          await frame(deps, c, e.code === "INZAGE_TOESTEMMING_JEUGDIGE_NODIG" ? "Toestemming van de jeugdige nodig" : "Inzage niet mogelijk", {
            current: "signalen",
          }),
          html`${alert(e.code === "INZAGE_TOESTEMMING_JEUGDIGE_NODIG" ? "warning" : "error", html`<p class="utrecht-paragraph">${reason}</p>`, { role: "alert" })}
${consent}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/signalen/${id}/clientkaart">Terug naar de cliëntkaart</a></p>`,
        ),
        422,
      );
    }
    const pdfHref = `/signalen/${id}/inzage/pdf?voor=${q.voor}${q.toestemming ? "&toestemming=ja" : ""}`;
    return c.html(
      page(
        await frame(deps, c, "Inzage", { current: "signalen" }),
        html`<div class="vi-professional-only">
${alert("info", html`<p class="utrecht-paragraph"><strong>Alleen voor u:</strong> laat het kader hieronder zien aan ${q.voor === "ouders" ? "de ouders" : "de jeugdige"} en licht het toe. Vraag meteen toestemming om contact op te nemen met de andere betrokken organisaties.</p>`)}
${inzage.nietAllesGetoond ? alert("warning", html`<p class="utrecht-paragraph"><strong>Niet alles getoond:</strong> ${inzage.toelichting ?? "een of meer organisaties hebben de ouders en/of jeugdige nog niet geïnformeerd en worden daarom niet getoond."}</p>`) : ""}
</div>
${inzageView(inzage)}
<h2 class="utrecht-heading-2">Meegeven of versturen</h2>
<p class="utrecht-paragraph"><a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href="${pdfHref}" download>Download als PDF</a></p>
${
  deps.mailer
    ? html`<form method="post" action="/signalen/${id}/inzage/mail" class="vi-form">
${csrfField(c.get("csrf"))}
<input type="hidden" name="voor" value="${q.voor}">
<input type="hidden" name="toestemming" value="${q.toestemming ? "ja" : "nee"}">
${textField({
  id: "email",
  name: "email",
  label: "Beveiligd mailen naar (e-mailadres)",
  type: "email",
  description: `De e-mail bevat geen persoonsgegevens, alleen een link die ${deps.config.INZAGE_LINK_UREN} uur werkt. Het overzicht opent met een code die u daarna te zien krijgt en apart doorgeeft, bijvoorbeeld telefonisch.`,
  attrs: html` autocomplete="off" required`,
})}
<p class="utrecht-paragraph">${button("Verstuur beveiligd", "secondary")}</p>
</form>`
    : ""
}`,
      ),
    );
  });

  app.get("/signalen/:id/inzage/pdf", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const q = inzageQuery(c);
    if (!q.voor) return c.redirect(`/signalen/${c.req.param("id")}/inzage`, 303);
    let inzage: InzageView;
    try {
      inzage = await loadInzage(user, c.req.param("id"), { voor: q.voor, toestemming: q.toestemming });
    } catch (e) {
      if (e instanceof NodeRefusal && INZAGE_REFUSAL[e.code]) return c.html(errorPage(deps, c, 422, "Inzage niet mogelijk", INZAGE_REFUSAL[e.code]!), 422);
      throw e;
    }
    const pdf = await inzagePdf(inzage, deps.config.REGIO_NAAM);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": 'attachment; filename="inzage-verwijsindex.pdf"',
    });
  });

  app.post("/signalen/:id/inzage/mail", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    const id = c.req.param("id");
    const body = await c.req.parseBody();
    const voor = body.voor === "jeugdige" ? "jeugdige" : "ouders";
    const email = String(body.email ?? "").trim();
    if (!deps.mailer) return c.html(errorPage(deps, c, 503, "Mailen kan hier niet", "Deze website is niet ingesteld om e-mail te versturen."), 503);
    if (!EMAIL.test(email) || email.length > 254) {
      return c.html(
        errorPage(deps, c, 422, "E-mailadres ongeldig", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl. Ga terug en probeer het opnieuw."),
        422,
      );
    }
    let inzage: InzageView;
    try {
      inzage = await loadInzage(user, id, { voor, toestemming: body.toestemming === "ja" });
    } catch (e) {
      if (e instanceof NodeRefusal && INZAGE_REFUSAL[e.code]) return c.html(errorPage(deps, c, 422, "Inzage niet mogelijk", INZAGE_REFUSAL[e.code]!), 422);
      throw e;
    }
    const sealed = deps.sealed.seal(await inzagePdf(inzage, deps.config.REGIO_NAAM), deps.config.INZAGE_LINK_UREN);
    try {
      await sendInzageMail(deps.mailer, email, `${deps.publicUrl}/inzage/${sealed.id}`, dutchDateTime(sealed.expiresAt.toISOString()), deps.config.REGIO_NAAM);
    } catch (e) {
      deps.log.warn({ err: { message: (e as Error).message } }, "inzage mail not sent");
      return c.html(
        errorPage(deps, c, 503, "Mail niet verstuurd", "De e-mail kon nu niet worden verstuurd. Probeer het later opnieuw, of download de PDF."),
        503,
      );
    }
    return c.html(
      page(
        await frame(deps, c, "Inzage beveiligd verstuurd", { current: "signalen" }),
        html`${alert("ok", html`<p class="utrecht-paragraph">De e-mail is verstuurd. Hij bevat geen persoonsgegevens, alleen een link die werkt tot ${dutchDateTime(sealed.expiresAt.toISOString())}.</p>`, { role: "status" })}
<p class="utrecht-paragraph">Geef deze code apart door, bijvoorbeeld telefonisch. Hij staat niet in de e-mail en wordt nergens bewaard; u ziet hem alleen nu:</p>
<p class="vi-code" id="inzage-code">${sealed.code}</p>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/signalen/${id}/clientkaart">Terug naar de cliëntkaart</a></p>`,
      ),
    );
  });

  // Public: the parents or the youth open the link from the mail and enter the code they were given.
  const codeForm = async (c: Ctx, linkId: string, error?: string, status: 200 | 422 = 200) =>
    c.html(
      page(
        { title: "Overzicht uit de verwijsindex openen", regio: deps.config.REGIO_NAAM, thema: deps.config.REGIO_THEMA, csrf: c.get("csrf") },
        html`<p class="utrecht-paragraph">Vul de code in die u van de professional kreeg (${CODE_LENGTH} tekens, bijvoorbeeld ABCDE-FGH23). Daarna downloadt u het overzicht als PDF.</p>
<form method="post" action="/inzage/${linkId}" class="vi-form">${csrfField(c.get("csrf"))}
${textField({ id: "code", name: "code", label: "Code", error, attrs: html` autocomplete="off" spellcheck="false" maxlength="20" required` })}
<p class="utrecht-paragraph">${button("Open het overzicht")}</p></form>`,
      ),
      status,
    );
  const gone = (c: Ctx) =>
    c.html(
      page(
        { title: "Link verlopen", regio: deps.config.REGIO_NAAM, thema: deps.config.REGIO_THEMA, csrf: c.get("csrf") },
        html`${alert("warning", html`<p class="utrecht-paragraph">Deze link werkt niet meer: hij is verlopen, of er is te vaak een verkeerde code ingevuld. Vraag de professional het overzicht opnieuw te sturen.</p>`, { role: "alert" })}`,
      ),
      410,
    );

  app.get("/inzage/:link", async (c) => (deps.sealed.exists(c.req.param("link")) ? codeForm(c, c.req.param("link")) : gone(c)));
  app.post("/inzage/:link", async (c) => {
    const linkId = c.req.param("link");
    const code = String((await c.req.parseBody()).code ?? "");
    const opened = deps.sealed.open(linkId, code);
    if (opened.ok) {
      return c.body(opened.pdf as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="inzage-verwijsindex.pdf"',
      });
    }
    if (opened.reason === "code-onjuist") {
      return codeForm(c, linkId, `Deze code klopt niet. U kunt het nog ${opened.attemptsLeft} keer proberen (van de ${MAX_ATTEMPTS}).`, 422);
    }
    return gone(c);
  });
}
