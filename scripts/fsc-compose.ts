/**
 * `npm run fsc:compose`: the TLS material of docker-compose's national chain (docs/national-chain.md). A dev CA of
 * its own (the stand-in for PKIoverheid private services; needs the `openssl` command line tool) in
 * FSC_COMPOSE_DIR/ca (default .data/fsc-compose; keep it out of git; the CA key never leaves that directory), and per
 * party a certificate with its demo OIN and its compose service name (plus localhost) as host names, written as
 * `<service>.pem` and `<service>.key` (mode 0600) with the CA certificate as `ca.pem`: docker-compose.yml mounts them
 * as secrets, each service only its own key. Kept across runs: a second run writes the same certificates.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadOrCreateDevCa } from "@vi/fsc";

const root = resolve(import.meta.dirname, "..");
const dir = resolve(root, process.env.FSC_COMPOSE_DIR ?? ".data/fsc-compose");

/** The compose services of the chain: the certificate's name (CN, as `npm start` names it) and the demo OIN. */
const COMPOSE_CHAIN = [
  { service: "landelijke-index", name: "landelijke-index", oin: "00000001000000000200" },
  { service: "landelijke-pseudoniemendienst", name: "landelijke-pseudoniemendienst", oin: "00000001000000000201" },
  { service: "brug", name: "brug-amsterdam", oin: "00000001000000000210" },
  { service: "zk-brug", name: "brug-zuid-kennemerland", oin: "00000001000000000211" },
] as const;

mkdirSync(dir, { recursive: true, mode: 0o700 });
const ca = loadOrCreateDevCa(resolve(dir, "ca"));
writeFileSync(resolve(dir, "ca.pem"), ca.cert);
for (const p of COMPOSE_CHAIN) {
  const issued = ca.issue({ name: p.name, oin: p.oin, hosts: [p.service, "localhost", "127.0.0.1"] });
  writeFileSync(resolve(dir, `${p.service}.pem`), issued.cert);
  const key = resolve(dir, `${p.service}.key`);
  writeFileSync(key, issued.key, { mode: 0o600 });
  chmodSync(key, 0o600);
}
console.log(`${COMPOSE_CHAIN.length} certificates (${COMPOSE_CHAIN.map((p) => p.service).join(", ")}) under one dev CA: ${dir}`);
