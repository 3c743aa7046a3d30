// Progressive enhancement: the pages work without this script. With it, matches and notices arrive live:
// the web's /live proxies the node's server-sent events; on a change the list and the count are fetched again.
(() => {
  if (document.body.dataset.live !== "1" || !("EventSource" in window)) return;
  const announce = (text) => {
    const region = document.getElementById("live-melding");
    if (region) region.textContent = text;
  };
  const refresh = async (text) => {
    try {
      const res = await fetch("/matches/lijst", { headers: { accept: "text/html" }, credentials: "same-origin" });
      if (!res.ok) return;
      const html = await res.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.querySelector(".vi-matches");
      const count = fresh ? fresh.getAttribute("data-aantal") : null;
      const list = document.getElementById("matches-lijst");
      if (list && fresh) list.replaceChildren(document.importNode(fresh, true));
      const badge = document.getElementById("match-count");
      if (badge && count !== null) {
        badge.dataset.count = count;
        const n = badge.querySelector(".vi-count__n");
        if (n) n.textContent = count;
      }
      if (text) announce(text);
    } catch {
      // The next event tries again.
    }
  };
  const source = new EventSource("/live");
  // Marks the page once the stream is open (the browser tests wait for it before another professional signals).
  source.addEventListener("verbonden", () => {
    document.body.dataset.liveVerbonden = "1";
  });
  source.addEventListener("melding", () => refresh("Er is een nieuwe melding."));
  source.addEventListener("melding-verwijderd", () => refresh("Een match is verdwenen."));
  window.addEventListener("pagehide", () => source.close());
})();
