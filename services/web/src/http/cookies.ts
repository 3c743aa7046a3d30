/** Cookie names: with the `__Host-` prefix (Secure, path /, no Domain) wherever cookies are Secure. */
import type { WebDeps } from "./context";

export function cookieName(deps: Pick<WebDeps, "config">, name: "sessie" | "csrf" | "aanmelden"): string {
  return deps.config.COOKIE_SECURE === "true" ? `__Host-vi-${name}` : `vi-${name}`;
}
