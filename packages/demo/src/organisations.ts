/** Demo organisations and professional accounts of docs/demo-data.md. */
import { createHash } from "node:crypto";
import { GEMEENTEN } from "./gemeenten";

export type Domein =
  | "onderwijs"
  | "jeugdhulp"
  | "jeugdgezondheidszorg"
  | "gezondheidszorg"
  | "maatschappelijke-ondersteuning"
  | "werk-en-inkomen"
  | "politie-en-justitie"
  | "kinderopvang"
  | "gemeente"
  | "regio";

export interface DemoOrganisation {
  /** Slug, e.g. 'buurtschool'. */
  id: string;
  naam: string;
  domein: Domein;
  /** Gemeente codes this organisation has a convenant with. */
  aangeslotenBij: string[];
  regio: "amsterdam" | "kennemerland";
}

export interface DemoAccount {
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  rol: "professional" | "coordinator" | "matchregisseur" | "privacyfunctionaris" | "convenantmanager";
  signaleringsbevoegd: boolean;
  medisch: boolean;
}

const ALLE_13 = GEMEENTEN.map((g) => g.code);

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { id: "buurtschool", naam: "De Buurtschool", domein: "onderwijs", aangeslotenBij: ["GM0363"], regio: "amsterdam" },
  { id: "leerplicht-amsterdam", naam: "Leerplicht Amsterdam", domein: "onderwijs", aangeslotenBij: ["GM0363"], regio: "amsterdam" },
  { id: "ggd-amsterdam", naam: "GGD Amsterdam", domein: "jeugdgezondheidszorg", aangeslotenBij: [...ALLE_13], regio: "amsterdam" },
  { id: "wijkteam-zaanstad", naam: "Wijkteam Zaanstad", domein: "jeugdhulp", aangeslotenBij: ["GM0479"], regio: "amsterdam" },
  {
    id: "huisartsenpraktijk-purmerend",
    naam: "Huisartsenpraktijk Purmerend",
    domein: "gezondheidszorg",
    aangeslotenBij: ["GM0439"],
    regio: "amsterdam",
  },
  { id: "gemeente-amsterdam", naam: "Gemeente Amsterdam", domein: "gemeente", aangeslotenBij: ["GM0363"], regio: "amsterdam" },
  // Beyond the project's fixture list (docs/demo-data.md): the new gemeente's matchregisseur is told of a relocation.
  { id: "gemeente-zaanstad", naam: "Gemeente Zaanstad", domein: "gemeente", aangeslotenBij: ["GM0479"], regio: "amsterdam" },
  { id: "regio-amsterdam", naam: "Regio Amsterdam", domein: "regio", aangeslotenBij: [...ALLE_13], regio: "amsterdam" },
  { id: "jeugdteam-haarlem", naam: "Jeugdteam Haarlem", domein: "jeugdhulp", aangeslotenBij: ["GM0392"], regio: "kennemerland" },
  { id: "gemeente-haarlem", naam: "Gemeente Haarlem", domein: "gemeente", aangeslotenBij: ["GM0392"], regio: "kennemerland" },
];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: "ib@buurtschool.example",
    naam: "Marieke de Graaf",
    functie: "Intern begeleider",
    telefoon: "020 555 0101",
    organisatieId: "buurtschool",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  },
  {
    email: "leerplicht@amsterdam.example",
    naam: "Rachid Benali",
    functie: "Leerplichtambtenaar",
    telefoon: "020 555 0102",
    organisatieId: "leerplicht-amsterdam",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  },
  {
    email: "jgz@ggd.example",
    naam: "Anouk Vermeulen",
    functie: "Jeugdverpleegkundige",
    telefoon: "020 555 0103",
    organisatieId: "ggd-amsterdam",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  },
  {
    email: "wijkteam@zaanstad.example",
    naam: "Kees Brouwer",
    functie: "Jeugdhulpverlener",
    telefoon: "075 555 0104",
    organisatieId: "wijkteam-zaanstad",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  },
  {
    email: "huisarts@purmerend.example",
    naam: "Dr. Sanne Hoekstra",
    functie: "Huisarts",
    telefoon: "0299 555 105",
    organisatieId: "huisartsenpraktijk-purmerend",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: true,
  },
  {
    email: "docent@buurtschool.example",
    naam: "Tom Willems",
    functie: "Leerkracht groep 6",
    telefoon: "020 555 0106",
    organisatieId: "buurtschool",
    rol: "professional",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "matchregie@amsterdam.example",
    naam: "Esther Dijkstra",
    functie: "Matchregisseur",
    telefoon: "020 555 0107",
    organisatieId: "gemeente-amsterdam",
    rol: "matchregisseur",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "matchregie@zaanstad.example",
    naam: "Ruben Kok",
    functie: "Matchregisseur",
    telefoon: "075 555 0110",
    organisatieId: "gemeente-zaanstad",
    rol: "matchregisseur",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "convenant@regio-amsterdam.example",
    naam: "Jeroen Smeets",
    functie: "Convenantmanager",
    telefoon: "020 555 0108",
    organisatieId: "regio-amsterdam",
    rol: "convenantmanager",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "jeugdteam@haarlem.example",
    naam: "Priya Ramdin",
    functie: "Jeugdhulpverlener",
    telefoon: "023 555 0109",
    organisatieId: "jeugdteam-haarlem",
    rol: "professional",
    signaleringsbevoegd: true,
    medisch: false,
  },
  {
    email: "coordinator@buurtschool.example",
    naam: "Sanne Visser",
    functie: "Coördinator verwijsindex",
    telefoon: "020 555 0111",
    organisatieId: "buurtschool",
    rol: "coordinator",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "avg@amsterdam.example",
    naam: "Floor Hendriks",
    functie: "Privacyfunctionaris",
    telefoon: "020 555 0112",
    organisatieId: "gemeente-amsterdam",
    rol: "privacyfunctionaris",
    signaleringsbevoegd: false,
    medisch: false,
  },
  {
    email: "matchregie@haarlem.example",
    naam: "Youssef El Idrissi",
    functie: "Matchregisseur",
    telefoon: "023 555 0113",
    organisatieId: "gemeente-haarlem",
    rol: "matchregisseur",
    signaleringsbevoegd: false,
    medisch: false,
  },
];

