/**
 * The register API under /api/v1/register: the convenantmanager reads and changes everything, an organisation
 * coordinator their own organisation's professionals and designations. Callers sign in with a token of the
 * configured issuer (as at a node); their subject must be a person in the register. Nodes fetch the whole register
 * signed (`/api/v1/register/ondertekend`) with a signed request of their own.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { TokenError, type TokenVerifier } from "@vi/auth";
import { EventRejected, memoryReplayGuard, TrustUnavailable, verifyEvent } from "@vi/events";
import { baseProblem, problemResponses, type ServiceApp } from "@vi/service";
import type { HubContext } from "./context";
import { HUB_ID } from "./context";
import { HUB_PROBLEMS, type HubProblemCode, problem } from "./problems";
import {
  designate,
  getOrganisation,
  getPerson,
  listChanges,
  listOrganisations,
  listPeople,
  personBySubject,
  putOrganisation,
  putPerson,
  type RegisterActor,
  revoke,
  signedRegisterFor,
} from "./register";
import {
  Aanwijzing,
  Gewijzigd,
  OndertekendRegister,
  Organisatie,
  OrganisatieInvoer,
  OrganisatieLijst,
  Persoon,
  PersoonInvoer,
  PersoonLijst,
  WijzigingLijst,
} from "./schemas";

export type HubVariables = { registerActor: RegisterActor };
export type HubApp = ServiceApp<HubVariables>;

const SIGNED_IN: HubProblemCode[] = ["TOKEN_ONTBREEKT", "TOKEN_VERLOPEN", "TOKEN_ONGELDIG", "GEEN_TOEGANG"];
const errors = (...codes: HubProblemCode[]) => problemResponses(HUB_PROBLEMS, codes);
const WRITE: HubProblemCode[] = [...SIGNED_IN, "VERZOEK_ONGELDIG", "JSON_ONGELDIG", "MEDIATYPE_NIET_ONDERSTEUND", "VERZOEK_TE_GROOT"];

const VOORBEELD_ORGANISATIE = { id: "buurtschool", naam: "De Buurtschool", domein: "onderwijs", aangeslotenBij: ["GM0363"] };
const VOORBEELD_PERSOON = {
  sub: "f73d3383-1d00-51b3-b77a-fb7f75dea6e3",
  email: "ib@buurtschool.example",
  naam: "Marieke de Graaf",
  functie: "Intern begeleider",
  telefoon: "020 555 0101",
  organisatieId: "buurtschool",
  rol: "professional" as const,
  signaleringsbevoegd: true,
  medisch: false,
  aangewezenOp: "2026-01-05",
};

const OrganisatieParam = z.object({
  organisatieId: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "organisatieId", in: "path" }, example: "buurtschool" }),
});
const PersoonParam = z.object({
  persoonId: z
    .string()
    .min(1)
    .max(255)
    .openapi({ param: { name: "persoonId", in: "path" }, description: "De sub van de persoon.", example: VOORBEELD_PERSOON.sub }),
});

/** The node's signed request for the whole register: a `register.verzoek` from a configured node, addressed to the hub. */
async function requestingNode(ctx: HubContext, authorization: string | undefined): Promise<string> {
  const token = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? "")?.[1];
  if (!token) throw problem("TOKEN_ONTBREEKT", "Alleen een node van de regio kan het ondertekende register opvragen, met een ondertekend verzoek.");
  try {
    const ev = await verifyEvent(token, { trust: ctx.trust, audience: HUB_ID, replay: memoryReplayGuard(), expect: ["register.verzoek"] });
    if (ev.data.node !== ev.iss || !ctx.config.NODES.some((n) => n.code === ev.iss)) throw problem("GEEN_TOEGANG", "Deze node hoort niet bij de regio.");
    return ev.iss;
  } catch (e) {
    if (e instanceof EventRejected) throw problem("TOKEN_ONGELDIG", "Het verzoek van de node is niet geldig ondertekend.");
    // The signing key cannot be looked up now (the hub's database is gone): not the node's fault, and over soon.
    if (e instanceof TrustUnavailable) {
      throw baseProblem("DIENST_ONBEREIKBAAR", "De hub kan de sleutels van de nodes nu niet lezen. De node vraagt het register later opnieuw op.");
    }
    throw e;
  }
}

