/* Airavata's API errors (namespace org.apache.airavata.model.error, develop line). */
namespace java org.apache.airavata.model.error
namespace py airavata.api.error

enum AiravataErrorType {
  UNKNOWN,
  PERMISSION_DENIED,
  INTERNAL_ERROR,
  AUTHENTICATION_FAILURE,
  INVALID_AUTHORIZATION,
  AUTHORIZATION_EXPIRED,
  UNKNOWN_GATEWAY_ID,
  UNSUPPORTED_OPERATION
}

exception ExperimentNotFoundException {
  1: required string message
}

exception InvalidRequestException {
  1: required string message
}

exception AuthenticationException {
  1: required string message
}

exception AuthorizationException {
  1: required string message
}

exception DuplicateEntryException {
  1: required string message
}

exception AiravataClientException {
  1: required AiravataErrorType airavataErrorType,
  2: optional string parameter
}

struct ValidatorResult {
  1: required bool result,
  2: optional string errorDetails
}

struct ValidationResults {
  1: required bool validationState,
  2: required list<ValidatorResult> validationResultList
}

exception LaunchValidationException {
  1: required ValidationResults validationResult,
  2: optional string errorMessage
}

exception AiravataSystemException {
  1: required AiravataErrorType airavataErrorType,
  2: optional string message
}
