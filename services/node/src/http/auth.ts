/** Who is calling: the bearer token verified, then its subject (`sub`) looked up in the region's register. */
import { TokenError, type TokenVerifier } from "@vi/auth";
import type { Actor, NodeContext } from "../context";
import { identify } from "../logic/actors";
import { problem } from "../problems";

/** The header in which an organisation's case system names the professional it acts for (docs/adr/0016). */
export const NAMENS_HEADER = "namens-professional";

export async function resolveActor(ctx: NodeContext, verifier: TokenVerifier, authorization: string | undefined, namens?: string): Promise<Actor> {
  let subject: string;
  try {
    ({ subject } = await verifier.verify(authorization));
  } catch (e) {
    if (e instanceof TokenError) throw problem(e.code, e.message);
    throw e;
  }
  return identify(ctx, subject, namens);
}