export function registerRegisterRoutes(app: HubApp, ctx: HubContext, verifier: TokenVerifier | undefined) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });

  app.use("/api/v1/register/*", async (c, next) => {
    if (c.req.path === "/api/v1/register/ondertekend") return next();
    if (!verifier) throw problem("TOKEN_ONGELDIG", "Deze hub aanvaardt geen tokens: er is geen identiteitsprovider ingesteld (AUTH_ISSUER).");
    let subject: string;
    try {
      ({ subject } = await verifier.verify(c.req.header("authorization")));
    } catch (e) {
      if (e instanceof TokenError) throw problem(e.code, e.message);
      throw e;
    }
    const actor = await personBySubject(ctx, subject);
    if (!actor) throw problem("GEEN_TOEGANG", "U staat niet in het register van de regio.");
    c.set("registerActor", actor);
    await next();
  });

  const security = [{ bearer: [] }];

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/organisaties",
      tags: ["register"],
      summary: "Organisaties in het register",
      description: "De convenantmanager ziet alle organisaties, een coördinator alleen de eigen organisatie.",
      security,
      responses: {
        200: {
          description: "De organisaties.",
          content: { "application/json": { schema: OrganisatieLijst, example: { organisaties: [VOORBEELD_ORGANISATIE] } } },
        },
        ...errors(...SIGNED_IN),
      },
    }),
    async (c) => c.json({ organisaties: await listOrganisations(ctx, c.get("registerActor")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/organisaties/{organisatieId}",
      tags: ["register"],
      summary: "Eén organisatie",
      security,
      request: { params: OrganisatieParam },
      responses: {
        200: { description: "De organisatie.", content: { "application/json": { schema: Organisatie, example: VOORBEELD_ORGANISATIE } } },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG", "ORGANISATIE_NIET_GEVONDEN"),
      },
    }),
    async (c) => c.json(await getOrganisation(ctx, c.get("registerActor"), c.req.valid("param").organisatieId), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/register/organisaties/{organisatieId}",
      tags: ["register"],
      summary: "Een organisatie toevoegen of wijzigen",
      description:
        "Alleen de convenantmanager. Naam, categorie en de gemeenten waarmee de organisatie een convenant heeft. Iedere node weet het binnen seconden.",
      security,
      request: {
        params: OrganisatieParam,
        body: {
          required: true,
          content: { "application/json": { schema: OrganisatieInvoer, example: { naam: "De Buurtschool", domein: "onderwijs", aangeslotenBij: ["GM0363"] } } },
        },
      },
      responses: {
        200: { description: "Opgeslagen.", content: { "application/json": { schema: Gewijzigd, example: { versie: 12 } } } },
        ...errors(...WRITE),
      },
    }),
    async (c) => {
      const { versie } = await putOrganisation(ctx, c.get("registerActor"), { id: c.req.valid("param").organisatieId, ...c.req.valid("json") });
      return c.json({ versie }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/personen",
      tags: ["register"],
      summary: "Personen in het register",
      description: "De convenantmanager: iedereen, of die van één organisatie. Een coördinator: de eigen organisatie. Het inzien wordt gelogd.",
      security,
      request: { query: z.object({ organisatie: z.string().min(1).max(200).optional() }) },
      responses: {
        200: { description: "De personen.", content: { "application/json": { schema: PersoonLijst, example: { personen: [VOORBEELD_PERSOON] } } } },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG"),
      },
    }),
    async (c) => c.json({ personen: await listPeople(ctx, c.get("registerActor"), c.req.valid("query").organisatie) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/personen/{persoonId}",
      tags: ["register"],
      summary: "Eén persoon",
      security,
      request: { params: PersoonParam },
      responses: {
        200: { description: "De persoon.", content: { "application/json": { schema: Persoon, example: VOORBEELD_PERSOON } } },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG", "PERSOON_NIET_GEVONDEN"),
      },
    }),
    async (c) => c.json(await getPerson(ctx, c.get("registerActor"), c.req.valid("param").persoonId), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/register/personen/{persoonId}",
      tags: ["register"],
      summary: "Een persoon toevoegen of wijzigen",
      description:
        "De convenantmanager: iedere persoon en rol. Een coördinator: professionals van de eigen organisatie. De aanwijzing (signaleringsbevoegd) wijzigt alleen via /aanwijzing.",
      security,
      request: {
        params: PersoonParam,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: PersoonInvoer,
              example: {
                email: "ib@buurtschool.example",
                naam: "Marieke de Graaf",
                functie: "Intern begeleider",
                telefoon: "020 555 0101",
                organisatieId: "buurtschool",
                rol: "professional",
              },
            },
          },
        },
      },
      responses: {
        200: { description: "Opgeslagen.", content: { "application/json": { schema: Gewijzigd, example: { versie: 13 } } } },
        ...errors(...WRITE, "ORGANISATIE_NIET_GEVONDEN", "PERSOON_NIET_GEVONDEN", "EMAIL_AL_GEREGISTREERD"),
      },
    }),
    async (c) => {
      const { versie } = await putPerson(ctx, c.get("registerActor"), c.req.valid("param").persoonId, c.req.valid("json"));
      return c.json({ versie }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/v1/register/personen/{persoonId}/aanwijzing",
      tags: ["register"],
      summary: "Een professional aanwijzen als signaleringsbevoegd",
      description: "De coördinator van de organisatie of de convenantmanager. De datum van aanwijzing is vandaag. Iedere node weet het binnen seconden.",
      security,
      request: { params: PersoonParam, body: { required: true, content: { "application/json": { schema: Aanwijzing, example: { medisch: false } } } } },
      responses: {
        200: { description: "Aangewezen.", content: { "application/json": { schema: Gewijzigd, example: { versie: 14 } } } },
        ...errors(...WRITE, "PERSOON_NIET_GEVONDEN", "GEEN_PROFESSIONAL"),
      },
    }),
    async (c) => {
      const { versie } = await designate(ctx, c.get("registerActor"), c.req.valid("param").persoonId, c.req.valid("json"));
      return c.json({ versie }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/register/personen/{persoonId}/aanwijzing",
      tags: ["register"],
      summary: "Een aanwijzing intrekken",
      description: "De coördinator van de organisatie of de convenantmanager. Iedere node weigert het volgende signaal van deze professional binnen seconden.",
      security,
      request: { params: PersoonParam },
      responses: {
        200: { description: "Ingetrokken.", content: { "application/json": { schema: Gewijzigd, example: { versie: 15 } } } },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG", "PERSOON_NIET_GEVONDEN", "GEEN_PROFESSIONAL"),
      },
    }),
    async (c) => {
      const { versie } = await revoke(ctx, c.get("registerActor"), c.req.valid("param").persoonId);
      return c.json({ versie }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/wijzigingen",
      tags: ["register"],
      summary: "De wijzigingen van het register",
      description: "Alleen de convenantmanager. Nieuwste eerst; iedere wijziging heeft een versienummer.",
      security,
      request: { query: z.object({ aantal: z.coerce.number().int().min(1).max(1000).default(100) }) },
      responses: {
        200: {
          description: "De wijzigingen.",
          content: {
            "application/json": {
              schema: WijzigingLijst,
              example: {
                wijzigingen: [
                  {
                    versie: 15,
                    tijdstip: "2026-12-05T08:00:00.000Z",
                    actor: "coordinator@buurtschool.example",
                    soort: "aanwijzing.ingetrokken",
                    object: VOORBEELD_PERSOON.sub,
                  },
                ],
              },
            },
          },
        },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG"),
      },
    }),
    async (c) => c.json({ wijzigingen: await listChanges(ctx, c.get("registerActor"), c.req.valid("query").aantal) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/register/ondertekend",
      tags: ["register"],
      summary: "Het hele register, ondertekend (voor nodes)",
      description:
        "Voor de nodes van de regio: de bearer is een door de node ondertekend verzoek (register.verzoek aan de hub). Het antwoord is het hele register als door de hub ondertekend bericht.",
      security,
      responses: {
        200: {
          description: "Het ondertekende register.",
          content: { "application/json": { schema: OndertekendRegister, example: { versie: 15, token: "eyJhbGciOiJFZERTQSJ9…" } } },
        },
        ...errors("TOKEN_ONTBREEKT", "TOKEN_ONGELDIG", "GEEN_TOEGANG"),
      },
    }),
    async (c) => {
      const node = await requestingNode(ctx, c.req.header("authorization"));
      c.header("Cache-Control", "no-store");
      return c.json(await signedRegisterFor(ctx, node), 200);
    },
  );
}
