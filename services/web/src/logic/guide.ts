/**
 * The guide before signalling: the seed guide's flowchart (chapter 3,
 * "Stroomschema MULTIsignaal") as a short sequence of questions that ends in
 * advice. Stateless: the answers so far travel in the query string.
 */

export type Advice = "signaal" | "geen-signaal" | "signaal-en-meldcode" | "eerst-bespreken";

export interface Option {
  value: string;
  label: string;
  next: QuestionId | { advice: Advice; reason: string };
}

export type QuestionId = "vermoeden" | "besproken" | "gesprek" | "weggenomen" | "aard";

export interface Question {
  id: QuestionId;
  text: string;
  hint?: string;
  options: Option[];
}

export const QUESTIONS: Record<QuestionId, Question> = {
  vermoeden: {
    id: "vermoeden",
    text: "Is er een vermoeden van huiselijk geweld of kindermishandeling?",
    hint: "Bij een vermoeden van huiselijk geweld of kindermishandeling geeft u altijd een signaal af én volgt u de Meldcode.",
    options: [
      {
        value: "ja",
        label: "Ja",
        next: {
          advice: "signaal-en-meldcode",
          reason: "Bij vermoedens van huiselijk geweld of kindermishandeling altijd een signaal, en ook de Meldcode hanteren.",
        },
      },
      { value: "nee", label: "Nee", next: "besproken" },
    ],
  },
  besproken: {
    id: "besproken",
    text: "Hebt u de zorgen over de leerling besproken met de leerkracht of in het team (bijvoorbeeld in een multidisciplinair overleg)?",
    options: [
      { value: "ja", label: "Ja", next: "gesprek" },
      {
        value: "nee",
        label: "Nee, nog niet",
        next: {
          advice: "eerst-bespreken",
          reason: "Bespreek uw zorgen eerst met de leerkracht en de betrokken onderwijsprofessionals; daarna volgt een gesprek met ouders en/of leerling.",
        },
      },
    ],
  },
  gesprek: {
    id: "gesprek",
    text: "Hebt u met de ouders/verzorgers en/of de leerling gesproken?",
    hint: "Spreek onderling af wie het gesprek voert.",
    options: [
      { value: "ja", label: "Ja", next: "weggenomen" },
      {
        value: "niet-mogelijk",
        label: "Nee, dat is niet mogelijk, maar ondersteuning is wel gewenst",
        next: {
          advice: "signaal",
          reason:
            "Betrokkenheid van ouders en/of leerling is niet mogelijk, maar ondersteuning is wel gewenst: geef een signaal af. Leg in uw eigen dossier vast waarom u (nog) niet informeerde, en informeer zodra het kan.",
        },
      },
      {
        value: "nog-niet",
        label: "Nee, nog niet",
        next: {
          advice: "eerst-bespreken",
          reason:
            "Voer eerst het gesprek met ouders/verzorgers en/of leerling. Ouders en leerling worden in principe altijd geïnformeerd voordat u een signaal afgeeft.",
        },
      },
    ],
  },
  weggenomen: {
    id: "weggenomen",
    text: "Zijn de zorgen na het gesprek weggenomen?",
    options: [
      {
        value: "ja",
        label: "Ja, de zorgen zijn weggenomen",
        next: { advice: "geen-signaal", reason: "De zorgen zijn weggenomen: geen signaal in de verwijsindex." },
      },
      { value: "nee", label: "Nee, de zorgen blijven bestaan", next: "aard" },
    ],
  },
  aard: {
    id: "aard",
    text: "Waar gaat het om?",
    options: [
      {
        value: "leer-zonder",
        label: "Leervraagstukken zonder achterliggende problematiek",
        next: { advice: "geen-signaal", reason: "Leerlingen met alleen leerproblemen, zonder achterliggende problematiek, worden niet gesignaleerd." },
      },
      {
        value: "leer-met",
        label: "Leervraagstukken met een achterliggende problematiek",
        next: {
          advice: "signaal",
          reason: "Leervraagstukken met een achterliggende problematiek: geef een signaal af, en leid door naar het wijkteam of een andere organisatie.",
        },
      },
      {
        value: "leer-en-gedrag",
        label: "Een combinatie van leer- en gedragsproblemen",
        next: {
          advice: "signaal",
          reason: "Een combinatie van leer- en gedragsproblemen: geef een signaal af, en leid door naar het wijkteam of een andere organisatie.",
        },
      },
      {
        value: "criteria",
        label: "Signalen die in de signaleringscriteria staan (hoofdstuk 4)",
        next: {
          advice: "signaal",
          reason: "Signalen uit de signaleringscriteria: geef een signaal af, en leid door naar het wijkteam of een andere organisatie.",
        },
      },
    ],
  },
};

export const FIRST_QUESTION: QuestionId = "vermoeden";

export type GuideStep =
  | { kind: "question"; question: Question; answers: string[]; trail: Array<{ question: string; answer: string }> }
  | { kind: "advice"; advice: Advice; reason: string; answers: string[]; trail: Array<{ question: string; answer: string }> };

/** Where the answers so far lead: the next question, or the advice. Unknown answers restart at the first question. */
export function walk(answers: readonly string[]): GuideStep {
  let question = QUESTIONS[FIRST_QUESTION];
  const trail: Array<{ question: string; answer: string }> = [];
  const taken: string[] = [];
  for (const answer of answers) {
    const option = question.options.find((o) => o.value === answer);
    if (!option) break;
    trail.push({ question: question.text, answer: option.label });
    taken.push(answer);
    if (typeof option.next !== "string") return { kind: "advice", advice: option.next.advice, reason: option.next.reason, answers: taken, trail };
    question = QUESTIONS[option.next];
  }
  return { kind: "question", question, answers: taken, trail };
}

export const ADVICE_TITLE: Record<Advice, string> = {
  signaal: "Advies: geef een signaal af",
  "signaal-en-meldcode": "Advies: geef een signaal af én volg de Meldcode huiselijk geweld en kindermishandeling",
  "geen-signaal": "Advies: geef geen signaal af",
  "eerst-bespreken": "Advies: nog geen signaal; zet eerst de vorige stap",
};
