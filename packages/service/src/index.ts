/**
 * The service kit: what every service of the verwijsindex (node, hub, and
 * the bridge, national index and web application to come) shares, so that a
 * new service writes only its codes, routes and logic.
 */
export {
  BASE_CATALOG,
  BASE_PROBLEMS,
  baseProblem,
  Problem,
  problemCatalog,
  problemType,
  validationProblem,
  type BaseProblemCode,
  type InvalidParam,
  type ProblemBody,
  type ProblemCatalog,
  type ProblemSpec,
} from "./problem";
export {
  createServiceApp,
  isStorageUnavailable,
  SECURITY_HEADERS,
  type ServiceApp,
  type ServiceAppOptions,
  type ServiceEnv,
  type ServiceVariables,
} from "./app";
export {
  type ApiDocumentOptions,
  buildApiDocument,
  ProblemDetailsSchema,
  problemResponses,
  RETRY_AFTER_SECONDS,
  type ServerSpec,
} from "./openapi";
export { continueTrace, currentTrace, parseTraceparent, runInTrace, type Trace, TRACEPARENT_PATTERN } from "./trace";
export { checkNatsClientSettings, ConfigError, corsOriginsSetting, databaseLogin, databaseLoginSettings, natsClientSettings, parseConfig } from "./config";
export { createLogger, errorForLog, REDACT_PATHS, scrubText, type LoggedError, type Logger } from "./log";
export { Cleanups, runMain, serveHttp, startWithCleanups, stopHttpServer, type Stoppable } from "./lifecycle";
export { startHttpServer, type EdgeProblem } from "./server";
export { clientAddress, enforce, tokenBuckets, tooManyRequests, type TokenBuckets } from "./rate-limit";
export { type AdminAppOptions, createAdminApp } from "./admin";
