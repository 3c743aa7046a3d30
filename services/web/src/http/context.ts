/** What the web's routes get: its dependencies, and per request the session, the professional and their node. */
import type { Hono } from "hono";
import type { Clock } from "@vi/domain";
import type { Region } from "@vi/region";
import type { Logger, ServiceVariables } from "@vi/service";
import type { Mailer } from "@vi/mail";
import type { WebConfig } from "../config";
import type { SealedInzageStore } from "../logic/sealed-inzage";
import type { Session, SessionStore } from "../logic/session";
import type { NodeApi } from "../outbound/node-api";
import type { OidcClient } from "../outbound/oidc";
import type { Professional, Register } from "../outbound/register";

export interface WebDeps {
  config: WebConfig;
  /** The address of this application as people reach it (links, the OpenID Connect redirect). */
  publicUrl: string;
  register: Register;
  region: Region;
  oidc: OidcClient;
  sessions: SessionStore;
  sealed: SealedInzageStore;
  mailer?: Mailer;
  clock: Clock;
  log: Logger;
  /** The static files (style sheets, script), read once at start. */
  assets: Map<string, { body: string | Uint8Array; type: string }>;
}

export interface SignedInUser {
  session: Session;
  professional: Professional;
  /** The gemeenten the organisation is connected to that have a node here. */
  gemeenten: Array<{ code: string; naam: string }>;
  api: NodeApi;
}

export type WebVariables = ServiceVariables & { csrf: string; user?: SignedInUser };
export type WebApp = Hono<{ Variables: WebVariables }>;
