/**
 * The web application's HTTP app (createApp), on the service kit: request id
 * and log, security headers (with a Content-Security-Policy that lets the
 * pages load only their own style sheets and script), health and readiness.
 * On top: the session, CSRF protection of every form, and the pages. Pages
 * are rendered on the server; errors are pages in Dutch, never a stack.
 */
import { bodyLimit } from "hono/body-limit";
import { getSignedCookie, setCookie, getCookie } from "hono/cookie";
import { createServiceApp } from "@vi/service";
import { csrfTokenFor, csrfValid, newCsrfCookieValue } from "../logic/session";
import { NodeRefusal, noNodeApi, nodeApi } from "../outbound/node-api";
import type { SignedInUser, WebApp, WebDeps } from "./context";
import { cookieName } from "./cookies";
import { connectedNodes } from "./gemeenten";
import { errorPage } from "./pages/errors";
import { registerAuthRoutes } from "./routes/auth";
import { registerAvgRoutes } from "./routes/avg";
import { registerClientCardRoutes } from "./routes/client-card";
import { registerCoordinationRoutes } from "./routes/coordination";
import { registerHelpRoutes } from "./routes/help";
import { registerMatchRoutes } from "./routes/matches";
import { registerMatchregieRoutes } from "./routes/matchregie";
import { registerRegioRoutes } from "./routes/regio";
import { registerSignalRoutes } from "./routes/signals";
import { registerStaticRoutes } from "./routes/static";

export const WEB_VERSION = "1.0.0";
export const FORM_LIMIT_BYTES = 16 * 1024;

/** Pages load their own style sheets, script and (data:) icons, and post forms only to themselves. */
export const PAGE_SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

export function createApp(deps: WebDeps): WebApp {
  const app = createServiceApp({
    apiVersion: WEB_VERSION,
    log: deps.log,
    bodyLimitBytes: FORM_LIMIT_BYTES,
    ready: async () => true,
    readyBody: { dienst: "web" },
    securityHeaders: PAGE_SECURITY_HEADERS,
  }) as unknown as WebApp;

  app.use(
    "*",
    bodyLimit({
      maxSize: FORM_LIMIT_BYTES,
      onError: (c) => c.html(errorPage(deps, c, 413, "Het formulier is te groot", "Wat u verstuurde is groter dan dit formulier ooit nodig heeft."), 413),
    }),
  );

  // CSRF: a random value in an httpOnly SameSite cookie; every form carries its HMAC, checked on every POST.
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/static/") || c.req.path === "/health" || c.req.path === "/ready") return next();
    const name = cookieName(deps, "csrf");
    let value = getCookie(c, name);
    if (!value || value.length < 32) {
      value = newCsrfCookieValue();
      setCookie(c, name, value, { httpOnly: true, sameSite: "Lax", secure: deps.config.COOKIE_SECURE === "true", path: "/" });
    }
    c.set("csrf", csrfTokenFor(deps.config.SESSION_SECRET, value));
    if (c.req.method === "POST") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      const form = type === "application/x-www-form-urlencoded" || type === "multipart/form-data" ? await c.req.parseBody() : {};
      if (!csrfValid(deps.config.SESSION_SECRET, getCookie(c, name), form._csrf)) {
        return c.html(
          errorPage(
            deps,
            c,
            403,
            "Formulier verlopen",
            "Dit formulier is verlopen of niet van deze website. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
          ),
          403,
        );
      }
    }
    return next();
  });

  // The session: a random id in a signed cookie; the session holds only the token, the subject and the chosen gemeente.
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/static/")) return next();
    const id = await getSignedCookie(c, deps.config.SESSION_SECRET, cookieName(deps, "sessie"));
    const session = deps.sessions.get(id || undefined);
    if (session) {
      const professional = deps.register.bySubject(session.subject);
      if (professional) {
        const gemeenten = connectedNodes(deps, professional.organisatie.aangeslotenBij);
        const url = deps.config.NODES.get(session.gemeente);
        const api = session.api === "hub" ? noNodeApi() : url ? nodeApi(url, session.accessToken) : undefined;
        if (api) c.set("user", { session, professional, gemeenten, api } satisfies SignedInUser);
      }
    }
    return next();
  });

  registerStaticRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerSignalRoutes(app, deps);
  registerMatchRoutes(app, deps);
  registerMatchregieRoutes(app, deps);
  registerClientCardRoutes(app, deps);
  registerHelpRoutes(app, deps);
  registerRegioRoutes(app, deps);
  registerAvgRoutes(app, deps);
  registerCoordinationRoutes(app, deps);

  app.notFound((c) => c.html(errorPage(deps, c, 404, "Pagina niet gevonden", "Deze pagina bestaat niet (meer). Ga naar de startpagina."), 404));
  app.onError((err, c) => {
    if (err instanceof NodeRefusal) {
      if (err.status === 401) {
        // The token expired or was refused: the session ends; sign in again.
        const user = c.get("user");
        if (user) deps.sessions.destroy(user.session.id);
        return c.redirect("/aanmelden", 303);
      }
      const status = err.status === 404 ? 404 : err.status === 403 ? 403 : err.status >= 500 ? 503 : 422;
      return c.html(errorPage(deps, c, status, status === 404 ? "Niet gevonden" : "Dat lukte niet", err.detail), status);
    }
    deps.log.error({ err: { message: (err as Error).message, name: (err as Error).name }, requestId: c.get("requestId") }, "page failed");
    return c.html(
      errorPage(deps, c, 500, "Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het opnieuw; blijft het misgaan, neem contact op met de beheerder."),
      500,
    );
  });
  return app;
}
