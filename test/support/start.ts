/**
 * The environment of `npm start` (scripts/start.ts) for a test: by default Regio Amsterdam's Amsterdam node and
 * Zuid-Kennemerland's Haarlem node (`gemeenten`: Diemen too is possible), the national index and the bridges, every port free and drawn from this worker's slice (processes.ts), the node and admin ports as bases
 * (base + CBS number), embedded defaults (no DATABASE_URL or NATS_URL), the data in `dataDir`.
 */
import { freePort, freePortBase } from "./processes";

const CBS = [363, 384, 392];

export interface StartEnv {
  env: NodeJS.ProcessEnv;
  /** The ports of Amsterdam's (GM0363), Diemen's (GM0384) and Haarlem's (GM0392) nodes. */
  amsterdamNodePort: number;
  diemenNodePort: number;
  haarlemNodePort: number;
}

export async function startScriptEnv(dataDir: string, gemeenten = "GM0363,GM0392"): Promise<StartEnv> {
  const nodeBase = await freePortBase(CBS);
  const adminBase = await freePortBase(CBS);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GEMEENTEN: gemeenten,
    DATA_DIR: dataDir,
    NODE_PORT_BASE: String(nodeBase),
    NODE_ADMIN_PORT_BASE: String(adminBase),
  };
  for (const name of [
    "BRP_PORT",
    "ISSUER_PORT",
    "HUB_PORT",
    "HUB_ADMIN_PORT",
    "SMTP_SINK_PORT",
    "SMTP_SINK_WEB_PORT",
    "WEB_PORT",
    "PSEUDONIEM_PORT",
    "PSEUDONIEM_ADMIN_PORT",
    "ZK_HUB_PORT",
    "ZK_HUB_ADMIN_PORT",
    "ZK_PSEUDONIEM_PORT",
    "ZK_PSEUDONIEM_ADMIN_PORT",
    "LANDELIJK_PORT",
    "PSEUDONIEM_LANDELIJK_PORT",
    "BRUG_PORT",
    "BRUG_LANDELIJK_PORT",
    "ZK_BRUG_PORT",
    "ZK_BRUG_LANDELIJK_PORT",
  ])
    env[name] = String(await freePort());
  for (const k of ["DATABASE_URL", "NATS_URL", "LOG_LEVEL", "SMTP_HOST", "PUBLIC_URL", "AUTH_ISSUER", "WEB_PUBLIC_URL"]) delete env[k];
  return { env, amsterdamNodePort: nodeBase + 363, diemenNodePort: nodeBase + 384, haarlemNodePort: nodeBase + 392 };
}
