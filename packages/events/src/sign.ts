import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ServiceKeys } from "./keys";
import { defaultTtlSec, EVENT_SCHEMAS, isEventType, type EventData, type EventType } from "./types";

/** Thrown by signEvent when `data` does not match its type's schema; the message names paths, never values. */
export class InvalidEventData extends Error {
  constructor(
    readonly type: string,
    readonly issues: z.core.$ZodIssue[],
    message: string,
  ) {
    super(message);
    this.name = "InvalidEventData";
  }
}

/**
 * Validates `data` against the schema of `type` and signs `{ type, data }`
 * with the service's current key. Default lifetime 300 s (RPC types 60 s),
 * default jti a random UUID. The signed data is the schema's output
 * (unknown members stripped), so what a receiver sees is what was checked.
 */
export async function signEvent<T extends EventType>(
  keys: ServiceKeys,
  ev: { type: T; aud: string | string[]; data: EventData<T>; ttlSec?: number; jti?: string },
): Promise<{ token: string; jti: string }> {
  if (!isEventType(ev.type)) throw new InvalidEventData(String(ev.type), [], `Unknown event type "${String(ev.type)}"`);
  const schema: z.ZodType = EVENT_SCHEMAS[ev.type];
  const parsed = schema.safeParse(ev.data);
  if (!parsed.success) {
    throw new InvalidEventData(ev.type, parsed.error.issues, `Invalid ${ev.type} data:\n${z.prettifyError(parsed.error)}`);
  }
  const jti = ev.jti ?? randomUUID();
  const token = await keys.sign({ type: ev.type, data: parsed.data }, { ttlSec: ev.ttlSec ?? defaultTtlSec(ev.type), aud: ev.aud, jti });
  return { token, jti };
}
