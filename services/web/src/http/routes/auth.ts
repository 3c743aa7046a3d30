/**
 * Sign in (OpenID Connect, code flow with PKCE), sign out, and the choice of
 * the gemeente whose node the professional works through.
 */
import { html } from "hono/html";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { PendingSignIn } from "../../outbound/oidc";
import type { WebApp, WebDeps } from "../context";
import { cookieName } from "../cookies";
import { connectedNodes } from "../gemeenten";
import { errorPage } from "../pages/errors";
import { frame } from "../pages/frame";
import { alert, page } from "../views/layout";

/** Only a path on this site (never `//host` or a URL elsewhere) is a place to return to after signing in. */
export function safeReturnPath(v: string | undefined): string {
  return v && /^\/(?![/\\])[A-Za-z0-9\-._~/?=&%]*$/.test(v) ? v : "/";
}

export function registerAuthRoutes(app: WebApp, deps: WebDeps) {
  const secure = deps.config.COOKIE_SECURE === "true";

  app.get("/aanmelden", async (c) => {
    // `voor=hub`: a signed-in coordinator also needs a token for the hub's register API (docs/adr/0029); the provider
    // knows them already, so this round trip asks nothing of them.
    const voorHub = c.req.query("voor") === "hub" && Boolean(c.get("user"));
    let start: Awaited<ReturnType<typeof deps.oidc.start>>;
    try {
      // `voor=regio`: the convenantmanager's page, which works with the hub's API (a token for that API); `voor=hub`: a
      // signed-in coordinator's second token, for the hub's register API beside the node's.
      start = await deps.oidc.start(voorHub || c.req.query("voor") === "regio" ? deps.config.OIDC_HUB_RESOURCE : undefined);
    } catch (e) {
      deps.log.warn({ err: { message: (e as Error).message } }, "OpenID Connect provider not reachable");
      return c.html(
        errorPage(deps, c, 503, "Aanmelden lukt nu niet", "De aanmelddienst is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."),
        503,
      );
    }
    const pending = { ...start.pending, terug: safeReturnPath(c.req.query("terug")), ...(voorHub ? { voor: "hub" } : {}) };
    // SameSite=Lax: the way back from the provider is a top-level navigation, which carries it.
    await setSignedCookie(c, cookieName(deps, "aanmelden"), JSON.stringify(pending), deps.config.SESSION_SECRET, {
      httpOnly: true,
      sameSite: "Lax",
      secure,
      path: "/",
      maxAge: 600,
    });
    return c.redirect(start.url, 302);
  });

  app.get("/aanmelden/terug", async (c) => {
    const raw = await getSignedCookie(c, deps.config.SESSION_SECRET, cookieName(deps, "aanmelden"));
    deleteCookie(c, cookieName(deps, "aanmelden"), { path: "/", secure });
    if (!raw) {
      return c.html(
        errorPage(deps, c, 400, "Aanmelden verlopen", "Het aanmelden duurde te lang of is in een ander venster begonnen. Meld u opnieuw aan."),
        400,
      );
    }
    const pending = JSON.parse(raw) as PendingSignIn & { terug: string; voor?: "hub" };
    const query = new URL(c.req.url).search;
    const user = c.get("user");
    const voorHub = pending.voor === "hub" && Boolean(user);
    let signedIn: Awaited<ReturnType<typeof deps.oidc.finish>>;
    try {
      signedIn = await deps.oidc.finish(new URL(`${deps.publicUrl}/aanmelden/terug${query}`), pending, voorHub ? deps.config.OIDC_HUB_RESOURCE : undefined);
    } catch (e) {
      const err = e as Error & { error?: string; error_description?: string };
      deps.log.warn(
        {
          err: {
            message: err.message,
            error: err.error,
            description: err.error_description,
            cause: String(JSON.stringify((err as { cause?: unknown }).cause)).slice(0, 300),
          },
        },
        "sign-in failed",
      );
      return c.html(errorPage(deps, c, 400, "Aanmelden mislukt", "Het aanmelden is niet gelukt. Meld u opnieuw aan."), 400);
    }
    if (voorHub && user) {
      // The same person, now also with a token for the hub: kept in their session beside the node's.
      if (signedIn.subject !== user.session.subject) {
        return c.html(errorPage(deps, c, 403, "Geen toegang", "U bent als iemand anders aangemeld. Meld u af en opnieuw aan."), 403);
      }
      user.session.hubToken = { accessToken: signedIn.accessToken, expiresAt: signedIn.expiresAt };
      return c.redirect(safeReturnPath(pending.terug), 303);
    }
    const professional = deps.register.bySubject(signedIn.subject);
    if (!professional) {
      return c.html(
        errorPage(
          deps,
          c,
          403,
          "Geen toegang",
          "U bent aangemeld, maar staat niet in het register van de regio. Vraag de coördinator van uw organisatie u aan te melden.",
        ),
        403,
      );
    }
    const gemeenten = connectedNodes(deps, professional.organisatie.aangeslotenBij);
    if (!gemeenten.length) {
      return c.html(
        errorPage(deps, c, 403, "Geen toegang", "Uw organisatie is niet aangesloten bij een gemeente waarvan de verwijsindex via deze website bereikbaar is."),
        403,
      );
    }
    const session = deps.sessions.create({
      subject: signedIn.subject,
      accessToken: signedIn.accessToken,
      expiresAt: signedIn.expiresAt,
      gemeente: gemeenten[0]!.code,
      api: pending.resource === deps.config.OIDC_HUB_RESOURCE ? "hub" : "node",
    });
    await setSignedCookie(c, cookieName(deps, "sessie"), session.id, deps.config.SESSION_SECRET, { httpOnly: true, sameSite: "Lax", secure, path: "/" });
    return c.redirect(safeReturnPath(pending.terug), 303);
  });

  app.post("/afmelden", async (c) => {
    const user = c.get("user");
    if (user) deps.sessions.destroy(user.session.id);
    deleteCookie(c, cookieName(deps, "sessie"), { path: "/", secure });
    c.set("user", undefined);
    return c.html(
      page(
        await frame(deps, c, "U bent afgemeld"),
        html`${alert("ok", html`<p class="utrecht-paragraph">U bent afgemeld. Sluit ook het browservenster als u een gedeelde computer gebruikt.</p>`, { role: "status" })}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/aanmelden">Opnieuw aanmelden</a></p>`,
      ),
    );
  });

  app.post("/gemeente", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    const wanted = String((await c.req.parseBody()).gemeente ?? "");
    if (!user.gemeenten.some((g) => g.code === wanted)) {
      return c.html(
        errorPage(deps, c, 422, "Gemeente niet beschikbaar", "Uw organisatie is niet aangesloten bij die gemeente. Kies een gemeente uit de lijst."),
        422,
      );
    }
    user.session.gemeente = wanted;
    return c.redirect("/", 303);
  });
}
