/** The bus contract (./contract.ts) on NATS JetStream (NATS_URL, default the machine's server). */
import { busContract } from "./contract";
import { natsImpl } from "./support";

busContract(natsImpl());
