/** Who is calling: the bearer token verified, then its subject (`sub`) looked up in the region's register. */
import { TokenError, type TokenVerifier } from "@vi/auth";
import type { Actor, NodeContext } from "../context";
import { identify } from "../logic/actors";
import { problem } from "../problems";

export async function resolveActor(ctx: NodeContext, verifier: TokenVerifier, authorization: string | undefined): Promise<Actor> {
  let subject: string;
  try {
    ({ subject } = await verifier.verify(authorization));
  } catch (e) {
    if (e instanceof TokenError) throw problem(e.code, e.message);
    throw e;
  }
  return identify(ctx, subject);
}
