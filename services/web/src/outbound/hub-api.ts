/**
 * The region's hub API (services/hub, /api/v1), called with the convenantmanager's access token for it: the
 * register (organisations, their convenants and designations), the nodes' health and the region's figures. The
 * figures arrive suppressed (small counts as "< 5"); a refusal comes back as a NodeRefusal with the hub's code.
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
  matchmeldingen: PublishedCount;
  binnenTermijnGeopend: PublishedCount;
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
  organisatieId: string;
  rol: string;
  signaleringsbevoegd: boolean;
  medisch: boolean;
  aangewezenOp?: string | null;
  ingetrokkenOp?: string | null;
}

export interface HubApi {
  figures(jaar: number): Promise<RegionFigures>;
  nodes(): Promise<NodeHealth[]>;
  organisations(): Promise<RegisterOrganisation[]>;
  people(): Promise<RegisterPerson[]>;
}

export function hubApi(baseUrl: string, accessToken: string, fetcher: typeof fetch = fetch): HubApi {
  const get = async <T>(path: string): Promise<T> => {
    let res: Response;
    try {
      res = await fetcher(`${baseUrl}/api/v1${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new NodeRefusal(503, "HUB_ONBEREIKBAAR", "De regionale hub is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.");
    }
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok) {
      throw new NodeRefusal(
        res.status,
        typeof body?.code === "string" ? body.code : "HUB_FOUT",
        typeof body?.detail === "string" ? body.detail : "De regionale hub gaf geen antwoord dat we kunnen tonen.",
      );
    }
    return body as T;
  };
  return {
    figures: (jaar) => get<RegionFigures>(`/regio/cijfers?jaar=${jaar}`),
    nodes: async () => (await get<{ nodes: NodeHealth[] }>("/regio/nodes")).nodes,
    organisations: async () => (await get<{ organisaties: RegisterOrganisation[] }>("/register/organisaties")).organisaties,
    people: async () => (await get<{ personen: RegisterPerson[] }>("/register/personen")).personen,
  };
}
