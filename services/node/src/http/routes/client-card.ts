import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { openArchive, openClientCard, prepareInzage } from "../../logic/client-card";
import { Archief, Clientkaart, Inzage, InzageQuery, SignaalId } from "../../schemas";
import { ARCHIEF_VOORBEELD, CLIENTKAART_VOORBEELD, INZAGE_VOORBEELD } from "../examples";
import { routeErrors } from "../responses";

export function registerClientCardRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signalen/{id}/clientkaart",
      tags: ["clientkaart"],
      summary: "Cliëntkaart van de jeugdige van uw signaal",
      description: "Alleen bereikbaar via uw eigen actieve signaal op de jeugdige (geen BSN in de URL). Elke raadpleging wordt gelogd.",
      request: { params: SignaalId },
      responses: {
        200: { description: "De cliëntkaart.", content: { "application/json": { schema: Clientkaart, example: CLIENTKAART_VOORBEELD } } },
        ...routeErrors.clientCard,
      },
    }),
    async (c) => c.json(await openClientCard(ctx, c.get("actor"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signalen/{id}/clientkaart/archief",
      tags: ["clientkaart"],
      summary: "Eerdere betrokkenheid (archief) bij de jeugdige van uw signaal",
      description:
        "De cliëntkaart zegt alleen dat er eerdere betrokkenheid is; wie en wanneer opent u hier, op uw uitdrukkelijk verzoek. Met contactgegevens van een eerder betrokken professional met wie uw signaal een match heeft. Elke raadpleging wordt gelogd.",
      request: { params: SignaalId },
      responses: {
        200: { description: "De eerdere betrokkenheid.", content: { "application/json": { schema: Archief, example: ARCHIEF_VOORBEELD } } },
        ...routeErrors.archive,
      },
    }),
    async (c) => c.json(await openArchive(ctx, c.get("actor"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signalen/{id}/inzage",
      tags: ["inzage"],
      summary: "Inzage voor ouders of jeugdige",
      description:
        "Wat de verwijsindex over de jeugdige bevat: gegevens en betrokken organisaties met data, nooit namen van professionals of gezinsmatches. Niet bij een geheim adres of buiten de regio.",
      request: { params: SignaalId, query: InzageQuery },
      responses: { 200: { description: "De inzage.", content: { "application/json": { schema: Inzage, example: INZAGE_VOORBEELD } } }, ...routeErrors.inzage },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await prepareInzage(ctx, c.get("actor"), c.req.valid("param").id, { voor: q.voor, toestemmingJeugdige: q.toestemmingJeugdige }), 200);
    },
  );
}
