/**
 * Errors the domain code throws. They know nothing of gRPC; server/toServiceError.ts maps
 * each to its status code. Anything else thrown becomes INTERNAL and is logged, not leaked.
 */
export class DomainError extends Error {}

/** The caller sent something invalid; `field` names it (a proto field path or setting). */
export class InvalidArgumentError extends DomainError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class NotFoundError extends DomainError {}
export class AlreadyExistsError extends DomainError {}
/** The request is valid but the system is not in a state to do it. */
export class FailedPreconditionError extends DomainError {}
export class UnauthenticatedError extends DomainError {}
export class PermissionDeniedError extends DomainError {}

/** Back-pressure: try again after `retryAfterMs`. */
export class ResourceExhaustedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** A transient failure (a busy database, a restarting writer): the same call may succeed if retried. */
export class UnavailableError extends DomainError {}

/** The capability behind this call is not built yet. */
export class UnimplementedError extends DomainError {}
