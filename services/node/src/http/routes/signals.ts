import { createRoute } from "@hono/zod-openapi";
import type { NodeApp } from "../types";
import type { NodeContext } from "../../context";
import { register } from "../../logic/registration";
import { endSignal, extendSignal, getOwnSignal, listOwnSignals, recordInforming, withdrawSignal } from "../../logic/signals";
import { Informeren, Registratie, Signaal, SignaalAanvraag, SignaalFilter, SignaalId, SignaalLijst, Verlenging } from "../../schemas";
import { GEARCHIVEERD_VOORBEELD, REGISTRATIE_VOORBEELD, SIGNAAL_VOORBEELD } from "../examples";
import { routeErrors } from "../responses";

const json = <T>(schema: T, description: string, example: unknown) => ({ description, content: { "application/json": { schema, example } } });

export function registerSignalRoutes(app: NodeApp, ctx: NodeContext) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen",
      tags: ["signalen"],
      summary: "Signaal afgeven",
      description: "Registreert uw betrokkenheid bij een jeugdige. Matches worden direct gemaakt.",
      request: { body: { required: true, content: { "application/json": { schema: SignaalAanvraag } } } },
      responses: {
        201: json(Registratie, "Signaal geregistreerd. De Location-header wijst naar het signaal.", REGISTRATIE_VOORBEELD),
        ...routeErrors.registerSignal,
      },
    }),
    async (c) => {
      const result = await register(ctx, c.get("actor"), c.req.valid("json"));
      c.header("Location", `/api/v1/signalen/${result.signaal.id}`);
      return c.json(result, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signalen",
      tags: ["signalen"],
      summary: "Eigen signalen",
      request: { query: SignaalFilter },
      responses: { 200: json(SignaalLijst, "Uw signalen.", { signalen: [SIGNAAL_VOORBEELD] }), ...routeErrors.listSignals },
    }),
    async (c) => c.json({ signalen: await listOwnSignals(ctx, c.get("actor"), c.req.valid("query")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/signalen/{id}",
      tags: ["signalen"],
      summary: "Eén eigen signaal",
      request: { params: SignaalId },
      responses: { 200: json(Signaal, "Het signaal.", SIGNAAL_VOORBEELD), ...routeErrors.getSignal },
    }),
    async (c) => c.json(await getOwnSignal(ctx, c.get("actor"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen/{id}/verlengen",
      tags: ["signalen"],
      summary: "Signaal verlengen",
      request: { params: SignaalId, body: { required: true, content: { "application/json": { schema: Verlenging } } } },
      responses: { 200: json(Signaal, "Verlengd.", SIGNAAL_VOORBEELD), ...routeErrors.extendSignal },
    }),
    async (c) => c.json(await extendSignal(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json").einddatum), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen/{id}/informeren",
      tags: ["signalen"],
      summary: "Informeren vastleggen",
      description:
        "Leg vast dat u de jeugdige en/of ouders (alsnog) hebt geïnformeerd: wie en wanneer, volgens de leeftijdsregels. De reden om niet te informeren vervalt. Tot een organisatie heeft geïnformeerd, toont inzage door een ander die organisatie niet. Wordt gelogd.",
      request: { params: SignaalId, body: { required: true, content: { "application/json": { schema: Informeren } } } },
      responses: { 200: json(Signaal, "Vastgelegd.", SIGNAAL_VOORBEELD), ...routeErrors.recordInforming },
    }),
    async (c) => c.json(await recordInforming(ctx, c.get("actor"), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen/{id}/beeindigen",
      tags: ["signalen"],
      summary: "Betrokkenheid beëindigd",
      description: "Het signaal gaat naar het historisch archief (5 jaar) en blijft als 'eerder betrokken' zichtbaar.",
      request: { params: SignaalId },
      responses: { 200: json(Signaal, "Gearchiveerd.", GEARCHIVEERD_VOORBEELD), ...routeErrors.endSignal },
    }),
    async (c) => c.json(await endSignal(ctx, c.get("actor"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/signalen/{id}/intrekken",
      tags: ["signalen"],
      summary: "Onterecht afgegeven signaal intrekken",
      description: "Het signaal wordt verwijderd, niet gearchiveerd.",
      request: { params: SignaalId },
      responses: { 204: { description: "Verwijderd." }, ...routeErrors.withdrawSignal },
    }),
    async (c) => {
      await withdrawSignal(ctx, c.get("actor"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
