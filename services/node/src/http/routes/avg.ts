/** The gemeente's AVG desk: only its privacy officer; the BSN only in request bodies. */
import { createRoute } from "@hono/zod-openapi";
import type { NodeContext } from "../../context";
import { findYouthRecord, rectifyYouth, removeSignalOnRequest } from "../../logic/avg";
import { AvgBsn, AvgDossier, AvgRectificatie, AvgVerwijdering, AvgZoekVraag, SignaalId } from "../../schemas";
import { routeErrors } from "../responses";
import type { NodeApp } from "../types";

const json = <T>(schema: T, description: string, example: unknown) => ({ description, content: { "application/json": { schema, example } } });

const DOSSIER_VOORBEELD = {
  bekend: true,
  gemeente: { code: "GM0363", naam: "Amsterdam" },
  opgesteldOp: "2026-11-28T09:00:00.000Z",
  jeugdige: {
    bsn: "999900018",
    naam: "Adam van Haarlem",
    geboortedatum: "2016-05-01",
    geslacht: "M",
    gemeente: "GM0363",
    overleden: false,
    geheimAdres: false,
    brpOpgehaaldOp: "2026-11-28T09:00:00.000Z",
  },
  signalen: [],
  matches: [],
  logboek: [],
};

export function registerAvgRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/avg/zoeken",
      tags: ["avg"],
      summary: "Wat de verwijsindex over een BSN bewaart (AVG art. 15)",
      description:
        "Alleen de privacyfunctionaris van de gemeente. De jeugdige zoals afgeleid uit de BRP, alle signalen (actief en archief) met organisatie en professional, de matches (bij een gezinsmatch nooit wie de andere jeugdige is) en het logboek over de jeugdige. Het BSN staat in de body, nooit in een URL. Iedere opvraging wordt gelogd, met het doel (inzien of export).",
      request: { body: { required: true, content: { "application/json": { schema: AvgZoekVraag } } } },
      responses: { 200: json(AvgDossier, "Wat deze verwijsindex over het BSN bewaart (bekend false: niets).", DOSSIER_VOORBEELD), ...routeErrors.avgFind },
    }),
    async (c) => c.json(await findYouthRecord(ctx, c.get("actor"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/avg/rectificeren",
      tags: ["avg"],
      summary: "Gegevens van een jeugdige corrigeren vanuit de BRP (AVG art. 16)",
      description:
        "Alleen de privacyfunctionaris. Haalt de gegevens van de jeugdige opnieuw uit de BRP (de bron van alles wat de verwijsindex over de jeugdige weet) en matcht de actieve signalen opnieuw. Woont de jeugdige volgens de BRP in een andere gemeente van de regio, dan gaan de signalen daarheen, zoals bij een verhuizing. Wordt gelogd.",
      request: { body: { required: true, content: { "application/json": { schema: AvgBsn } } } },
      responses: {
        200: json(AvgRectificatie, "Gecorrigeerd.", { gewijzigd: ["naam"], gezinGewijzigd: false, nieuweMatches: 0, verhuisdNaar: null }),
        ...routeErrors.avgRectify,
      },
    }),
    async (c) => c.json(await rectifyYouth(ctx, c.get("actor"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/avg/signalen/{id}/verwijderen",
      tags: ["avg"],
      summary: "Een signaal verwijderen dat er niet had mogen staan (AVG art. 17, 21)",
      description:
        "Alleen de privacyfunctionaris. Met een reden uit een vaste lijst. Het signaal wordt verwijderd, niet gearchiveerd, en verdwijnt overal zoals bij intrekken: de matches en meldingen bij iedere professional, de index van de hub en de verwijzing bij de gemeente waar het werd afgegeven. Wordt gelogd.",
      request: { params: SignaalId, body: { required: true, content: { "application/json": { schema: AvgVerwijdering } } } },
      responses: { 204: { description: "Verwijderd." }, ...routeErrors.avgRemove },
    }),
    async (c) => {
      await removeSignalOnRequest(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json").reden);
      return c.body(null, 204);
    },
  );
}
