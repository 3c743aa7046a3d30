/**
 * The Helm chart of a gemeente's node (infra/helm/verwijsindex-node), rendered without `helm` (which cannot be
 * installed here) by test/support/helm-template.ts and read back as YAML, checked against the code: every
 * variable the chart sets is a setting of the node (NodeConfigSchema) and together they pass its parser; every
 * required secret comes from the Kubernetes Secret and no secret sits in the ConfigMap; the probes point at the
 * node's real routes; the container runs as non-root on a read-only root filesystem with limits, and every path
 * the node writes to is a volume.
 *
 * Every check is a function returning problems; each runs on the real chart and on a broken copy, so each can
 * be seen to fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { NodeConfigSchema, parseNodeConfig } from "@vi/node";
import { servedApis } from "../scripts/openapi-documents";
import { renderTemplate, truthy } from "./support/helm-template";
import { NODE_HEAP_FLAG } from "./support/processes";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CHART = join(ROOT, "infra/helm/verwijsindex-node");
const chartMeta = parseYaml(readFileSync(join(CHART, "Chart.yaml"), "utf8")) as Record<string, string>;
const defaults = parseYaml(readFileSync(join(CHART, "values.yaml"), "utf8")) as Record<string, any>;
const templates = readdirSync(join(CHART, "templates")).filter((f) => f.endsWith(".yaml"));

type K8s = Record<string, any>;

function render(values: Record<string, any> = defaults): K8s[] {
  const context = {
    Values: values,
    Release: { Name: "verwijsindex-gm0363", Namespace: "verwijsindex" },
    Chart: { Name: chartMeta.name, Version: chartMeta.version, AppVersion: chartMeta.appVersion },
  };
  return templates.flatMap((t) =>
    parseAllDocuments(renderTemplate(readFileSync(join(CHART, "templates", t), "utf8"), context))
      .map((d) => {
        if (d.errors.length) throw new Error(`${t}: ${d.errors[0]!.message}`);
        return d.toJS() as K8s | null;
      })
      .filter((d): d is K8s => d !== null),
  );
}

const merge = (base: any, over: any): any =>
  over && typeof over === "object" && !Array.isArray(over)
    ? Object.fromEntries([...new Set([...Object.keys(base ?? {}), ...Object.keys(over)])].map((k) => [k, k in over ? merge(base?.[k], over[k]) : base[k]]))
    : over;
const withValues = (over: Record<string, any>) => merge(defaults, over);

const kind = (docs: K8s[], k: string) => docs.filter((d) => d.kind === k);
const container = (docs: K8s[]) => kind(docs, "Deployment")[0]?.spec.template.spec.containers[0];
const configData = (docs: K8s[]): Record<string, string> => kind(docs, "ConfigMap")[0]?.data ?? {};

/** The node's environment as Kubernetes would build it, with a stand-in for every secret value. */
function environment(docs: K8s[]): Record<string, string> {
  const env: Record<string, string> = { ...configData(docs) };
  for (const e of container(docs)?.env ?? []) env[e.name] = e.value ?? `stand-in-for-${e.name}`.padEnd(40, "x");
  env.DATABASE_URL &&= "postgres://verwijsindex@db.example.nl:5432/verwijsindex";
  return env;
}

// ---------------------------------------------------------------------------------------------------------------
// The checks

const SCHEMA_KEYS = new Set(Object.keys(NodeConfigSchema.shape));
const SECRET_VARIABLES = ["DATABASE_URL", "BRP_API_KEY", "SMTP_USER", "SMTP_PASS"];
const REQUIRED_SECRETS = ["DATABASE_URL"];

function checkVariables(docs: K8s[]): string[] {
  const problems: string[] = [];
  const names = [...Object.keys(configData(docs)), ...(container(docs)?.env ?? []).map((e: K8s) => e.name)];
  for (const n of names) if (!SCHEMA_KEYS.has(n)) problems.push(`${n} is not a setting of the node (NodeConfigSchema)`);
  try {
    parseNodeConfig(environment(docs));
  } catch (e) {
    problems.push(`the node refuses the chart's configuration: ${(e as Error).message}`);
  }
  return problems;
}

