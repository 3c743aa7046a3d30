/**
 * The values the tests and the benchmark share: the fixed date and clock of
 * the in-process regions, the demo accounts and demo persons (packages/demo,
 * docs/demo-data.md), bus namespaces, and where NATS is.
 *
 * Only values: no vitest, nothing that connects (bench/ imports this too).
 */
import { randomBytes } from "node:crypto";

// ---------------------------------------------------------------------------------------------------------------
// Date and clock

/** "Today" of the in-process test regions: the fake BRP's reference date and the nodes' fixed clock. */
export const TODAY = "2026-11-28";

/** The fixed clock's time on `date`: 10:00 in Amsterdam (winter time). */
export const clockAt = (date: string): string => `${date}T10:00:00+01:00`;

/** The dev issuer of the in-process regions (its keys are handed to the verifier in memory, never fetched). */
export const DEV_ISSUER = "http://dev-issuer.test";

// ---------------------------------------------------------------------------------------------------------------
// Demo accounts (packages/demo DEMO_ACCOUNTS)

/** Intern begeleider of De Buurtschool (Amsterdam), signalling. */
export const IB = "ib@buurtschool.example";
/** Docent of De Buurtschool: connected, but may not signal. */
export const DOCENT = "docent@buurtschool.example";
export const LEERPLICHT = "leerplicht@amsterdam.example";
/** Jeugdverpleegkundige of GGD Amsterdam. */
export const JGZ = "jgz@ggd.example";
/** Huisarts in Purmerend: a medical professional. */
export const HUISARTS = "huisarts@purmerend.example";
/** Wijkteam Zaanstad: not connected to the Amsterdam node. */
export const WIJKTEAM = "wijkteam@zaanstad.example";
/** Zaanstad's matchregisseur (told of relocations). */
export const REGIE_ZAANSTAD = "matchregie@zaanstad.example";
/** Amsterdam's matchregisseur. */
export const REGIE_AMSTERDAM = "matchregie@amsterdam.example";
/** De Buurtschool's organisation coordinator: maintains its designations. */
export const COORDINATOR = "coordinator@buurtschool.example";
/** The region's convenantmanager: maintains the register. */
export const CONVENANTMANAGER = "convenant@regio-amsterdam.example";
/** Amsterdam's privacy officer. */
export const PRIVACY = "avg@amsterdam.example";
/** Jeugdteam Haarlem: a gemeente in another region. */
export const HAARLEM = "jeugdteam@haarlem.example";

// ---------------------------------------------------------------------------------------------------------------
// Demo persons (BSN) in the fake BRP

/** Adam van Haarlem, 10, Amsterdam; parents Sara and Daan. */
export const ADAM = "999900018";
/** Liam van Haarlem, 4, Amsterdam: Adam's brother, same address. */
export const LIAM = "999900079";
/** Sara van Haarlem, adult, Amsterdam. */
export const SARA = "999900031";
/** Daan Visser, adult, Zaanstad: father of Adam, Liam and Noor. */
export const DAAN = "999900043";
/** Noor Visser, 14, Zaanstad: Adam's half-sister (father Daan). */
export const NOOR = "999900055";
/** Emma de Boer, adult, Zaanstad. */
export const EMMA = "999900067";
/** Sem Bakker, 17, Amstelveen: secret address. */
export const SEM = "999900080";
/** Julia Smit, Diemen: turned 23 the day before the BRP's today. */
export const JULIA = "999900092";
/** Mila Jansen, 8, Haarlem (outside the region). */
export const MILA = "999900109";
/** Fatima Jansen, adult, Haarlem. */
export const FATIMA = "999900122";
/** Yusuf El Amrani, 12, Diemen. */
export const YUSUF = "999900134";
/** Lotte Mulder, 15, Purmerend. */
export const LOTTE = "999900146";
/** Finn de Vries, 16, Uithoorn. */
export const FINN = "999900158";
/** Bram Peters, Landsmeer: deceased. */
export const BRAM = "999900171";
/** Eva Koster, 15, Ouder-Amstel: at an institution address. */
export const EVA = "999900195";
/** Tim Koster-Ali, 16, Ouder-Amstel: the same institution address, unrelated to Eva. */
export const TIM = "999900201";
/** Passes the elfproef but is not in the BRP. */
export const UNKNOWN_BSN = "999900183";
/** Fails the elfproef. */
export const INVALID_BSN = "123456789";

// ---------------------------------------------------------------------------------------------------------------
// The bus

/** Where the machine's NATS server is when NATS_URL is not set. */
export const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

/** NATS_URL, else the machine's NATS server. */
export const natsUrl = (): string => process.env.NATS_URL ?? DEFAULT_NATS_URL;

/** The nats-server binary of the tests that run a NATS server of their own (NATS_SERVER_BIN overrides it). */
export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server";

/** A bus namespace of its own (streams `<NS>_EVENTS` and `<NS>_DLQ`): the prefix names the suite, 8 random hex digits follow. */
export const freshNamespace = (prefix: string): string => `${prefix}${randomBytes(4).toString("hex")}`;
