import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { setStatusAsProfessional } from "../../logic/matchregie";
import { listMatches } from "../../logic/matches";
import { MatchFilter, MatchId, MatchLijst, Regie, StatusWijziging } from "../../schemas";
import { MATCH_VOORBEELD } from "../examples";
import { routeErrors } from "../responses";

export function registerMatchesRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/matches",
      tags: ["matches"],
      summary: "Uw matches",
      description: "Per match de andere betrokken professional(s): naam, organisatie en contactgegevens. Bij een gezinsmatch nooit welke andere jeugdige.",
      request: { query: MatchFilter },
      responses: {
        200: { description: "Uw matches.", content: { "application/json": { schema: MatchLijst, example: { matches: [MATCH_VOORBEELD] } } } },
        ...routeErrors.listMatches,
      },
    }),
    async (c) => c.json({ matches: await listMatches(ctx, c.get("actor"), c.req.valid("query")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/matches/{id}/status",
      tags: ["matches"],
      summary: "Status van uw match zetten",
      description:
        "Leg vast hoe de opvolging van een van uw matches gaat (geen-contact, contact-gelegd, afgestemd, regie-belegd); de matchregisseur van de gemeente ziet het. De verwijsindex van de woongemeente van de jeugdige houdt het bij. Een gezinsmatch tussen gemeenten heeft geen status (MATCHREGIE_NIET_HIER).",
      request: { params: MatchId, body: { required: true, content: { "application/json": { schema: StatusWijziging } } } },
      responses: {
        200: {
          description: "De opvolging van de match.",
          content: { "application/json": { schema: Regie, example: { status: "contact-gelegd", regievoerder: null } } },
        },
        ...routeErrors.matchStatus,
      },
    }),
    async (c) => c.json(await setStatusAsProfessional(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json").status), 200),
  );
}
