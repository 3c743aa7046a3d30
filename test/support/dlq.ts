/** How many messages a namespace's dead-letter stream holds (`<NS>_DLQ`; 0 when it does not exist). */
import { type JetStreamManager, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** Through a manager already at hand, or a connection of its own to `server` (a NATS URL). */
export async function dlqMessages(server: string | JetStreamManager, namespace: string): Promise<number> {
  if (typeof server !== "string") {
    const info = await server.streams.info(`${namespace.toUpperCase()}_DLQ`).catch(() => undefined);
    return info?.state.messages ?? 0;
  }
  const nc = await connect({ servers: server });
  try {
    return await dlqMessages(await jetstreamManager(nc), namespace);
  } finally {
    await nc.close();
  }
}