function checkSecrets(docs: K8s[], secretName: string): string[] {
  const problems: string[] = [];
  const data = configData(docs);
  for (const s of SECRET_VARIABLES) if (s in data) problems.push(`${s} is in the ConfigMap: secrets come from the Secret`);
  const env: K8s[] = container(docs)?.env ?? [];
  for (const s of SECRET_VARIABLES) {
    const e = env.find((x) => x.name === s);
    if (!e) {
      if (REQUIRED_SECRETS.includes(s) || s === "SMTP_PASS") problems.push(`${s} is not set from the Secret`);
      continue;
    }
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref || e.value !== undefined) problems.push(`${s} is not taken from a secretKeyRef`);
    else if (ref.name !== secretName) problems.push(`${s} comes from Secret ${ref.name}, not ${secretName}`);
    else if (REQUIRED_SECRETS.includes(s) && ref.optional) problems.push(`${s} is required but marked optional`);
  }
  return problems;
}

function checkProbes(docs: K8s[], routes: Set<string>): string[] {
  const problems: string[] = [];
  const c = container(docs);
  const portNames = new Set((c?.ports ?? []).map((p: K8s) => p.name));
  const expect = { livenessProbe: "/health", readinessProbe: "/ready", startupProbe: "/health" } as const;
  for (const [probe, path] of Object.entries(expect)) {
    const get = c?.[probe]?.httpGet;
    if (!get) problems.push(`no ${probe}`);
    else {
      if (get.path !== path) problems.push(`${probe} checks ${get.path}, not ${path}`);
      if (!routes.has(`GET ${get.path}`)) problems.push(`${probe}: the node serves no GET ${get.path}`);
      if (!portNames.has(get.port)) problems.push(`${probe}: port ${get.port} is not a port of the container`);
    }
  }
  const http = (c?.ports ?? []).find((p: K8s) => p.name === "http");
  if (String(http?.containerPort) !== configData(docs).PORT) problems.push(`the container port ${http?.containerPort} is not PORT ${configData(docs).PORT}`);
  const svc = kind(docs, "Service")[0];
  if (svc?.spec.ports[0]?.targetPort !== "http") problems.push("the Service does not target the http port");
  return problems;
}

