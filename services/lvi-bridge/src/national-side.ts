/**
 * The national side as the bridge sees it (docs/adr/0037): everything the bridge asks of the national index and
 * the national pseudonym service goes through this interface. `restNationalSide` speaks our reference REST
 * profile (@vi/fsc: mutual TLS, signed requests and answers); an NTA 8023 adapter (SOAP, CIBG's VIR) implements the
 * same interface. What the national index delivers back arrives at the bridge's own endpoint (http.ts).
 */
import { type FscClient, FscRefused, FscUnreachable } from "@vi/fsc";
import type { RecordIn } from "@vi/national-index";

/** The national side could not be reached or refused: try again later (the queue waits). */
export class NationalSideUnavailable extends Error {
  override readonly name = "NationalSideUnavailable";
}

export interface NationalSide {
  /** Sends a batch of the region's changes, in order; resolves once the national index acknowledged all of it. */
  sendSignals(signalen: RecordIn[]): Promise<void>;
  /** The bridges known nationally, with their certificates (PEM): the recipients of contact details. */
  bridges(): Promise<Array<{ regio: string; oin: string; certificaat: string }>>;
  /** Evaluates blinded elements under the national key. */
  evaluate(elementen: string[]): Promise<{ elementen: string[]; sleutelversie: number }>;
  /** The verwijsindexservicenummer of a national pseudonym of facts. */
  vsn(feiten: string): Promise<{ vsn: string }>;
  /** Relays a node's sealed request to a node of another region; resolves with the sealed reply (docs/adr/0042). */
  relay(d: { onderwerp: string; token: string; tijdMs: number }): Promise<{ token: string }>;
  /** Publishes the public keys of the region's nodes. */
  publishNodeKeys(sleutels: Array<Record<string, unknown>>): Promise<void>;
  /** The node keys of every region, as their bridges published them. */
  nodeKeys(): Promise<Array<{ regio: string; sleutels: Array<Record<string, unknown>> }>>;
  /** Hands a node's sealed notice to a node of another region to the national index, which delivers it to that region's bridge. */
  forwardNotice(m: { aan: string; van: string; token: string }): Promise<void>;
  close(): Promise<void>;
}

async function call(client: FscClient, method: string, path: string, body?: unknown, ok = 200): Promise<unknown> {
  let res: { status: number; body: unknown };
  try {
    res = await client.call(method, path, body);
  } catch (e) {
    if (e instanceof FscUnreachable || e instanceof FscRefused) throw new NationalSideUnavailable(e.message);
    throw e;
  }
  if (res.status !== ok) throw new NationalSideUnavailable(`${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

export function restNationalSide(index: FscClient, pseudonyms: FscClient): NationalSide {
  return {
    async sendSignals(signalen) {
      await call(index, "POST", "/api/v1/signalen", { signalen });
    },
    async bridges() {
      return ((await call(index, "GET", "/api/v1/bruggen")) as { bruggen: Array<{ regio: string; oin: string; certificaat: string }> }).bruggen;
    },
    async evaluate(elementen) {
      return (await call(pseudonyms, "POST", "/api/v1/evaluaties", { elementen })) as { elementen: string[]; sleutelversie: number };
    },
    async vsn(feiten) {
      return (await call(index, "POST", "/api/v1/verwijsindexservicenummers", { feiten })) as { vsn: string };
    },
    async relay(d) {
      return (await call(index, "POST", "/api/v1/doorgiften", d)) as { token: string };
    },
    async publishNodeKeys(sleutels) {
      await call(index, "PUT", "/api/v1/nodesleutels", { sleutels });
    },
    async nodeKeys() {
      return ((await call(index, "GET", "/api/v1/nodesleutels")) as { regios: Array<{ regio: string; sleutels: Array<Record<string, unknown>> }> }).regios;
    },
    async forwardNotice(m) {
      await call(index, "POST", "/api/v1/meldingen", m, 202);
    },
    async close() {
      await index.close();
      await pseudonyms.close();
    },
  };
}
