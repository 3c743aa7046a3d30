/** The organisation coordinator hands a leaving professional's signals to a colleague. */
import { createRoute } from "@hono/zod-openapi";
import type { NodeContext } from "../../context";
import { handOverSignals } from "../../logic/handover";
import { Overdracht, OverdrachtAanvraag } from "../../schemas";
import { routeErrors } from "../responses";
import type { NodeApp } from "../types";

export function registerHandoverRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/overdrachten",
      tags: ["overdracht"],
      summary: "Signalen van een vertrekkende professional overdragen aan een collega",
      description:
        "Alleen de coördinator van de organisatie, voor twee professionals van de eigen organisatie; de collega moet signaleringsbevoegd zijn. De actieve signalen in deze verwijsindex komen op naam van de collega (einddatum en informeren blijven), de matches gaan mee en de collega krijgt een melding en een e-mail. Een signaal op een jeugdige waarop de collega zelf al een signaal heeft, blijft staan. Ieder overgedragen signaal wordt gelogd.",
      request: { body: { required: true, content: { "application/json": { schema: OverdrachtAanvraag } } } },
      responses: {
        200: {
          description: "Overgedragen.",
          content: { "application/json": { schema: Overdracht, example: { overgedragen: 3, alBetrokken: 0, elders: 0 } } },
        },
        ...routeErrors.handover,
      },
    }),
    async (c) => c.json(await handOverSignals(ctx, c.get("actor"), c.req.valid("json")), 200),
  );
}
