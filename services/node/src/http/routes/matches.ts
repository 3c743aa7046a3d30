import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { listMatches } from "../../logic/matches";
import { MatchFilter, MatchLijst } from "../../schemas";
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
}
