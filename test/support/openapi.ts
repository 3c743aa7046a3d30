/**
 * Reading our OpenAPI documents back into served URLs. The documents are written relative to their servers
 * (`https://…/api/v1` + `/signalen`; the kit's routes and `/.well-known/…` through servers of their own,
 * docs/adr/0008); the tests compare with the routes as served (`/api/v1/signalen`).
 */

type Json = Record<string, any>;

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

/**
 * "METHOD /served/path/{param}" for every operation: the path of its servers (path-level first, all of them must
 * agree) + its path; a path parameter that takes exactly one value (a well-known URI's name) is that value.
 */
export function documentedOperations(doc: Json): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    const servers: Json[] = item.servers ?? doc.servers ?? [{ url: "/" }];
    const bases = new Set(
      servers.map((s) => {
        const url = String(s.url).replace(/\{(\w+)\}/g, (_, v: string) => s.variables?.[v]?.default ?? "x");
        return new URL(url, "http://localhost").pathname.replace(/\/$/, "");
      }),
    );
    if (bases.size !== 1) throw new Error(`the servers of ${path} do not agree on a path: ${[...bases].join(", ")}`);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      let full = `${[...bases][0]}${path}`;
      for (const p of op.parameters ?? []) {
        if (p.in === "path" && p.schema?.enum?.length === 1) full = full.replace(`{${p.name}}`, p.schema.enum[0]);
      }
      out.push(`${method.toUpperCase()} ${full}`);
    }
  }
  return out;
}
