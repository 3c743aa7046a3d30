/**
 * Sessions of signed-in professionals, in memory: per session only the access
 * token, its expiry, the subject and the chosen gemeente; no personal data of
 * anyone. The browser holds a random session id in a signed, httpOnly,
 * SameSite cookie. A session ends on sign-out, after SESSION_MINUTEN idle, or
 * when its token expires (the provider gives no refresh tokens: sign in again).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export interface Session {
  id: string;
  subject: string;
  accessToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** The gemeente whose node the professional works through. */
  gemeente: string;
  /** Which API the access token is for: the node's (default), or the hub's (the convenantmanager's page). */
  api?: "node" | "hub";
  /** A token for the hub's register API (another audience), fetched when a coordinator first needs it (docs/adr/0029). */
  hubToken?: { accessToken: string; expiresAt: number };
  lastSeen: number;
}

export interface SessionStore {
  create(s: Omit<Session, "id" | "lastSeen">): Session;
  /** The live session with this id (its idle time renewed), or undefined. */
  get(id: string | undefined): Session | undefined;
  destroy(id: string): void;
  size(): number;
}

export function createSessionStore(opts: { idleMinutes: number; now?: () => number }): SessionStore {
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const sweep = () => {
    const t = now();
    for (const [id, s] of sessions) if (t - s.lastSeen > opts.idleMinutes * 60_000 || s.expiresAt * 1000 <= t) sessions.delete(id);
  };
  return {
    create(s) {
      sweep();
      const session: Session = { ...s, id: randomBytes(32).toString("base64url"), lastSeen: now() };
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      const t = now();
      if (t - s.lastSeen > opts.idleMinutes * 60_000 || s.expiresAt * 1000 <= t) {
        sessions.delete(id);
        return undefined;
      }
      s.lastSeen = t;
      return s;
    },
    destroy(id) {
      sessions.delete(id);
    },
    size: () => sessions.size,
  };
}

/**
 * CSRF protection for every form: the browser holds a random value in an httpOnly SameSite cookie; each form
 * carries an HMAC of it under the server's secret, checked on every POST. A page on another site can neither
 * read the cookie nor compute the token.
 */
export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}`).digest("base64url");
}

export function csrfValid(secret: string, cookieValue: string | undefined, token: unknown): boolean {
  if (!cookieValue || typeof token !== "string" || !token) return false;
  const expected = Buffer.from(csrfTokenFor(secret, cookieValue));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const newCsrfCookieValue = () => randomBytes(24).toString("base64url");
