/**
 * The hub's register API (services/hub, /api/v1/register), called with the coordinator's own token for the
 * hub's audience (docs/adr/0029). The hub decides who may change what; a refusal comes back as a NodeRefusal with
 * the hub's stable code and Dutch message.
 */
import { NodeRefusal } from "./node-api";

export interface RegisterPersoon {
  sub: string;
  email: string;
  naam: string;
  functie: string;
  telefoon: string;
  organisatieId: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  aangewezenOp?: string | null;
  ingetrokkenOp?: string | null;
}

export interface HubApi {
  people(): Promise<RegisterPersoon[]>;
  designate(sub: string, medisch: boolean): Promise<void>;
  revoke(sub: string): Promise<void>;
}

export function hubApi(baseUrl: string, accessToken: string, requestTimeoutMs = 10_000): HubApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch {
      throw new NodeRefusal(503, "HUB_ONBEREIKBAAR", "Het register van de regio is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.");
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const p = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
      throw new NodeRefusal(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? p.title ?? "Het register weigerde het verzoek.");
    }
    return parsed as T;
  };
  const id = (v: string) => encodeURIComponent(v);
  return {
    people: async () => (await call<{ personen: RegisterPersoon[] }>("GET", "/api/v1/register/personen")).personen,
    designate: async (sub, medisch) => void (await call("PUT", `/api/v1/register/personen/${id(sub)}/aanwijzing`, { medisch })),
    revoke: async (sub) => void (await call("DELETE", `/api/v1/register/personen/${id(sub)}/aanwijzing`)),
  };
}
