import type { Context } from "hono";
import { html } from "hono/html";
import type { WebDeps, WebVariables } from "../context";
import { alert, page } from "../views/layout";
import { plainFrame } from "./frame";

export function errorPage(deps: WebDeps, c: Context<{ Variables: WebVariables }>, status: number, title: string, message: string) {
  return page(
    plainFrame(deps, c, title),
    html`${alert(status >= 500 ? "error" : "warning", html`<p class="utrecht-paragraph">${message}</p>`, { role: "alert" })}
<p class="utrecht-paragraph"><a class="utrecht-link" href="/">Naar de startpagina</a></p>`,
  );
}
