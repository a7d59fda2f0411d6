import type { ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { KeyStore } from "../auth/keyStore.js";
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { CatalogSnapshots } from "../placements/catalogSnapshot.js";
import type { Db } from "../storage/database.js";

/** What the server wiring hands every capability. */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  keys: KeyStore;
  catalog: CatalogSnapshots;
}

/** A gRPC service a capability serves. */
export interface ServedService {
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** One area of the system (telemetry, recommendations, …) as the server wiring sees it. */
export interface Capability {
  services: ServedService[];
  /** Runs after the server stopped taking calls: flush, snapshot, stop timers. */
  close?(): Promise<void>;
}
