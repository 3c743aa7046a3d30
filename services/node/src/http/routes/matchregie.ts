/**
 * Matchregie (Jeugdwet 7.1.3.2) for the gemeente's matchregisseur: the gemeente's matches and their follow-up.
 * Only the matchregisseur the register names for this gemeente; anyone else gets 403 ALLEEN_MATCHREGISSEUR.
 */
import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { confirmRegievoerder, listGemeenteMatches, openGemeenteMatch, setStatusAsMatchregisseur } from "../../logic/matchregie";
import { MatchId, MatchregieDetail, MatchregieFilter, MatchregieLijst, MatchregieMatch, RegievoerderKeuze, StatusWijziging } from "../../schemas";
import { MATCHREGIE_DETAIL_VOORBEELD, MATCHREGIE_VOORBEELD } from "../examples";
import { routeErrors } from "../responses";

const json = <T>(schema: T, description: string, example: unknown) => ({ description, content: { "application/json": { schema, example } } });

export function registerMatchregieRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/matchregie/matches",
      tags: ["matchregie"],
      summary: "De matches van de gemeente (matchregisseur)",
      description:
        "Nieuwste eerst: soort, datum, de betrokken organisaties en professionals, de status, de voorgestelde en de bevestigde regievoerder, en of een match te lang zonder contact is. Zonder naam van de jeugdige: die staat alleen in één geopende match. Gelogd.",
      request: { query: MatchregieFilter },
      responses: {
        200: json(MatchregieLijst, "De matches van de gemeente.", { matches: [MATCHREGIE_VOORBEELD], herinneringNaDagen: 14 }),
        ...routeErrors.matchregieList,
      },
    }),
    async (c) => c.json(await listGemeenteMatches(ctx, c.get("actor"), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/matchregie/matches/{id}",
      tags: ["matchregie"],
      summary: "Eén match openen om erop te handelen (matchregisseur)",
      description: "Zoals in de lijst, met de naam van de jeugdige (bij een gezinsmatch van beide jeugdigen). Elke opening wordt gelogd.",
      request: { params: MatchId },
      responses: { 200: json(MatchregieDetail, "De match.", MATCHREGIE_DETAIL_VOORBEELD), ...routeErrors.matchregieOpen },
    }),
    async (c) => c.json(await openGemeenteMatch(ctx, c.get("actor"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/matchregie/matches/{id}/regievoerder",
      tags: ["matchregie"],
      summary: "Regievoerder bevestigen (matchregisseur)",
      description:
        "Legt vast wie van de betrokken professionals (met een actief signaal) de regie voert. Het voorstel van de regel van de regio staat in voorgesteldeRegievoerder.",
      request: { params: MatchId, body: { required: true, content: { "application/json": { schema: RegievoerderKeuze } } } },
      responses: { 200: json(MatchregieMatch, "De match met de regievoerder.", MATCHREGIE_VOORBEELD), ...routeErrors.matchregieRegievoerder },
    }),
    async (c) => c.json(await confirmRegievoerder(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json").signaalId), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/matchregie/matches/{id}/status",
      tags: ["matchregie"],
      summary: "Status van een match zetten (matchregisseur)",
      request: { params: MatchId, body: { required: true, content: { "application/json": { schema: StatusWijziging } } } },
      responses: { 200: json(MatchregieMatch, "De match met de nieuwe status.", MATCHREGIE_VOORBEELD), ...routeErrors.matchregieStatus },
    }),
    async (c) => c.json(await setStatusAsMatchregisseur(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json").status), 200),
  );
}
