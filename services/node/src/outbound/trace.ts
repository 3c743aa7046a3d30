/** The trace of the request or message being handled, as it travels in an event's data (docs/logging.md). */
import { currentTrace } from "@vi/service";

/** `{ traceparent }` of the current trace, or nothing outside one (the retention job, the BRP poller). */
export function tracedData(): { traceparent?: string } {
  const trace = currentTrace();
  return trace ? { traceparent: trace.traceparent } : {};
}
