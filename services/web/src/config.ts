/**
 * Configuration of the web application, parsed once at start from the
 * environment. A bad setting stops the process with a clear message.
 */
import { parseConfig } from "@vi/service";
import { z } from "zod";

/** `GM0363=http://127.0.0.1:8363,GM0479=http://127.0.0.1:8479`: where each gemeente's node API listens. */
const nodesSetting = z.string().transform((v, issue) => {
  const nodes = new Map<string, string>();
  for (const part of v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [code, url] = part.split("=", 2);
    if (!code || !/^GM\d{4}$/.test(code) || !url || !URL.canParse(url)) {
      issue.addIssue({ code: "custom", message: `"${part}" is not CODE=URL such as GM0363=http://127.0.0.1:8363` });
      continue;
    }
    nodes.set(code, url.replace(/\/$/, ""));
  }
  if (!nodes.size) issue.addIssue({ code: "custom", message: "name at least one node, e.g. GM0363=http://127.0.0.1:8363" });
  return nodes;
});

export const WebConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default("127.0.0.1"),
    /** The address people reach the application at (links in e-mails, the OpenID Connect redirect). Default http://localhost:<port>. */
    PUBLIC_URL: z.url().optional(),
    /** The OpenID Connect provider (its issuer URL; discovery at <issuer>/.well-known/openid-configuration). */
    OIDC_ISSUER: z.url({ error: (i) => (i.input === undefined ? "required: the issuer URL of the region's OpenID Connect provider" : "must be a URL") }),
    OIDC_CLIENT_ID: z.string().min(1).default("verwijsindex-web"),
    /** The client's private key (a JWK as JSON, Ed25519, with kid) for private_key_jwt; or OIDC_CLIENT_KEY_FILE. */
    OIDC_CLIENT_KEY: z.string().optional(),
    OIDC_CLIENT_KEY_FILE: z.string().optional(),
    /** The resource indicator of the node API (RFC 8707). */
    OIDC_RESOURCE: z.string().default("urn:verwijsindex"),
    /** Signs the session and CSRF cookies: at least 32 characters, random, never in the repository. */
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters (random)"),
    /** Idle time after which a session ends, in minutes. */
    SESSION_MINUTEN: z.coerce
      .number()
      .int()
      .min(5)
      .max(12 * 60)
      .default(60),
    /** Cookies only over https (Secure). Off only on a developer's machine (npm start) and in the tests. */
    COOKIE_SECURE: z.enum(["true", "false"]).default("true"),
    /**
     * The region's hub (its API: the register, where a coordinator designates and revokes; for the convenantmanager the
     * nodes' health and the figures). Unset: no coordinator or convenantmanager pages.
     */
    HUB_URL: z.url().optional(),
    /**
     * A web application serving several regions (npm start: Regio Amsterdam and Zuid-Kennemerland): the hub of another
     * region per gemeente, `GM0392=http://127.0.0.1:8010`; a user of an organisation connected to that gemeente works
     * with that hub. Gemeenten not named use HUB_URL.
     */
    HUB_URLS: z
      .string()
      .optional()
      .transform((v, issue) => {
        const hubs = new Map<string, string>();
        for (const part of (v ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const [code, url] = part.split("=", 2);
          if (!code || !/^GM\d{4}$/.test(code) || !url || !URL.canParse(url)) {
            issue.addIssue({ code: "custom", message: `"${part}" is not CODE=URL such as GM0392=http://127.0.0.1:8010` });
            continue;
          }
          hubs.set(code, url.replace(/\/$/, ""));
        }
        return hubs;
      }),
    /** The resource indicator of the hub API (RFC 8707; its tokens carry the hub's audience, docs/adr/0029 and 0031). */
    OIDC_HUB_RESOURCE: z.string().default("urn:verwijsindex-hub"),
    /** The nodes of the region: GM0363=http://...,GM0479=http://... */
    NODES: nodesSetting,
    /** The gemeente whose node is chosen first for an organisation connected to several (when connected to it). */
    STANDAARD_GEMEENTE: z
      .string()
      .regex(/^GM\d{4}$/)
      .optional(),
    /** The region's register of organisations and professionals (JSON; docs/demo-data.md); several regions' registers separated by commas. */
    REGISTER_BESTAND: z.string({ error: "required: the region's register (which organisation is connected to which gemeente)" }),
    /** The region's gemeenten, `GM0363=Amsterdam,...`; default Regio Amsterdam (as the nodes). */
    REGIO_GEMEENTEN: z.string().optional(),
    /** The region's name and look (a style sheet of design tokens in services/web/static/thema/<name>.css). */
    REGIO_NAAM: z.string().default("Regio Amsterdam"),
    REGIO_THEMA: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .default("regio-amsterdam"),
    /** Default signal duration in months, as the nodes use it (shown on the form). */
    SIGNAAL_STANDAARD_DUUR_MAANDEN: z.coerce.number().int().min(1).max(24).default(12),
    /** Secure mail of an inzage: how long its link works, in hours. */
    INZAGE_LINK_UREN: z.coerce
      .number()
      .int()
      .min(1)
      .max(14 * 24)
      .default(72),
    // E-mail (secure mail of an inzage); without SMTP_HOST the web offers no mail.
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
    SMTP_USER: z.string().optional(),
    SMTP_PASS: z.string().optional(),
    SMTP_FROM: z.string().default("Verwijsindex Regio Amsterdam <noreply@verwijsindex.example>"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, issue) => {
    if (!c.OIDC_CLIENT_KEY && !c.OIDC_CLIENT_KEY_FILE) {
      issue.addIssue({
        code: "custom",
        path: ["OIDC_CLIENT_KEY"],
        message: "required (or OIDC_CLIENT_KEY_FILE): the client's private JWK for private_key_jwt",
      });
    }
    if (c.SMTP_USER && !c.SMTP_PASS) issue.addIssue({ code: "custom", path: ["SMTP_PASS"], message: "required when SMTP_USER is set" });
    if (c.STANDAARD_GEMEENTE && !c.NODES.has(c.STANDAARD_GEMEENTE)) {
      issue.addIssue({ code: "custom", path: ["STANDAARD_GEMEENTE"], message: "must be one of the gemeenten in NODES" });
    }
  });

export type WebConfig = z.infer<typeof WebConfigSchema>;

export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  return parseConfig(WebConfigSchema, env, "web");
}
