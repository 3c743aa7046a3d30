export { parsePseudonymConfig, PseudonymConfigSchema, type PseudonymConfig } from "./config";
export { startPseudonymService, type RunningPseudonymService, type StartPseudonymOptions } from "./server";
export { fileKeys, memoryKeys, openKeyring, type KeyFile, type Keyring, type StoredKeys } from "./store/keyring";
export type { PseudonymContext } from "./context";
export {
  createNationalPseudonymApp,
  NATIONAL_PSEUDONYM_PROBLEMS,
  NationalPseudonymConfigSchema,
  parseNationalPseudonymConfig,
  startNationalPseudonymService,
  type NationalPseudonymConfig,
  type RunningNationalPseudonymService,
} from "./national";
