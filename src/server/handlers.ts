import type { handleBidiStreamingCall, handleUnaryCall, Metadata, ServerDuplexStream, ServerUnaryCall } from "@grpc/grpc-js";
import { authenticate, requireScope, type Caller } from "../auth/apiKeys.js";
import type { KeyStore } from "../auth/keyStore.js";
import type { Scope } from "../auth/scopes.js";
import type { Logger } from "../log/logger.js";
import { toServiceError } from "./toServiceError.js";

/** What every handler gets besides its request. */
export interface CallContext {
  caller: Caller;
  log: Logger;
}

export interface HandlerDeps {
  keys: KeyStore;
  log: Logger;
}

function presentedKey(metadata: Metadata): string | undefined {
  const apiKey = metadata.get("x-api-key")[0];
  if (apiKey !== undefined) return String(apiKey);
  const authorization = metadata.get("authorization")[0];
  return authorization === undefined ? undefined : String(authorization).replace(/^Bearer\s+/i, "");
}

function authorize(deps: HandlerDeps, call: ServerUnaryCall<unknown, unknown> | ServerDuplexStream<unknown, unknown>, scopes: readonly Scope[]): CallContext {
  const caller = authenticate(deps.keys, presentedKey(call.metadata));
  requireScope(caller, scopes);
  return { caller, log: deps.log.child({ game: caller.game.gameId, key: caller.keyId }) };
}

/** A unary RPC: authenticate, check scope, run the domain function, map its errors. */
export function unary<Req, Res>(
  deps: HandlerDeps,
  scopes: readonly Scope[],
  handle: (request: Req, context: CallContext) => Res | Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    new Promise<Res>((resolve) => resolve(handle(call.request, authorize(deps, call, scopes)))).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, deps.log)),
    );
  };
}

/** A bidirectional stream: authenticated once at its start; a thrown error ends it with its status. */
export function bidi<Req, Res>(
  deps: HandlerDeps,
  scopes: readonly Scope[],
  handle: (call: ServerDuplexStream<Req, Res>, context: CallContext) => Promise<void>,
): handleBidiStreamingCall<Req, Res> {
  return (call) => {
    new Promise<void>((resolve) => resolve(handle(call, authorize(deps, call, scopes)))).catch((error: unknown) => {
      call.emit("error", toServiceError(error, deps.log));
    });
  };
}
