/**
 * The region's hub API (services/hub, /api/v1), called with the signed-in person's own token for the hub's audience:
 * the convenantmanager's (the register, the nodes' health and the region's figures; docs/adr/0031) or a
 * coordinator's (their organisation's designations; docs/adr/0029). The hub decides who may see and change what;
 * the figures arrive suppressed (small counts as "< 5"); a refusal comes back as a NodeRefusal with the hub's stable
 * code and Dutch message.
 */
import { NodeRefusal } from "./node-api";

export interface PublishedCount {
  aantal: number | null;
  weergave: string;
}

export interface FigureRow {
  gemeente: string;
  maand: string;
  domein: string;
  signalen: PublishedCount;
  clientmatches: PublishedCount;
  gezinsmatches: PublishedCount;
  /** Matches in the gemeente's matchregie at least the term old, and those with contact recorded within it. */
  opvolgbareMatches: PublishedCount;
  contactBinnenTermijn: PublishedCount;
  /** contactBinnenTermijn over opvolgbareMatches, in percent; null when it would reveal a small count. */
  opvolgingPercentage: number | null;
}

export interface RegionFigures {
  jaar: number;
  opvolgtermijnDagen: number;
  maanden: string[];
  domeinen: string[];
  gemeenten: { code: string; naam: string; beantwoord: boolean }[];
  rijen: FigureRow[];
}

export interface NodeHealth {
  code: string;
  naam: string;
  status: "bereikbaar" | "achter" | "onbereikbaar";
  laatstGezien: string | null;
  indexAchterstandSeconden: number | null;
}

export interface RegisterOrganisation {
  id: string;
  naam: string;
  domein: string;
  aangeslotenBij: string[];
}

export interface RegisterPerson {
  sub: string;
  email: string;
  naam: string;
  functie: string;
  telefoon?: string;
  organisatieId: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  aangewezenOp?: string | null;
  ingetrokkenOp?: string | null;
}
/** The coordinator's page's name for the same shape. */
export type RegisterPersoon = RegisterPerson;

export interface HubApi {
  figures(jaar: number): Promise<RegionFigures>;
  nodes(): Promise<NodeHealth[]>;
  organisations(): Promise<RegisterOrganisation[]>;
  people(): Promise<RegisterPerson[]>;
  designate(sub: string, medisch: boolean): Promise<void>;
  revoke(sub: string): Promise<void>;
}

export function hubApi(baseUrl: string, accessToken: string, requestTimeoutMs = 15_000): HubApi {
  const base = baseUrl.replace(/\/$/, "");
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1${path}`, {
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
      throw new NodeRefusal(503, "HUB_ONBEREIKBAAR", "De regionale hub is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.");
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
      throw new NodeRefusal(res.status, p.code ?? "HUB_FOUT", p.detail ?? p.title ?? "De regionale hub gaf geen antwoord dat we kunnen tonen.");
    }
    return parsed as T;
  };
  const id = (v: string) => encodeURIComponent(v);
  return {
    figures: (jaar) => call<RegionFigures>("GET", `/regio/cijfers?jaar=${jaar}`),
    nodes: async () => (await call<{ nodes: NodeHealth[] }>("GET", "/regio/nodes")).nodes,
    organisations: async () => (await call<{ organisaties: RegisterOrganisation[] }>("GET", "/register/organisaties")).organisaties,
    people: async () => (await call<{ personen: RegisterPerson[] }>("GET", "/register/personen")).personen,
    designate: async (sub, medisch) => void (await call("PUT", `/register/personen/${id(sub)}/aanwijzing`, { medisch })),
    revoke: async (sub) => void (await call("DELETE", `/register/personen/${id(sub)}/aanwijzing`)),
  };
}
