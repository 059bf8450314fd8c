/*
 * Airavata's common definitions (develop line), written for the meta-scheduler from the wire facts of
 * Airavata's own IDL (apache/airavata, branch develop, thrift-interface-descriptions/). Field ids,
 * types and requiredness match Airavata's so that either side decodes what the other writes.
 */
namespace java org.apache.airavata.model.commons
namespace py airavata.model.commons

/** Placeholder id a client sends when the server is to assign the id. */
const string DEFAULT_ID = "DO_NOT_SET_AT_CLIENTS"

struct ErrorModel {
  1: required string errorId = DEFAULT_ID,
  2: optional i64 creationTime,
  3: optional string actualErrorMessage,
  4: optional string userFriendlyMessage,
  5: optional bool transientOrPersistent = false,
  6: optional list<string> rootCauseErrorIdList
}
