/**
 * `npx tsx bench/seal.ts [n]`: the CPU cost of one message on the federation's
 * hot path (docs/federation.md, "Encrypted payloads"): sign and encrypt
 * (sealEvent), then decrypt and verify (openSealed + verifyEvent), of an
 * `rpc.reply` carrying a signal as a registration returns it, and of the
 * sign-only and verify-only halves for comparison. Prints CPU time per
 * message (user + system, this process), not wall time.
 */
import { loadOrCreateServiceKeys, memoryKeyStore, memoryReplayGuard, openSealed, sealEvent, signEvent, staticTrustRegistry, verifyEvent } from "@vi/events";

const n = Number(process.argv[2] ?? 2000);
const sender = await loadOrCreateServiceKeys({ iss: "GM0479", store: memoryKeyStore() });
const receiver = await loadOrCreateServiceKeys({ iss: "GM0363", store: memoryKeyStore() });
const trust = staticTrustRegistry([sender.jwks(), receiver.jwks()]);
const replay = memoryReplayGuard();
const data = {
  ok: true as const,
  result: {
    signaal: {
      id: "5b6c2f0e-8f1d-4c39-9d43-0c1b7a2e9f10",
      status: "actief",
      jeugdige: { bsn: "999900055", naam: "Noor Visser", geboortedatum: "2012-08-28" },
      organisatie: { id: "ggd-amsterdam", naam: "GGD Amsterdam" },
      geregistreerdOp: "2026-12-05T09:00:00.000Z",
      startdatum: "2026-12-05",
      einddatum: "2027-12-05",
      geinformeerd: true,
      geinformeerdWie: "ouders-en-jeugdige",
      geinformeerdOp: "2026-12-05",
      redenNietGeinformeerd: null,
      gearchiveerdOp: null,
    },
    matches: [{ id: "0b9c1c7e-3d7a-5f0e-8a61-6f3c2f1d9e10", soort: "client", viaArchief: false }],
  },
};

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function measure(label: string, run: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await run(-1 - i); // warm up
  const start = cpuMs();
  const wall = performance.now();
  for (let i = 0; i < n; i++) await run(i);
  console.log(`${label.padEnd(28)} ${((cpuMs() - start) / n).toFixed(3)} ms CPU/message (${((performance.now() - wall) / n).toFixed(3)} ms wall)`);
}

const signed: string[] = [];
const sealed: string[] = [];
await measure("sign (JWS only)", async (i) => {
  const { token } = await signEvent(sender, { type: "rpc.reply", aud: "GM0363", data });
  if (i >= 0) signed.push(token);
});
await measure("sign + encrypt (sealEvent)", async (i) => {
  const { token } = await sealEvent(sender, trust, { type: "rpc.reply", aud: "GM0363", data });
  if (i >= 0) sealed.push(token);
});
await measure("verify (JWS only)", async (i) => {
  if (i >= 0) await verifyEvent(signed[i]!, { trust, audience: "GM0363", replay });
});
await measure("decrypt + verify", async (i) => {
  if (i >= 0) await verifyEvent(await openSealed(sealed[i]!, { keys: receiver }), { trust, audience: "GM0363", replay: memoryReplayGuard() });
});
console.log(`message size: JWS ${signed[0]!.length} B, JWE ${sealed[0]!.length} B`);
