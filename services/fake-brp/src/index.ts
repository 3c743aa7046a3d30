/** @vi/fake-brp: a fake BRP serving the Haal Centraal BRP Personen API from the demo fixtures and synthetic data. */
export { createFakeBrpApp, PERSONEN_PATH, type FakeBrpOptions } from "./app";
export { startFakeBrp, type RunningFakeBrp, type StartFakeBrpOptions } from "./server";
export { StoreError, type FakeBrpStore, type RelocationEvent } from "./store";
export { toHaalCentraal } from "./personen";
