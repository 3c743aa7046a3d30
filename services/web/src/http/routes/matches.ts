/**
 * Matches and notices, live: the list, a fragment of it that the page's
 * script fetches when the node's stream says something changed, and the
 * stream itself, proxied from the professional's node so the access token
 * never reaches the browser.
 */
import { html } from "hono/html";
import type { NodeApi } from "../../outbound/node-api";
import type { WebApp, WebDeps } from "../context";
import { frame } from "../pages/frame";
import { alert, page } from "../views/layout";
import { matchList, noticeList } from "../views/parts";
import { requireUser } from "./signals";

export function registerMatchRoutes(app: WebApp, deps: WebDeps) {
  const list = async (api: NodeApi, csrf: string) => {
    const [matches, notices] = await Promise.all([api.matches(), api.notices()]);
    return {
      count: matches.length,
      body: html`<div class="vi-matches" data-aantal="${matches.length}">
${matchList(matches, "U hebt nog geen matches. Zodra een andere professional signaleert op een jeugdige (of het gezin) waarop u een signaal hebt, verschijnt de match hier, zonder de pagina te verversen.", csrf)}
${noticeList(notices)}
</div>`,
    };
  };

  app.get("/matches", async (c) => {
    const user = requireUser(c);
    if (user instanceof Response) return user;
    const { body } = await list(user.api, c.get("csrf"));
    const done = c.req.query("gedaan") === "status";
    return c.html(
      page(
        await frame(deps, c, "Matches", { current: "matches" }),
        html`${done ? alert("ok", html`<p class="utrecht-paragraph">De status van de match is opgeslagen. De andere professional en de matchregisseur van de gemeente zien hem.</p>`, { role: "status" }) : ""}
<p class="utrecht-paragraph">Per match ziet u wie de andere professional is en hoe u die bereikt. Bel of mail elkaar om af te stemmen; informatie delen doet u pas na toestemming van ouders en/of jeugdige. Leg bij de match vast hoe het contact verloopt. Deze lijst werkt zichzelf bij.</p>
<div id="matches-lijst">${body}</div>`,
      ),
    );
  });

  // The fragment the page's script swaps in when the stream reports a change.
  app.get("/matches/lijst", async (c) => {
    const user = c.get("user");
    if (!user) return c.body(null, 401);
    return c.html((await list(user.api, c.get("csrf"))).body);
  });

  // A professional of the match records its follow-up (matchregie); the node keeps it at the youth's residence node.
  app.post("/matches/:id/status", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/aanmelden", 303);
    await user.api.setMatchStatus(c.req.param("id"), String((await c.req.parseBody()).status ?? ""));
    return c.redirect("/matches?gedaan=status", 303);
  });

  app.get("/live", async (c) => {
    const user = c.get("user");
    if (!user) return c.body(null, 401);
    const abort = new AbortController();
    c.req.raw.signal.addEventListener("abort", () => abort.abort(), { once: true });
    let upstream: Response;
    try {
      upstream = await user.api.stream(abort.signal);
    } catch {
      return c.body(null, 503, { "Retry-After": "10" });
    }
    if (!upstream.ok || !upstream.body) {
      await upstream.body?.cancel();
      return c.body(null, upstream.status === 401 ? 401 : 503, { "Retry-After": "10" });
    }
    // Pass the node's events through as they come; when either side goes away, end quietly and close the other.
    const reader = upstream.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch {
          controller.close();
        }
      },
      cancel() {
        abort.abort();
        reader.cancel().catch(() => {});
      },
    });
    return new Response(body, {
      status: 200,
      headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
    });
  });
}
