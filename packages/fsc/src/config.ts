/**
 * How a party of the national chain gets its TLS material (docs/national-chain.md, "Configuration"): the CA,
 * its certificate and key from files (`TLS_CA`, `TLS_CERT`, `TLS_KEY`: PKIoverheid private services in
 * production), or, on a developer's machine, from the dev CA in `DEV_CA_DIR`, which issues the certificate of
 * `OIN` on first use.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { loadOrCreateDevCa, OIN_PATTERN } from "./ca";
import type { TlsMaterial } from "./server";

export const tlsSettings = {
  TLS_CA: z.string().optional(),
  TLS_CERT: z.string().optional(),
  TLS_KEY: z.string().optional(),
  DEV_CA_DIR: z.string().optional(),
  OIN: z.string().regex(OIN_PATTERN, "OIN: 20 digits").optional(),
};

export function checkTlsSettings(c: { TLS_CA?: string; TLS_CERT?: string; TLS_KEY?: string; DEV_CA_DIR?: string; OIN?: string }, issue: z.RefinementCtx): void {
  const files = [c.TLS_CA, c.TLS_CERT, c.TLS_KEY].filter(Boolean).length;
  if (files !== 0 && files !== 3) issue.addIssue({ code: "custom", path: ["TLS_CA"], message: "TLS_CA, TLS_CERT and TLS_KEY go together" });
  if (files === 0 && !c.DEV_CA_DIR) issue.addIssue({ code: "custom", path: ["TLS_CA"], message: "set TLS_CA, TLS_CERT and TLS_KEY, or DEV_CA_DIR (a dev CA)" });
  if (files === 0 && c.DEV_CA_DIR && !c.OIN) issue.addIssue({ code: "custom", path: ["OIN"], message: "DEV_CA_DIR needs the OIN to issue the certificate of" });
}

export function loadTls(c: { TLS_CA?: string; TLS_CERT?: string; TLS_KEY?: string; DEV_CA_DIR?: string; OIN?: string }, name: string): TlsMaterial {
  if (c.TLS_CA && c.TLS_CERT && c.TLS_KEY) {
    return { ca: readFileSync(c.TLS_CA, "utf8"), identity: { cert: readFileSync(c.TLS_CERT, "utf8"), key: readFileSync(c.TLS_KEY, "utf8") } };
  }
  if (!c.DEV_CA_DIR || !c.OIN) throw new Error("no TLS material: set TLS_CA, TLS_CERT and TLS_KEY, or DEV_CA_DIR and OIN");
  const ca = loadOrCreateDevCa(c.DEV_CA_DIR);
  const issued = ca.issue({ name, oin: c.OIN });
  return { ca: ca.cert, identity: { cert: issued.cert, key: issued.key } };
}
