/**
 * Fetches the region's register from the hub: the node asks with a request it signs itself (`register.verzoek`,
 * addressed to the hub), and gets the whole register signed by the hub (`register.volledig`, addressed to this
 * node), verified against the region's trust registry like every other event from the hub.
 */
import { type EventData, memoryReplayGuard, signEvent, verifyEvent } from "@vi/events";
import type { NodeContext } from "../context";

const FETCH_TIMEOUT_MS = 5000;

export async function fetchSignedRegister(ctx: NodeContext, hubUrl: string): Promise<EventData<"register.volledig">> {
  const fed = ctx.fed;
  if (!fed) throw new Error("the node is not joined to the region");
  const { token: request } = await signEvent(fed.keys, { type: "register.verzoek", aud: "hub", data: { node: ctx.gemeente.code }, ttlSec: 60 });
  const res = await fetch(`${hubUrl.replace(/\/+$/, "")}/api/v1/register/ondertekend`, {
    headers: { authorization: `Bearer ${request}`, accept: "application/json" },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`the hub answered ${res.status} to the register request`);
  const body = (await res.json()) as { token?: unknown };
  if (typeof body.token !== "string") throw new Error("the hub's answer holds no signed register");
  const ev = await verifyEvent(body.token, {
    trust: fed.trust,
    audience: ctx.gemeente.code,
    replay: memoryReplayGuard(),
    metrics: fed.metrics,
    expect: ["register.volledig"],
  });
  if (ev.iss !== "hub") throw new Error(`the register was signed by ${ev.iss}, not by the hub`);
  return ev.data;
}
