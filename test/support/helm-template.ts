/**
 * A renderer for the subset of Go templates (text/template, with Helm's functions) that the chart in
 * infra/helm/verwijsindex-node uses, so the chart can be checked without `helm` (not installable here):
 *
 * - `{{ pipeline }}` and the whitespace trimming of `{{-` and `-}}`;
 * - `if` / `else` / `end`, `range $k, $v := …` over a map (in key order, as Go does) or a list, `range …`;
 * - values: `.Values.a.b`, `.Release.Name`, `.Chart.Name`, `$` (the root), `$k`, string and number literals;
 * - functions in a pipeline: `quote`, `toYaml`, `nindent N`, `indent N`, `default X`.
 *
 * Anything else throws, so a template that starts to use more is noticed rather than rendered wrongly.
 */
import { stringify } from "yaml";

type Scope = { dot: unknown; root: unknown; vars: Record<string, unknown> };
type Node =
  | { kind: "text"; text: string }
  | { kind: "out"; expr: string }
  | { kind: "if"; expr: string; yes: Node[]; no: Node[] }
  | { kind: "range"; expr: string; key?: string; value?: string; body: Node[] };

function tokens(template: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (m[1] === "-") text = text.replace(/\s+$/, "");
    out.push({ text });
    const action = m[2]!.trim();
    // Comments render nothing.
    if (!action.startsWith("/*")) out.push({ action });
    trimNext = m[3] === "-";
    last = re.lastIndex;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, "");
  out.push({ text: tail });
  return out;
}

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: { nodes: Node[]; node?: Node & { kind: "if" | "range" }; inElse?: boolean }[] = [{ nodes: root }];
  const top = () => stack[stack.length - 1]!;
  for (const t of tokens(template)) {
    if ("text" in t) {
      if (t.text) top().nodes.push({ kind: "text", text: t.text });
      continue;
    }
    const a = t.action;
    let m: RegExpExecArray | null;
    if ((m = /^if\s+(.+)$/.exec(a))) {
      const node: Node = { kind: "if", expr: m[1]!, yes: [], no: [] };
      top().nodes.push(node);
      stack.push({ nodes: node.yes, node });
    } else if (a === "else") {
      const frame = top();
      if (frame.node?.kind !== "if" || frame.inElse) throw new Error("else without if");
      frame.nodes = frame.node.no;
      frame.inElse = true;
    } else if ((m = /^range\s+(?:\$(\w+)\s*,\s*\$(\w+)\s*:=\s*)?(.+)$/.exec(a))) {
      const node: Node = { kind: "range", expr: m[3]!, ...(m[1] ? { key: m[1], value: m[2] } : {}), body: [] };
      top().nodes.push(node);
      stack.push({ nodes: node.body, node });
    } else if (a === "end") {
      if (stack.length === 1) throw new Error("end without if/range");
      stack.pop();
    } else if (/^(with|define|template|include|block)\b/.test(a)) {
      throw new Error(`unsupported action: ${a}`);
    } else {
      top().nodes.push({ kind: "out", expr: a });
    }
  }
  if (stack.length !== 1) throw new Error("unclosed if/range");
  return root;
}

function lookup(path: string, base: unknown): unknown {
  let v = base;
  for (const part of path.split(".").filter(Boolean)) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
  return v;
}

function value(term: string, scope: Scope): unknown {
  if (/^"(?:[^"\\]|\\.)*"$/.test(term)) return JSON.parse(term);
  if (/^-?\d+(\.\d+)?$/.test(term)) return Number(term);
  if (term === "$") return scope.root;
  if (term.startsWith("$.")) return lookup(term.slice(2), scope.root);
  let m: RegExpExecArray | null;
  if ((m = /^\$(\w+)((?:\.\w+)*)$/.exec(term))) {
    if (!(m[1]! in scope.vars)) throw new Error(`unknown variable $${m[1]}`);
    return lookup(m[2]!, scope.vars[m[1]!]);
  }
  if (term === ".") return scope.dot;
  if (term.startsWith(".")) return lookup(term.slice(1), scope.dot);
  throw new Error(`unsupported term: ${term}`);
}

const words = (s: string) => s.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];

function toYaml(v: unknown): string {
  return stringify(v, { lineWidth: 0 }).trimEnd();
}

function evaluate(expr: string, scope: Scope): unknown {
  const [head, ...fns] = expr.split("|").map((s) => s.trim());
  const first = words(head!);
  let v: unknown;
  if (first.length === 1) v = value(first[0]!, scope);
  else
    v = call(
      first[0]!,
      first.slice(1).map((w) => value(w, scope)),
      undefined,
      false,
    );
  for (const f of fns) {
    const [name, ...args] = words(f);
    v = call(
      name!,
      args.map((w) => value(w, scope)),
      v,
      true,
    );
  }
  return v;
}

function call(name: string, args: unknown[], piped: unknown, hasPiped: boolean): unknown {
  const all = hasPiped ? [...args, piped] : args;
  const indentBy = (n: unknown, s: unknown) =>
    String(s)
      .split("\n")
      .map((l) => " ".repeat(Number(n)) + l)
      .join("\n");
  switch (name) {
    case "quote":
      return JSON.stringify(all[0] === undefined || all[0] === null ? "" : String(all[0]));
    case "toYaml":
      return toYaml(all[0]);
    case "indent":
      return indentBy(all[0], all[1]);
    case "nindent":
      return `\n${indentBy(all[0], all[1])}`;
    case "default":
      return truthy(all[1]) ? all[1] : all[0];
    default:
      throw new Error(`unsupported function: ${name}`);
  }
}

/** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") throw new Error("printing a map or list: use toYaml");
  return String(v);
}

function run(nodes: Node[], scope: Scope): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "out") out += show(evaluate(n.expr, scope));
    else if (n.kind === "if") out += run(truthy(evaluate(n.expr, scope)) ? n.yes : n.no, scope);
    else {
      const over = evaluate(n.expr, scope);
      const entries: [unknown, unknown][] = Array.isArray(over)
        ? over.map((v, i) => [i, v])
        : over && typeof over === "object"
          ? Object.keys(over)
              .sort()
              .map((k) => [k, (over as Record<string, unknown>)[k]])
          : [];
      for (const [k, v] of entries) {
        out += run(n.body, { ...scope, dot: v, vars: { ...scope.vars, ...(n.key ? { [n.key]: k, [n.value!]: v } : {}) } });
      }
    }
  }
  return out;
}

/** Renders `template` with Helm's top-level objects. */
export function renderTemplate(
  template: string,
  context: { Values: unknown; Release: { Name: string; Namespace: string }; Chart: Record<string, unknown> },
): string {
  return run(parse(template), { dot: context, root: context, vars: {} });
}
