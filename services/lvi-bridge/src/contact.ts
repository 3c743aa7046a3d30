/**
 * The professional's contact details and the entry node, as they leave the region: a JWE (general JSON
 * serialisation) with one recipient per bridge in the national index's directory, each ECDH-ES+A256KW to the
 * P-256 key of that bridge's certificate (this bridge's own included, so it can read its own side of a match).
 * The national index stores and forwards it and cannot read it.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { GeneralEncrypt, generalDecrypt, type GeneralJWE } from "jose";
import { checkCertificate } from "@vi/fsc";
import { z } from "zod";
import type { BridgeContext } from "./context";

export const Contact = z.object({
  entryNode: z.string().min(1).max(64),
  signaalId: z.string().min(1).max(200),
  professional: z.object({
    email: z.string().max(320),
    naam: z.string().max(1000),
    functie: z.string().max(1000),
    telefoon: z.string().max(1000),
    organisatie: z.string().max(1000),
    domein: z.string().max(1000),
  }),
});
export type Contact = z.infer<typeof Contact>;

export const CONTACT_ALG = "ECDH-ES+A256KW";
export const CONTACT_ENC = "A256GCM";

/** The bridges' certificates, refreshed from the national index at most every 30 s (and when one is missing). */
export function bridgeDirectory(ctx: Pick<BridgeContext, "national" | "tls" | "log">) {
  let certs: Array<{ regio: string; oin: string; cert: X509Certificate }> = [];
  let fetched = 0;
  return {
    async recipients(force = false): Promise<Array<{ regio: string; oin: string; cert: X509Certificate }>> {
      if (force || Date.now() - fetched > 30_000 || certs.length === 0) {
        const list = await ctx.national.bridges();
        const next = [];
        for (const b of list) {
          try {
            const cert = new X509Certificate(b.certificaat);
            // Only a certificate of the trusted CA, with the OIN it claims, gets the details.
            if (checkCertificate(cert, ctx.tls.ca) === b.oin) next.push({ regio: b.regio, oin: b.oin, cert });
          } catch {
            ctx.log.warn({ regio: b.regio }, "a bridge's certificate in the directory is not trusted; not encrypted to");
          }
        }
        certs = next;
        fetched = Date.now();
      }
      return certs;
    },
  };
}

export async function encryptContact(contact: Contact, recipients: ReadonlyArray<{ oin: string; cert: X509Certificate }>): Promise<string> {
  const enc = new GeneralEncrypt(new TextEncoder().encode(JSON.stringify(contact))).setProtectedHeader({ enc: CONTACT_ENC, cty: "vi-contact+json" });
  for (const r of recipients) enc.addRecipient(r.cert.publicKey).setUnprotectedHeader({ alg: CONTACT_ALG, kid: r.oin });
  return JSON.stringify(await enc.encrypt());
}

const keyCache = new WeakMap<object, ReturnType<typeof createPrivateKey>>();
export async function decryptContact(ctx: Pick<BridgeContext, "tls">, jwe: string): Promise<Contact> {
  let key = keyCache.get(ctx.tls);
  if (!key) keyCache.set(ctx.tls, (key = createPrivateKey(ctx.tls.identity.key)));
  const parsed = JSON.parse(jwe) as GeneralJWE;
  const { plaintext } = await generalDecrypt(parsed, key, { keyManagementAlgorithms: [CONTACT_ALG], contentEncryptionAlgorithms: [CONTACT_ENC] });
  return Contact.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
