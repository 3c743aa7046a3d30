/**
 * The consumer of `evt.register.<GM>`: the hub's signed and sealed changes of the region's register. Each node has its own
 * durable consumer. Only events the hub signed are applied; anything else is counted and dropped.
 */
import { consumers, EventRejected, memoryReplayGuard, openSealed, prefetchKey, verifyEvent } from "@vi/events";
import type { NodeContext } from "../context";
import { applyRegisterChange } from "../logic/register-sync";

export async function startRegisterConsumer(ctx: NodeContext, hubUrl: string) {
  const fed = ctx.fed!;
  const code = ctx.gemeente.code;
  // The register is held in memory, so a replay guard in memory is enough: after a restart the whole register is fetched.
  const replay = memoryReplayGuard();
  return fed.bus.consume(consumers.nodeRegister(code), async (msg) => {
    let ev: Awaited<ReturnType<typeof verifyEvent<"register.bijgewerkt">>>;
    try {
      // Decrypted first, then verified (docs/federation.md, "Encrypted payloads").
      const signed = await openSealed(msg.data, { keys: fed.keys, metrics: fed.metrics });
      await prefetchKey(signed, fed.trust);
      ev = await verifyEvent(signed, { trust: fed.trust, audience: code, replay, metrics: fed.metrics, expect: ["register.bijgewerkt"] });
      if (ev.iss !== "hub") throw new EventRejected("forged", "a register change not signed by the hub");
    } catch (e) {
      if (e instanceof EventRejected) {
        ctx.log.warn({ reason: e.reason, subject: msg.subject }, "register event rejected");
        return;
      }
      throw e;
    }
    await applyRegisterChange(ctx, hubUrl, ev.data);
  });
}
