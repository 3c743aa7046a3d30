/**
 * @vi/demo: reference data for the verwijsindex (gemeenten, fixture persons, demo organisations and accounts) and a
 * deterministic bulk population generator. Pure: no I/O.
 */
export { type BrpAddress, type BrpRecord, DATUM_ONBEKEND } from "./types";
export {
  GEMEENTEN,
  GEMEENTEN_BUITEN_REGIO,
  INWONERS,
  WOONPLAATSEN,
  anyGemeente,
  gemeenteByCode,
  type Gemeente,
  type Woonplaats,
} from "./gemeenten";
export { DEMO_INSTITUTION_ADDRESS_IDS, DEMO_INVALID_BSN, DEMO_UNKNOWN_BSN, demoPersons, volledigeNaam } from "./persons";
export {
  DEMO_ACCOUNTS,
  DEMO_CASE_SYSTEMS,
  DEMO_ORGANISATIONS,
  accountByEmail,
  demoSubject,
  organisationById,
  type DemoAccount,
  type DemoOrganisation,
  type Domein,
} from "./organisations";
export {
  BULK_BSN_CAPACITY,
  bulkBsn,
  bulkPersonIndex,
  generatePopulation,
  isBulkBsn,
  type Population,
  type PopulationConfig,
} from "./generator";
export { isElfproefValid } from "./bsn";
export { addDays, daysBetween, isValidDate, leeftijdOp, subtractYearsMonths, todayInAmsterdam } from "./dates";
export { DEMO_REGISTER_FILE, DEMO_REGISTER_FILES, type DemoRegio, demoRegister } from "./register";
