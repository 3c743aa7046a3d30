/** The style sheets (NL Design System components and tokens, the region's theme, our own) and the one script. */
import type { WebApp, WebDeps } from "../context";

export function registerStaticRoutes(app: WebApp, deps: WebDeps) {
  // Browsers ask for it on every site; there is none.
  app.get("/favicon.ico", (c) => c.body(null, 204, { "Cache-Control": "public, max-age=86400" }));
  app.get("/static/*", (c) => {
    const asset = deps.assets.get(c.req.path.slice("/static/".length));
    if (!asset) return c.body("Niet gevonden", 404, { "Content-Type": "text/plain; charset=utf-8" });
    return c.body(asset.body as string, 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=300" });
  });
}
