/** The frame of a page for the request at hand: who is signed in, their node and their count of matches. */
import type { Context } from "hono";
import type { WebDeps, WebVariables } from "../context";
import type { PageFrame } from "../views/layout";

type Ctx = Context<{ Variables: WebVariables }>;

export async function frame(deps: WebDeps, c: Ctx, title: string, opts: { current?: PageFrame["current"]; live?: boolean } = {}): Promise<PageFrame> {
  const user = c.get("user");
  let matches: number | undefined;
  // A session for the hub's API (the convenantmanager's page) has no token for a node: no count of matches.
  if (user && user.session.api !== "hub") {
    try {
      matches = (await user.api.matches()).length;
    } catch {
      matches = undefined;
    }
  }
  return {
    title,
    regio: deps.config.REGIO_NAAM,
    thema: deps.config.REGIO_THEMA,
    csrf: c.get("csrf") ?? "",
    current: opts.current,
    live: Boolean(user) && opts.live !== false,
    viewer: user
      ? {
          naam: user.professional.naam,
          functie: user.professional.functie,
          organisatie: user.professional.organisatie.naam,
          signaleringsbevoegd: user.professional.signaleringsbevoegd,
          matchregisseur: user.professional.rol === "matchregisseur",
          rol: user.professional.rol,
          gemeente: { code: user.session.gemeente, naam: deps.region.naamVan(user.session.gemeente) },
          gemeenten: user.gemeenten,
          matches,
          convenantmanager: user.professional.rol === "convenantmanager",
        }
      : undefined,
  };
}

/** The frame without calling the node (error pages: the node may be what failed). */
export function plainFrame(deps: WebDeps, c: Ctx, title: string): PageFrame {
  const user = c.get("user");
  return {
    title,
    regio: deps.config.REGIO_NAAM,
    thema: deps.config.REGIO_THEMA,
    csrf: c.get("csrf") ?? "",
    viewer: user
      ? {
          naam: user.professional.naam,
          functie: user.professional.functie,
          organisatie: user.professional.organisatie.naam,
          signaleringsbevoegd: user.professional.signaleringsbevoegd,
          matchregisseur: user.professional.rol === "matchregisseur",
          rol: user.professional.rol,
          gemeente: { code: user.session.gemeente, naam: deps.region.naamVan(user.session.gemeente) },
          gemeenten: user.gemeenten,
          matches: undefined,
        }
      : undefined,
  };
}
