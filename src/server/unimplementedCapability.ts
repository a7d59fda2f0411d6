import type { ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import type { Scope } from "../auth/scopes.js";
import { UnimplementedError } from "../errors/domainErrors.js";
import type { Capability } from "./capability.js";
import { unary, type HandlerDeps } from "./handlers.js";

/**
 * Serves a service whose capability is not built yet: every unary method authenticates and
 * checks scope like a real one, then answers UNIMPLEMENTED.
 */
export function unimplementedCapability(deps: HandlerDeps, name: string, definition: ServiceDefinition, scopes: readonly Scope[]): Capability {
  const implementation: UntypedServiceImplementation = {};
  for (const [method, attributes] of Object.entries(definition)) {
    if (attributes.requestStream || attributes.responseStream) continue;
    implementation[method] = unary(deps, scopes, () => {
      throw new UnimplementedError(`${attributes.path} is not available yet`);
    });
  }
  return { services: [{ name, definition, implementation }] };
}
