/**
 * Start and stop of the web application: read the register, the client key
 * and the static files, listen, and on stop close the server and the mailer.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { JWK } from "jose";
import { type Clock, systemClock } from "@vi/domain";
import { createMailer, type Mailer } from "@vi/mail";
import { type Region, regionFromConfig, regionOf } from "@vi/region";
import { createLogger, type Logger, serveHttp, startWithCleanups } from "@vi/service";
import type { WebConfig } from "./config";
import { createApp, WEB_VERSION } from "./http/app";
import type { WebDeps } from "./http/context";
import { createSealedInzageStore } from "./logic/sealed-inzage";
import { createSessionStore } from "./logic/session";
import { createOidcClient } from "./outbound/oidc";
import { registerFromFile } from "./outbound/register";

export interface StartWebOptions {
  config: WebConfig;
  log?: Logger;
  clock?: Clock;
  mailer?: Mailer;
}

export interface RunningWeb {
  url: string;
  port: number;
  deps: WebDeps;
  stop(): Promise<void>;
}

const STATIC_DIR = resolve(import.meta.dirname, "..", "static");
const TYPES: Record<string, string> = { css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8" };

/** The static files, read once: our own (static/), the Utrecht component CSS and the NL Design System example tokens. */
export function loadAssets(): WebDeps["assets"] {
  const require = createRequire(import.meta.url);
  const assets: WebDeps["assets"] = new Map();
  const add = (name: string, file: string) => assets.set(name, { body: readFileSync(file, "utf8"), type: TYPES[name.split(".").pop()!] ?? "text/plain" });
  add("utrecht.css", require.resolve("@utrecht/component-library-css/dist/index.css"));
  add("tokens.css", require.resolve("@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css"));
  for (const f of readdirSync(STATIC_DIR)) if (/\.(css|js)$/.test(f)) add(f, join(STATIC_DIR, f));
  for (const f of readdirSync(join(STATIC_DIR, "thema"))) if (f.endsWith(".css")) add(`thema/${f}`, join(STATIC_DIR, "thema", f));
  return assets;
}

function clientKey(config: WebConfig): JWK {
  const raw = config.OIDC_CLIENT_KEY ?? readFileSync(config.OIDC_CLIENT_KEY_FILE!, "utf8");
  const parsed = JSON.parse(raw) as JWK & { privateJwk?: JWK };
  // A key file may hold { privateJwk, publicJwk } (as the demo writes it) or the private JWK itself.
  const key = parsed.privateJwk ?? parsed;
  if (key.kty !== "OKP" || key.crv !== "Ed25519" || !key.d) throw new Error("OIDC_CLIENT_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, d)");
  return key;
}

/** The region, naming the gemeenten of the other demo regions too (a web application serving two regions shows "Haarlem", not "GM0392"). */
function withOtherRegionsNames(region: Region): Region {
  return { ...region, naamVan: (code) => (region.includes(code) ? region.naamVan(code) : (regionOf(code)?.region.naamVan(code) ?? code)) };
}

export async function startWeb(opts: StartWebOptions): Promise<RunningWeb> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL, "web");
  return startWithCleanups(log, async (cleanups) => {
    const register = registerFromFile(config.REGISTER_BESTAND);
    const assets = loadAssets();
    if (!assets.has(`thema/${config.REGIO_THEMA}.css`))
      throw new Error(`REGIO_THEMA ${config.REGIO_THEMA}: no services/web/static/thema/${config.REGIO_THEMA}.css`);
    const mailer =
      opts.mailer ??
      (config.SMTP_HOST
        ? createMailer({ host: config.SMTP_HOST, port: config.SMTP_PORT, user: config.SMTP_USER, pass: config.SMTP_PASS, from: config.SMTP_FROM })
        : undefined);
    if (mailer && !opts.mailer) cleanups.push("mailer", () => mailer.close());
    const key = clientKey(config);
    // The redirect URI needs the port; with PORT 0 it is known only once listening, so the app is built after.
    let app: ReturnType<typeof createApp> | undefined;
    const http = await serveHttp(cleanups, log, "web", {
      fetch: (req) => (app ? app.fetch(req) : new Response("Even geduld", { status: 503 })),
      port: config.PORT,
      hostname: config.HOST,
      apiVersion: WEB_VERSION,
    });
    const publicUrl = (config.PUBLIC_URL ?? http.url).replace(/\/$/, "");
    const deps: WebDeps = {
      config,
      publicUrl,
      register,
      region: withOtherRegionsNames(regionFromConfig(config.REGIO_GEMEENTEN, config.REGIO_NAAM)),
      oidc: createOidcClient({
        issuer: config.OIDC_ISSUER,
        clientId: config.OIDC_CLIENT_ID,
        clientKey: key,
        redirectUri: `${publicUrl}/aanmelden/terug`,
        resource: config.OIDC_RESOURCE,
      }),
      sessions: createSessionStore({ idleMinutes: config.SESSION_MINUTEN }),
      sealed: createSealedInzageStore(),
      mailer,
      clock: opts.clock ?? systemClock,
      log,
      assets,
    };
    app = createApp(deps);
    log.info({ url: publicUrl }, "web started");
    return { url: publicUrl, port: http.port, deps, stop: () => cleanups.run() };
  });
}
