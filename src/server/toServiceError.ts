import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  UnimplementedError,
} from "../errors/domainErrors.js";
import type { Logger } from "../log/logger.js";
import { isDatabaseBusy } from "../storage/database.js";

/** Trailer naming the request field at fault on INVALID_ARGUMENT. */
export const invalidFieldTrailer = "vitrine-invalid-field";
/** Trailer saying how long to wait before retrying on RESOURCE_EXHAUSTED. */
export const retryAfterTrailer = "retry-after-ms";

const codes: [new (...args: never[]) => Error, status][] = [
  [InvalidArgumentError, status.INVALID_ARGUMENT],
  [NotFoundError, status.NOT_FOUND],
  [AlreadyExistsError, status.ALREADY_EXISTS],
  [FailedPreconditionError, status.FAILED_PRECONDITION],
  [UnauthenticatedError, status.UNAUTHENTICATED],
  [PermissionDeniedError, status.PERMISSION_DENIED],
  [ResourceExhaustedError, status.RESOURCE_EXHAUSTED],
  [UnavailableError, status.UNAVAILABLE],
  [UnimplementedError, status.UNIMPLEMENTED],
];

/** The one place domain errors become gRPC statuses; unknown errors are logged and hidden. */
export function toServiceError(thrown: unknown, log: Logger): Partial<ServiceError> {
  const error = isDatabaseBusy(thrown) ? new UnavailableError("the database is busy; retry") : thrown;
  const metadata = new Metadata();
  if (error instanceof InvalidArgumentError) metadata.set(invalidFieldTrailer, error.field);
  if (error instanceof ResourceExhaustedError) metadata.set(retryAfterTrailer, String(Math.ceil(error.retryAfterMs)));
  for (const [type, code] of codes) {
    if (error instanceof type) return { code, details: error.message, metadata };
  }
  log.error("internal error", { error });
  return { code: status.INTERNAL, details: "internal error", metadata };
}
