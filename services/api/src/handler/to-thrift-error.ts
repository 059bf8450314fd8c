import {
  AiravataClientException, AiravataErrorType, AiravataSystemException, AuthorizationException, ExperimentNotFoundException, InvalidRequestException,
  LaunchValidationException, ValidationResults, ValidatorResult,
} from '@msched/airavata-thrift';
import { InternalFault, InvalidRequest, NotFound, QuotaExceeded, Unauthorized, ValidationFailed } from '../errors';
import type { Problem } from '../validation/problem';

/**
 * The Airavata exception a failure becomes on the wire. Faults of ours keep their detail in the
 * log (found by `ref`); the client learns whether retrying can help, never our internals.
 */
export function toThriftError(e: unknown, ref: string): Error {
  if (e instanceof ValidationFailed || e instanceof InvalidRequest) return new InvalidRequestException({ message: e.message });
  if (e instanceof NotFound) return new ExperimentNotFoundException({ message: e.message });
  if (e instanceof Unauthorized) return new AuthorizationException({ message: e.message });
  // Not a wrong request (the same one succeeds later) nor our fault: the gateway is not permitted more for now.
  if (e instanceof QuotaExceeded) return new AiravataClientException({ airavataErrorType: AiravataErrorType.PERMISSION_DENIED, parameter: e.message });
  const retriable = e instanceof InternalFault && e.retriable;
  return new AiravataSystemException({
    airavataErrorType: AiravataErrorType.INTERNAL_ERROR,
    message: retriable
      ? `the meta-scheduler is temporarily unable to serve this call; retry later (ref ${ref})`
      : `internal error of the meta-scheduler (ref ${ref})`,
  });
}

/** validateExperiment's answer to a failed validation: one ValidatorResult per failed check. */
export function toLaunchValidationException(problems: readonly Problem[], message: string): LaunchValidationException {
  return new LaunchValidationException({
    validationResult: new ValidationResults({
      validationState: false,
      validationResultList: problems.map((p) => new ValidatorResult({ result: false, errorDetails: `${p.rule}: ${p.message}` })),
    }),
    errorMessage: message,
  });
}
