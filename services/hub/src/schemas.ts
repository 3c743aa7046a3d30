/** The zod schemas of the hub API's responses; the OpenAPI document is generated from them, and the types below are inferred from them. */
import { z } from "@hono/zod-openapi";

export const Jwks = z.object({
  keys: z.array(z.record(z.string(), z.unknown()).openapi({ description: "Een publieke sleutel (JWK) met de dienst (iss) waarvan hij is." })),
});

export const NodeOverzicht = z.object({
  code: z.string().openapi({ example: "GM0363" }),
  naam: z.string().openapi({ example: "Amsterdam" }),
  url: z.string(),
  status: z.string().openapi({ description: "gereed, onbereikbaar of onbekend" }),
  laatstGezien: z.string().nullable().openapi({ format: "date-time" }),
});

export const NodeLijst = z.object({ nodes: z.array(NodeOverzicht) });

export type NodeOverview = z.infer<typeof NodeOverzicht>;