/**
 * Case systems (FIXTURES.md): OAuth 2 clients (client credentials, private_key_jwt) of an organisation, acting for
 * a named designated professional of it. In the register as role `systeem`, their client id as subject.
 */
export const DEMO_CASE_SYSTEMS = [
  { clientId: "ggd-dossier", naam: "GGD Dossier (zaaksysteem)", email: "ggd-dossier@ggd.example", organisatieId: "ggd-amsterdam" },
  { clientId: "buurtschool-lvs", naam: "Leerlingvolgsysteem De Buurtschool", email: "lvs@buurtschool.example", organisatieId: "buurtschool" },
] as const;

/** Case-insensitive lookup of a demo account by e-mail address. */
export function accountByEmail(email: string): DemoAccount | undefined {
  const e = email.trim().toLowerCase();
  return DEMO_ACCOUNTS.find((a) => a.email === e);
}

export function organisationById(id: string): DemoOrganisation | undefined {
  return DEMO_ORGANISATIONS.find((o) => o.id === id);
}

/**
 * The stable subject (`sub`) of a demo account, as the identity provider
 * issues it and the register maps it: a UUID derived from the e-mail address,
 * so it is the same on every machine and in every run. Tests derive the
 * subjects of their own extra professionals the same way.
 */
export function demoSubject(email: string): string {
  const h = createHash("sha256").update(`verwijsindex-demo:${email.trim().toLowerCase()}`).digest("hex");
  // Formatted as a version-5-style UUID (variant bits set), from the hash.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
