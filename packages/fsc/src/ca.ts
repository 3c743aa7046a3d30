/**
 * A development certificate authority (docs/national-chain.md, "Trust"): the stand-in for the PKIoverheid
 * private-services CA that FSC / Digikoppeling prescribe. `npm start` creates it once in a directory of its own
 * (key mode 0600) and issues each organisation a certificate with its OIN in the subject's serialNumber, as
 * PKIoverheid does. The certificates are made with the `openssl` command line tool (Node has no X.509 writer).
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** An OIN (Organisatie-identificatienummer): 20 digits. */
export const OIN_PATTERN = /^\d{20}$/;

export interface IssuedCertificate {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PEM (PKCS#8, EC P-256). */
  key: string;
  oin: string;
}

export interface DevCa {
  dir: string;
  /** The CA certificate, PEM: every party trusts it (TLS `ca`, and the signatures' certificate chains). */
  cert: string;
  /** Issues (or loads, when issued before) the certificate of an organisation; `name` is a file name and the CN. */
  issue(opts: { name: string; oin: string; hosts?: string[] }): IssuedCertificate;
}

function openssl(args: string[]): void {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === "ENOENT") throw new Error("The dev CA needs the openssl command line tool on the PATH");
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
}

const SAFE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The dev CA in `dir`, created on first use (a P-256 key, ten years). */
export function loadOrCreateDevCa(dir: string): DevCa {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  if (!existsSync(caCert) || !existsSync(caKey)) {
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", caKey]);
    chmodSync(caKey, 0o600);
    openssl([
      "req",
      "-x509",
      "-new",
      "-key",
      caKey,
      "-sha256",
      "-days",
      "3650",
      "-subj",
      "/O=Verwijsindex ontwikkel-CA/CN=Verwijsindex ontwikkel-CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      caCert,
    ]);
  }
  const cert = readFileSync(caCert, "utf8");
  return {
    dir,
    cert,
    issue({ name, oin, hosts = ["localhost", "127.0.0.1"] }) {
      if (!SAFE_NAME.test(name)) throw new Error(`certificate name "${name}": lower-case letters, digits and dashes`);
      if (!OIN_PATTERN.test(oin)) throw new Error(`"${oin}" is not an OIN (20 digits)`);
      const keyPath = join(dir, `${name}.key`);
      const certPath = join(dir, `${name}.crt`);
      if (existsSync(keyPath) && existsSync(certPath)) {
        const issued = { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8"), oin };
        if (oinOf(new X509Certificate(issued.cert)) === oin) return issued;
      }
      const csr = join(dir, `${name}.csr`);
      const ext = join(dir, `${name}.ext`);
      openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${keyPath}.ec`]);
      openssl(["pkcs8", "-topk8", "-nocrypt", "-in", `${keyPath}.ec`, "-out", keyPath]);
      chmodSync(keyPath, 0o600);
      openssl(["req", "-new", "-key", keyPath, "-subj", `/O=${name}/CN=${name}/serialNumber=${oin}`, "-out", csr]);
      const san = hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(":") ? `IP:${h}` : `DNS:${h}`)).join(",");
      writeFileSync(
        ext,
        `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${san}\n`,
      );
      openssl(["x509", "-req", "-in", csr, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-sha256", "-days", "825", "-extfile", ext, "-out", certPath]);
      return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8"), oin };
    },
  };
}

/** The OIN in a certificate's subject serialNumber (`serialNumber=…` in Node's subject text); undefined when none. */
export function oinOf(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split("\n")) {
    const [k, v] = line.split("=", 2);
    if (k?.trim() === "serialNumber" && v && OIN_PATTERN.test(v.trim())) return v.trim();
  }
  return undefined;
}
