import type { ServiceKeys } from "./keys";

/** GET /.well-known/jwks.json: the service's public keys, cacheable for 60 s. */
export function jwksHandler(keys: ServiceKeys): () => Response {
  return () =>
    new Response(JSON.stringify(keys.jwks()), {
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "public, max-age=60" },
    });
}
