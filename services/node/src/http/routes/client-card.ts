import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { openClientCard, prepareInzage } from "../../logic/client-card";
import { Clientkaart, Inzage, InzageQuery, SignaalId } from "../../schemas";
import { CLIENTKAART_VOORBEELD, INZAGE_VOORBEELD } from "../examples";
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
