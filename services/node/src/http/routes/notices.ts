import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { listNotices, noticePushed, openNoticeStream } from "../../logic/matches";
import { MeldingLijst } from "../../schemas";
import { MELDING_VOORBEELD } from "../examples";
import { routeErrors } from "../responses";

export function registerNoticeRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/meldingen",
      tags: ["meldingen"],
      summary: "Uw meldingen (matches, verhuizingen)",
      responses: {
        200: { description: "Meldingen.", content: { "application/json": { schema: MeldingLijst, example: { meldingen: [MELDING_VOORBEELD] } } } },
        ...routeErrors.notices,
      },
    }),
    async (c) => c.json({ meldingen: await listNotices(ctx, c.get("actor")) }, 200),
  );

  // Live stream for the web application (server-sent events): documented here, served by the handler below.
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/api/v1/meldingen/stream",
    tags: ["meldingen"],
    summary: "Live meldingen (server-sent events)",
    description:
      "Een stroom van server-sent events: eerst `verbonden`, dan per nieuwe melding een event `melding` met de melding als JSON (zoals in GET /meldingen), een event `melding-verwijderd` met `{ id }` van een melding die verdween (haar match of signaal bestaat niet meer), en elke 15 seconden zonder melding een `ping`. De verbinding blijft open tot de client haar sluit.",
    responses: {
      200: {
        description: "De stroom.",
        content: {
          "text/event-stream": {
            schema: z.string().openapi({ description: "Regels `event: <naam>` en `data: <JSON>`, gescheiden door een lege regel." }),
            example: `event: verbonden\ndata: {}\n\nevent: melding\ndata: ${JSON.stringify(MELDING_VOORBEELD)}\n\n`,
          },
        },
      },
      ...routeErrors.notices,
    },
  });
  app.get("/api/v1/meldingen/stream", (c) => {
    const actor = c.get("actor");
    return streamSSE(c, async (stream) => {
      const queue: { event: string; data: string; log?: () => Promise<void> }[] = [];
      let wake: (() => void) | undefined;
      const off = ctx.notifier.subscribe(actor.professionalId, (e) => {
        queue.push(
          e.event === "melding"
            ? { event: "melding", data: JSON.stringify(e.melding), log: () => noticePushed(ctx, actor, e.melding) }
            : { event: e.event, data: JSON.stringify({ id: e.id }) },
        );
        wake?.();
      });
      await openNoticeStream(ctx, actor);
      stream.onAbort(() => {
        off();
        wake?.();
      });
      await stream.writeSSE({ event: "verbonden", data: "{}" });
      while (!stream.aborted) {
        const next = queue.shift();
        if (next) {
          // Logged before it is sent: a melding that reached the professional is always in the audit log.
          await next.log?.();
          await stream.writeSSE({ event: next.event, data: next.data });
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = undefined;
        if (!queue.length && !stream.aborted) await stream.writeSSE({ event: "ping", data: "{}" });
      }
      off();
    });
  });
}