function checkHardening(docs: K8s[]): string[] {
  const problems: string[] = [];
  const pod = kind(docs, "Deployment")[0]?.spec.template.spec;
  const c = container(docs);
  if (pod?.securityContext?.runAsNonRoot !== true) problems.push("the pod does not require a non-root user");
  if (!(Number(pod?.securityContext?.runAsUser) > 0)) problems.push("the pod runs as uid 0");
  if (c?.securityContext?.readOnlyRootFilesystem !== true) problems.push("the root filesystem is writable");
  if (c?.securityContext?.allowPrivilegeEscalation !== false) problems.push("privilege escalation is allowed");
  if (!(c?.securityContext?.capabilities?.drop ?? []).includes("ALL")) problems.push("capabilities are not all dropped");
  for (const r of ["cpu", "memory"]) {
    if (!c?.resources?.limits?.[r]) problems.push(`no ${r} limit`);
    if (!c?.resources?.requests?.[r]) problems.push(`no ${r} request`);
  }
  // Where the node writes: the temporary directory (tsx's cache) and KEYS_DIR; PGLITE_DIR is not used (DATABASE_URL).
  const mounts = new Map((c?.volumeMounts ?? []).map((m: K8s) => [m.mountPath, m.name]));
  const volumes = new Map((pod?.volumes ?? []).map((v: K8s) => [v.name, v]));
  const data = configData(docs);
  for (const path of ["/tmp", data.KEYS_DIR]) {
    const name = mounts.get(path);
    if (!path || !name) problems.push(`nothing writable is mounted at ${path ?? "KEYS_DIR (not set)"}`);
    else if (!volumes.has(name)) problems.push(`the volume ${name} for ${path} is not defined`);
  }
  if (data.PGLITE_DIR) problems.push("PGLITE_DIR is set: a node in Kubernetes runs on PostgreSQL (DATABASE_URL)");
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

const served = new Set(
  servedApis()
    .find((a) => a.name === "node")!
    .app.routes.filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path}`),
);

describe("the renderer", () => {
  const ctx = { Values: { a: { b: "x" }, m: { z: 1, a: 2 }, e: "", l: [] }, Release: { Name: "r", Namespace: "n" }, Chart: {} };
  it("renders the subset the chart uses, as helm does", () => {
    expect(renderTemplate("k: {{ .Values.a.b | quote }}\n{{- if .Values.e }}\nno{{ else }}\nyes{{- end }}", ctx)).toBe('k: "x"\nyes');
    expect(renderTemplate("{{- range $k, $v := .Values.m }}\n{{ $k }}={{ $v }}{{- end }}", ctx)).toBe("\na=2\nz=1");
    expect(renderTemplate("x:\n  {{- toYaml .Values.m | nindent 2 }}", ctx)).toBe("x:\n  z: 1\n  a: 2");
    expect(truthy([])).toBe(false);
    expect(() => renderTemplate('{{ include "x" . }}', ctx)).toThrow(/unsupported/);
  });
});

describe("the Helm chart of a node", () => {
  const docs = render();
  const secretName = defaults.secrets.existingSecret;

  it("renders a ConfigMap, Deployment, Service and the keys' PersistentVolumeClaim", () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(["ConfigMap", "Deployment", "PersistentVolumeClaim", "Service"]);
    expect(render(withValues({ persistence: { enabled: false } })).map((d) => d.kind)).not.toContain("PersistentVolumeClaim");
  });

  it("sets only variables the node knows, and the node accepts them", () => {
    expect(checkVariables(docs)).toEqual([]);
    expect(checkVariables(render(withValues({ register: { configMap: "register-gm0363" } })))).toEqual([]);
    expect(checkVariables(render(withValues({ config: { SMTP_WACHTWOORD: "x" } })))).toEqual([
      "SMTP_WACHTWOORD is not a setting of the node (NodeConfigSchema)",
    ]);
    expect(checkVariables(render(withValues({ config: { HUB_URL: "geen url" } })))[0]).toMatch(/refuses the chart's configuration: [\s\S]*HUB_URL/);
  });

  it("takes every secret from the Kubernetes Secret, never from the ConfigMap", () => {
    expect(checkSecrets(docs, secretName)).toEqual([]);
    expect(checkSecrets(render(withValues({ config: { SMTP_PASS: "geheim" } })), secretName)).toContain(
      "SMTP_PASS is in the ConfigMap: secrets come from the Secret",
    );
    const noDb = withValues({});
    noDb.secrets = { ...noDb.secrets, required: {} };
    expect(checkSecrets(render(noDb), secretName)).toEqual(["DATABASE_URL is not set from the Secret"]);
    const optionalDb = withValues({});
    optionalDb.secrets = {
      ...optionalDb.secrets,
      required: {},
      optional: { ...optionalDb.secrets.optional, DATABASE_URL: "DATABASE_URL" },
    };
    expect(checkSecrets(render(optionalDb), secretName)).toEqual(["DATABASE_URL is required but marked optional"]);
  });

  it("probes /health (liveness, startup) and /ready (readiness), routes the node serves", () => {
    expect(served).toContain("GET /health");
    expect(served).toContain("GET /ready");
    expect(checkProbes(docs, served)).toEqual([]);
    const broken = render();
    container(broken).readinessProbe.httpGet.path = "/api/v1/gereed";
    expect(checkProbes(broken, served)).toEqual(["readinessProbe checks /api/v1/gereed, not /ready", "readinessProbe: the node serves no GET /api/v1/gereed"]);
    expect(checkProbes(render(withValues({ config: { PORT: "9000" } })), served)).toEqual([]);
  });

  it("runs the node's bundle with the node processes' heap cap, as the harness and docker-compose.yml do (docs/adr/0050)", () => {
    expect(container(docs).command).toEqual(["node", "--enable-source-maps", NODE_HEAP_FLAG, "dist/node/main.mjs"]);
  });

  it("runs as non-root on a read-only root filesystem, with limits, and mounts every path the node writes to", () => {
    expect(checkHardening(docs)).toEqual([]);
    expect(checkHardening(render(withValues({ securityContext: { readOnlyRootFilesystem: false } })))).toEqual(["the root filesystem is writable"]);
    expect(checkHardening(render(withValues({ resources: { limits: { memory: "" } } })))).toEqual(["no memory limit"]);
    const noTmp = render();
    const c = container(noTmp);
    c.volumeMounts = c.volumeMounts.filter((m: K8s) => m.mountPath !== "/tmp");
    expect(checkHardening(noTmp)).toEqual(["nothing writable is mounted at /tmp"]);
  });

  it("mounts the register when one is named, and points REGISTER_BESTAND at it", () => {
    const withRegister = render(withValues({ register: { configMap: "register-gm0363" } }));
    expect(configData(withRegister).REGISTER_BESTAND).toBe("/etc/verwijsindex/register.json");
    const c = container(withRegister);
    expect(c.volumeMounts).toContainEqual({ name: "register", mountPath: "/etc/verwijsindex", readOnly: true });
    expect(configData(docs).REGISTER_BESTAND).toBeUndefined();
  });
});
