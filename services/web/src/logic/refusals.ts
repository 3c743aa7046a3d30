/**
 * Every refusal the node API gives on a registration (its problem codes,
 * services/node/src/problems.ts), placed next to the field it is about, in
 * plain Dutch a professional can act on. The node's own message is shown
 * beside it where it adds a fact (a date, a limit).
 */

export type SignalField = "bsn" | "geslachtsnaam" | "geboortedatum" | "geslacht" | "einddatum" | "geinformeerd" | "formulier";

export interface FieldError {
  field: SignalField;
  message: string;
}

const MESSAGES: Record<string, FieldError> = {
  BSN_ONGELDIG: { field: "bsn", message: "Dit is geen geldig BSN: een BSN heeft 9 cijfers en moet de elfproef doorstaan. Controleer het nummer." },
  BSN_ONBEKEND_IN_BRP: { field: "bsn", message: "Dit BSN is geldig, maar onbekend in de BRP. Controleer het nummer met uw eigen dossier." },
  JEUGDIGE_TE_OUD: { field: "bsn", message: "Deze persoon is 23 jaar of ouder. De verwijsindex is alleen voor jeugdigen tot 23 jaar." },
  JEUGDIGE_OVERLEDEN: { field: "bsn", message: "Volgens de BRP is deze jeugdige overleden. Er kan geen signaal worden afgegeven." },
  GEBOORTEDATUM_ONBEKEND: {
    field: "bsn",
    message: "De BRP kent de geboortedatum van deze persoon niet, dus de leeftijd is niet vast te stellen. Neem contact op met de gemeente.",
  },
  JEUGDIGE_BUITEN_REGIO: {
    field: "bsn",
    message:
      "Deze jeugdige woont buiten de regio, en deze verwijsindex is niet met de landelijke verwijsindex verbonden. Signaleer via de verwijsindex van de woonregio.",
  },
  JEUGDIGE_ANDERE_GEMEENTE: {
    field: "bsn",
    message:
      "Deze jeugdige woont in een andere gemeente dan de gemeente waarmee u nu werkt. Kies bovenaan de woongemeente, als uw organisatie daarbij is aangesloten.",
  },
  SIGNAAL_BESTAAT_AL: { field: "bsn", message: "U hebt al een actief signaal op deze jeugdige. U vindt het bij Mijn signalen; daar kunt u het verlengen." },
  JEUGDIGE_ONBEPAALD: {
    field: "bsn",
    message: "Vul het BSN in, of (alleen als de jeugdige geen BSN heeft) geslachtsnaam, geboortedatum en geslacht. Niet allebei.",
  },
  LANDELIJKE_VERWIJSINDEX_ONBEREIKBAAR: {
    field: "formulier",
    message:
      "De landelijke verwijsindex is nu niet bereikbaar, dus een signaal op een jeugdige zonder BSN kan nu niet. Er is niets vastgelegd; probeer het later opnieuw.",
  },
  EINDDATUM_IN_VERLEDEN: { field: "einddatum", message: "Kies een einddatum na vandaag." },
  EINDDATUM_TE_VER: { field: "einddatum", message: "De einddatum mag hoogstens 2 jaar na vandaag liggen." },
  EINDDATUM_NA_23: { field: "einddatum", message: "De einddatum ligt na de 23e verjaardag van de jeugdige. Kies een eerdere datum." },
  REDEN_NIET_GEINFORMEERD_ONTBREEKT: { field: "geinformeerd", message: "Kies waarom u (nog) niet hebt geïnformeerd, en informeer later alsnog." },
  REDEN_NIET_GEINFORMEERD_ONGELDIG: { field: "geinformeerd", message: "Kies een reden uit de lijst. Een toelichting hoort in uw eigen dossier." },
  GEINFORMEERD_ONVOLLEDIG: { field: "geinformeerd", message: "Niet iedereen die de leeftijdsregels noemen, is geïnformeerd." },
  GEINFORMEERD_OP_IN_TOEKOMST: { field: "geinformeerd", message: "De datum van informeren ligt in de toekomst." },
  GEINFORMEERD_TEGENSTRIJDIG: { field: "geinformeerd", message: "Kies óf dat u hebt geïnformeerd, óf waarom nog niet." },
  NIET_SIGNALERINGSBEVOEGD: {
    field: "formulier",
    message: "U bent niet signaleringsbevoegd. Vraag de coördinator van uw organisatie of u signaleringsbevoegd kunt worden.",
  },
  DOMEIN_NIET_TOEGESTAAN: { field: "formulier", message: "Organisaties in uw categorie mogen in deze regio geen signaal afgeven." },
  NIET_AANGESLOTEN: {
    field: "formulier",
    message: "Uw organisatie is niet aangesloten bij deze gemeente. Kies bovenaan een gemeente waarbij uw organisatie is aangesloten.",
  },
  BRP_ONBEREIKBAAR: { field: "formulier", message: "De BRP is nu niet bereikbaar. Er is niets vastgelegd; probeer het over een paar minuten opnieuw." },
  BRP_FOUT: { field: "formulier", message: "De BRP gaf een fout. Er is niets vastgelegd; probeer het over een paar minuten opnieuw." },
  NODE_ONBEREIKBAAR: {
    field: "formulier",
    message: "De verwijsindex van de woongemeente is nu niet bereikbaar. Er is niets vastgelegd; probeer het later opnieuw.",
  },
  TE_VEEL_VERZOEKEN: { field: "formulier", message: "U hebt in korte tijd veel verzoeken gedaan. Wacht een minuut en probeer het opnieuw." },
};

/** Where a refusal belongs on the signal form and what to tell the professional. */
export function refusalOnForm(code: string, detail: string, fieldHint?: string): FieldError {
  const known = MESSAGES[code];
  if (known) return known;
  const field: SignalField =
    fieldHint === "bsn" ? "bsn" : fieldHint === "einddatum" ? "einddatum" : fieldHint?.startsWith("geinformeerd") ? "geinformeerd" : "formulier";
  return { field, message: detail };
}

/** The codes this mapping covers (a test checks it covers every registration refusal of the node API). */
export const MAPPED_CODES = Object.keys(MESSAGES);

/** Inzage refusals, in words for the professional (the node decides; the web explains). */
export const INZAGE_REFUSAL: Record<string, string> = {
  INZAGE_GEHEIM_ADRES:
    "Inzage is niet mogelijk: de jeugdige woont op een geheim adres (geheimhouding in de BRP). Verwijs de ouders naar de gemeente voor een formeel verzoek.",
  INZAGE_BUITEN_REGIO: "Inzage is niet mogelijk: de jeugdige woont buiten de deelnemende gemeenten. Verwijs naar de gemeente waar de jeugdige woont.",
  INZAGE_TOESTEMMING_JEUGDIGE_NODIG:
    "De jeugdige is 12 tot 16 jaar en er is een medisch beroep (zoals een huisarts) bij betrokken. De ouders krijgen pas inzage als de jeugdige daarvoor toestemming geeft.",
  INZAGE_JEUGDIGE_TE_JONG: "Inzage voor de jeugdige zelf kan pas vanaf 12 jaar. Kies inzage voor de ouders.",
};
