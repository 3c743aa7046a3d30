// `npm run build:services`: each service's entry point bundled with esbuild into
// dist/<service>/<entry>.mjs (ESM, Node 20, source maps), the form the services
// ship and run in (`node --enable-source-maps dist/node/main.mjs`; docs/adr/0041).
//
// Entry points: services/*/src/main.ts and services/*/src/*-main.ts (the
// national pseudonym service is services/pseudonym/src/national-main.ts →
// dist/pseudonym/national-main.mjs), as test/support/processes.ts starts them.
//
// Our workspace packages (@vi/*) are bundled in; every other package stays an
// import from node_modules, so native and optional modules, dynamic imports
// (postgres, PGlite) and our patch of postgres.js (scripts/patch-postgres.mjs)
// work as under tsx. The bundles resolve node_modules from dist/, so dist/
// must sit in the repository (or image) beside node_modules/.
//
// Files read relative to a source file (packages/db/migrations, the demo
// registers, services/web/static): `import.meta.url`, `import.meta.dirname` and
// `import.meta.filename` in our sources are rewritten to the source file's own
// location, computed from the bundle's at run time, so they resolve to the same
// files as under tsx, wherever the repository lies. Plain Node: no tsx needed.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";

const REPO = resolve(import.meta.dirname, "..");
const DIST = join(REPO, "dist");
const ENTRY = /^(main|[a-z-]+-main)\.ts$/;

/** `{ "node/main": "services/node/src/main.ts", … }`. */
function entryPoints() {
  const out = {};
  for (const service of readdirSync(join(REPO, "services")).sort()) {
    let files;
    try {
      files = readdirSync(join(REPO, "services", service, "src"));
    } catch {
      continue;
    }
    for (const f of files.filter((f) => ENTRY.test(f)).sort()) out[`${service}/${f.replace(/\.ts$/, "")}`] = join(REPO, "services", service, "src", f);
  }
  return out;
}

/** Bundle @vi/* (workspace packages, TypeScript); leave every other bare import to node_modules at run time. */
const externalNodeModules = {
  name: "external-node-modules",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@vi/") ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Each of our source files keeps its own `import.meta.url`/`dirname`/`filename`: the bundle's location joined with
 * the source file's path relative to its output directory (dist/<service>/).
 */
const sourceImportMeta = {
  name: "source-import-meta",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, "utf8");
      const loader = /\.[cm]?ts$/.test(args.path) ? "ts" : "js";
      if (!text.includes("import.meta.")) return { contents: text, loader };
      // The output directory of every entry is dist/<service>/: two levels below the repository.
      const rel = relative(join(DIST, "service"), args.path).split(sep).join("/");
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url)`;
      const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => {
        if (key === "url") return `(${url}.href)`;
        if (key === "filename") return `__viFileURLToPath(${url})`;
        return `__viDirname(__viFileURLToPath(${url}))`;
      });
      return { contents, loader };
    });
  },
};

const entries = entryPoints();
rmSync(DIST, { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: DIST,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  // Node reads the map when the bundle loads (--enable-source-maps); stack traces need the mappings, not the sources.
  sourcesContent: false,
  banner: { js: 'import { fileURLToPath as __viFileURLToPath } from "node:url";\nimport { dirname as __viDirname } from "node:path";' },
  plugins: [externalNodeModules, sourceImportMeta],
  logLevel: "warning",
});
for (const [name, source] of Object.entries(entries)) console.log(`dist/${name}.mjs  ← ${relative(REPO, source)}`);
