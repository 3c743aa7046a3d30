import type { ServiceApp } from "@vi/service";
import type { Actor } from "../context";

/** The node's hono app: the kit's variables plus the signed-in professional. */
export type NodeApp = ServiceApp<{ actor: Actor }>;
