/**
 * The signalling criteria of the seed guide (chapter 4, "Redenen om een
 * signaal af te geven") as searchable help.
 */

export interface CriteriaSection {
  id: string;
  title: string;
  intro?: string;
  groups: Array<{ title?: string; items: string[] }>;
}

export const CRITERIA: CriteriaSection[] = [
  {
    id: "school",
    title: "Factoren die op school zichtbaar zijn",
    groups: [
      {
        items: [
          "Leerlingen met veelvuldig schoolverzuim.",
          "Leerlingen met dreigende schooluitval, schoolverwijdering of schorsing.",
          "Leerling wordt gepest of pest zelf.",
          "Leerlingen die zwerven, dak- of thuisloos zijn.",
        ],
      },
    ],
  },
  {
    id: "vechtscheiding",
    title: "4.1 Signalen van vechtscheiding bij kinderen",
    intro: "Bij kinderen die bij een vechtscheiding zijn betrokken is er sprake van geestelijke kindermishandeling.",
    groups: [
      {
        title: "Kleuter 4-6 jaar",
        items: [
          "Legt de schuld van de ruzies bij zichzelf.",
          "Boosheid wordt elders geuit.",
          "Vertoont regressieverschijnselen.",
          "Valt vooral terug op fantasie en magisch denken.",
        ],
      },
      {
        title: "Jong basisschoolkind 6-9 jaar",
        items: [
          "Kind maakt zich zorgen om ouder(s), gaat ouder tevreden stellen en zich aanpassen.",
          "Prille identificatie met de ouder die het meest slachtoffer van de situatie is.",
          "Risico op parentificatie.",
          "Risico op slechte schoolprestaties als gevolg van een verstoring van het basale leerproces.",
        ],
      },
      {
        title: "Ouder basisschoolkind 9-12 jaar",
        items: [
          "Zoekt compensatie buiten het gezin.",
          "Verdriet en onbegrip omdat het ziet dat andere gezinnen nog wel intact zijn.",
          "Voelt zich in de steek gelaten door ouder(s).",
          "Ontwikkelt copingmechanismen om emotioneel overeind te blijven.",
          "Laag zelfbeeld.",
          "Moeite met het aangaan van vriendschappen.",
        ],
      },
    ],
  },
  {
    id: "4-12",
    title: "4.2 Signalen bij kinderen van 4-12 jaar",
    groups: [
      {
        title: "Lichamelijke signalen",
        items: [
          "Blauwe plekken, brandwonden, botbreuken, snij-, krab- en bijtwonden.",
          "Groeiachterstand.",
          "Fors overgewicht.",
          "Slecht onderhouden gebit.",
          "Regelmatig buikpijn, hoofdpijn of flauwvallen.",
          "Kind stinkt, heeft regelmatig smerige kleren aan.",
          "Oververmoeid.",
          "Vaak ziek; ziektes herstellen slecht.",
          "Kind is hongerig.",
          "Eetstoornissen.",
          "Achterblijvende motoriek.",
          "Niet zindelijk op een leeftijd dat dit hoort.",
        ],
      },
      {
        title: "Gedrag van het kind",
        items: [
          "Timide, depressief; weinig spontaan.",
          "Passief, lusteloos, weinig interesse in spel.",
          "Apathisch, toont geen gevoelens of pijn.",
          "In zichzelf gekeerd, leeft in een fantasiewereld.",
          "Labiel; erg nerveus; hyperactief.",
          "Negatief zelfbeeld, weinig zelfvertrouwen, faalangst; negatief lichaamsbeeld.",
          "Agressief, vernielzuchtig.",
          "Overmatige masturbatie.",
        ],
      },
      {
        title: "Gedrag tegenover andere kinderen",
        items: ["Agressief.", "Speelt weinig met andere kinderen.", "Wantrouwend.", "Niet geliefd bij andere kinderen."],
      },
      {
        title: "Gedrag tegenover ouders",
        items: ["Angstig, schrikachtig, waakzaam.", "Meegaand, volgzaam.", "Gedraagt zich in bijzijn van ouders anders dan zonder ouders."],
      },
      {
        title: "Gedrag tegenover andere volwassenen",
        items: [
          "Angst om zich uit te kleden; angst voor lichamelijk onderzoek.",
          "Verstijft bij lichamelijk contact.",
          "Angstig, schrikachtig, waakzaam.",
          "Meegaand, volgzaam, agressief.",
          "Overdreven aanhankelijk.",
          "Wantrouwend; vermijdt oogcontact.",
        ],
      },
      {
        title: "Overig gedrag",
        items: [
          "Plotselinge gedragsverandering.",
          "Gedraagt zich niet naar zijn leeftijd.",
          "Taal- en spraakstoornissen.",
          "Slechte leerprestaties.",
          "Rondhangen na school.",
        ],
      },
      {
        title: "Gedrag van de ouder",
        items: [
          "Onverschillig over het welzijn van het kind.",
          "Laat zich regelmatig negatief uit over het kind; troost het kind niet.",
          "Geeft aan het niet meer aan te kunnen.",
          "Is verslaafd, of ernstig (psychisch) ziek.",
          "Kleedt het kind te warm of te koud aan.",
          "Zegt regelmatig afspraken af; vergeet preventieve inentingen.",
          "Houdt het kind vaak thuis van school.",
          "Heeft irreële verwachtingen van het kind; zet het kind onder druk om te presteren.",
        ],
      },
    ],
  },
  {
    id: "verwaarlozing",
    title: "4.3 Signalen van verwaarlozing",
    intro:
      "Als ouders niet voldoen aan de basisbehoeften van een kind, resulterend in schade of risico op schade, spreken we van verwaarlozing: lichamelijk, of psychisch en emotioneel.",
    groups: [
      {
        title: "Lichamelijke verwaarlozing",
        items: [
          "Verwondingen en brandwonden, voortkomend uit onvoldoende toezicht.",
          "Voortdurend infecties (bijvoorbeeld schimmel, luis, schurft), zonder dat ouders er iets tegen doen.",
          "Inadequaat schoeisel en kleding (te klein, te koud).",
          "Oogt en ruikt altijd vies en onhygiënisch.",
          "Groei- en ontwikkelingsachterstand door structurele verwaarlozing.",
          "De ouder dient voorgeschreven medicatie niet toe.",
          "Ouder en kind verzuimen herhaaldelijk, zonder bericht, bij vervolgafspraken of controles.",
          "De ouder neemt structureel niet deel aan preventieve programma's zoals de JGZ.",
          "Ouders weigeren medische diagnostiek en hulp wanneer nodig.",
          "De jeugdige verzuimt veel van school.",
        ],
      },
      {
        title: "Psychische of emotionele verwaarlozing, 0-7 jaar",
        items: [
          "Onveilige, vermijdende of gedesorganiseerde gehechtheidsrelatie.",
          "Extreem aanhankelijk of juist geen aanhankelijk gedrag.",
          "Spraak- en taalontwikkelingsproblemen.",
          "Impulsiviteit, destructiviteit, gebrekkige rem op emoties.",
          "Veel conflicten; agressief, opstandig gedrag.",
          "Problemen met het onderscheiden en reguleren van emoties.",
          "Anderen worden niet als hulpbron gezien.",
        ],
      },
      {
        title: "Psychische of emotionele verwaarlozing, 7 jaar en ouder",
        items: [
          "Onvoldoende in staat om zich in anderen in te leven.",
          "Slechte kwaliteit van vriendschapsrelaties.",
          "Veel pesten en treiteren.",
          "Angst, ongelukkig zijn, depressie en lage eigenwaarde.",
          "Neiging om te liegen en regels te overtreden.",
          "Gedragsproblemen, zoals oppositioneel gedrag, agressie, antisociaal gedrag, drugsmisbruik.",
          "Risicovol gedrag, onverschillig; gebrek aan geweten.",
        ],
      },
    ],
  },
  {
    id: "huiselijk-geweld",
    title: "4.4 Signalen van kinderen die getuige zijn van huiselijk geweld",
    intro: "Ziet u belemmeringen in de ontwikkeling van de jeugdige en hebt u een niet-pluisgevoel? Geef een signaal af en start ook de Meldcode.",
    groups: [
      {
        title: "Gedragsproblemen",
        items: [
          "Agressie: kopiëren van gewelddadig gedrag van een ouder.",
          "Opstandigheid.",
          "Angst, depressie.",
          "Negatief zelfbeeld.",
          "Passiviteit en teruggetrokkenheid, verlegenheid.",
          "Zichzelf beschuldigen.",
          "Suïcidaliteit.",
        ],
      },
      {
        title: "Problemen in sociaal gedrag en competentie",
        items: [
          "Wantrouwen ten aanzien van de omgeving.",
          "Gebrek aan sociale vaardigheden.",
          "Sociaal isolement.",
          "De thuissituatie geheim proberen te houden en ondertussen aansluiting zoeken bij leeftijdsgenoten (zonder ze mee naar huis te nemen).",
        ],
      },
    ],
  },
];

/** Lower case without accents, so "suicidaliteit" finds "Suïcidaliteit". */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** The sections, groups and items that contain every word of the search (all of them for an empty search). */
export function searchCriteria(query: string): { sections: CriteriaSection[]; hits: number } {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return { sections: CRITERIA, hits: CRITERIA.reduce((n, s) => n + s.groups.reduce((m, g) => m + g.items.length, 0), 0) };
  let hits = 0;
  const sections: CriteriaSection[] = [];
  for (const s of CRITERIA) {
    const groups = s.groups
      .map((g) => {
        const context = fold(`${s.title} ${g.title ?? ""}`);
        const items = g.items.filter((i) => words.every((w) => fold(i).includes(w) || context.includes(w)));
        return { ...g, items };
      })
      .filter((g) => g.items.length);
    for (const g of groups) hits += g.items.length;
    if (groups.length) sections.push({ ...s, groups });
  }
  return { sections, hits };
}
