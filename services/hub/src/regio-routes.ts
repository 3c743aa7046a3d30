/**
 * The convenantmanager's API under /api/v1/regio (docs/adr/0031): the nodes' health and the region's figures per
 * gemeente, domain and month. Only a person whose role in the register is convenantmanager; counts only, small
 * counts suppressed at the hub. The register itself (organisations, convenants, designations) is under
 * /api/v1/register.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { TokenError, type TokenVerifier } from "@vi/auth";
import { problemResponses } from "@vi/service";
import type { HubContext } from "./context";
import { nodeHealth, regionFigures } from "./figures";
import { HUB_PROBLEMS, type HubProblemCode, problem } from "./problems";
import { personBySubject } from "./register";
import type { HubApp } from "./register-routes";
import { NodeGezondheidLijst, RegioCijfers } from "./schemas";

const SIGNED_IN: HubProblemCode[] = ["TOKEN_ONTBREEKT", "TOKEN_VERLOPEN", "TOKEN_ONGELDIG", "GEEN_TOEGANG"];
const errors = (...codes: HubProblemCode[]) => problemResponses(HUB_PROBLEMS, codes);

export function registerRegioRoutes(app: HubApp, ctx: HubContext, verifier: TokenVerifier | undefined) {
  app.use("/api/v1/regio/*", async (c, next) => {
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
    if (actor.rol !== "convenantmanager")
      throw problem("GEEN_TOEGANG", "Alleen de convenantmanager van de regio ziet de cijfers en de gezondheid van de nodes.");
    c.set("registerActor", actor);
    c.header("Cache-Control", "no-store");
    await next();
  });

  const security = [{ bearer: [] }];

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/regio/nodes",
      tags: ["regio"],
      summary: "De gezondheid van de nodes",
      description:
        "Alleen de convenantmanager. Per node: bereikbaar, achter (de index van de hub loopt een minuut of meer achter, of de node antwoordt niet via de bus) of onbereikbaar, met de achterstand van de index.",
      security,
      responses: {
        200: {
          description: "De nodes.",
          content: {
            "application/json": {
              schema: NodeGezondheidLijst,
              example: {
                nodes: [{ code: "GM0363", naam: "Amsterdam", status: "bereikbaar", laatstGezien: "2026-12-05T08:00:00.000Z", indexAchterstandSeconden: 0 }],
              },
            },
          },
        },
        ...errors(...SIGNED_IN),
      },
    }),
    async (c) => c.json({ nodes: await nodeHealth(ctx) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/regio/cijfers",
      tags: ["regio"],
      summary: "Cijfers per gemeente, domein en maand",
      description:
        'Alleen de convenantmanager. Van één jaar: geregistreerde signalen, cliënt- en gezinsmatches, de matches die oud genoeg zijn om hun opvolging te beoordelen (opvolgbareMatches) en het aandeel daarvan met contact binnen de opvolgtermijn (contactBinnenTermijn, opvolgingPercentage), per gemeente (en de regio), maand (en het jaar) en domein (en alle). Aantallen van 1 tot en met 4 worden "< 5". Alleen aantallen, nooit personen.',
      security,
      request: {
        query: z.object({
          jaar: z.coerce.number().int().min(2000).max(2100).openapi({ example: 2026, description: "Het jaar." }),
        }),
      },
      responses: {
        200: {
          description: "De cijfers.",
          content: {
            "application/json": {
              schema: RegioCijfers,
              example: {
                jaar: 2026,
                opvolgtermijnDagen: 14,
                maanden: ["2026-01"],
                domeinen: ["onderwijs"],
                gemeenten: [{ code: "GM0363", naam: "Amsterdam", beantwoord: true }],
                rijen: [
                  {
                    gemeente: "GM0363",
                    maand: "2026-01",
                    domein: "onderwijs",
                    signalen: { aantal: 12, weergave: "12" },
                    clientmatches: { aantal: null, weergave: "< 5" },
                    gezinsmatches: { aantal: 0, weergave: "0" },
                    opvolgbareMatches: { aantal: 6, weergave: "6" },
                    contactBinnenTermijn: { aantal: null, weergave: "< 5" },
                    opvolgingPercentage: null,
                  },
                ],
              },
            },
          },
        },
        ...errors(...SIGNED_IN, "VERZOEK_ONGELDIG"),
      },
    }),
    async (c) => c.json(await regionFigures(ctx, c.req.valid("query").jaar, ctx.config.OPVOLGING_DAGEN), 200),
  );
}
