/* Airavata's application inputs and outputs (develop line). */
namespace java org.apache.airavata.model.application.io
namespace py airavata.model.application.io

enum DataType {
  STRING,
  INTEGER,
  FLOAT,
  URI,
  URI_COLLECTION,
  STDOUT,
  STDERR
}

struct InputDataObjectType {
  1: required string name,
  2: optional string value,
  3: optional DataType type,
  4: optional string applicationArgument,
  5: optional bool standardInput,
  6: optional string userFriendlyDescription,
  7: optional string metaData,
  8: optional i32 inputOrder,
  9: optional bool isRequired,
  10: optional bool requiredToAddedToCommandLine,
  11: optional bool dataStaged,
  12: optional string storageResourceId,
  13: optional bool isReadOnly,
  14: optional string overrideFilename
}

struct OutputDataObjectType {
  1: required string name,
  2: optional string value,
  3: optional DataType type,
  4: optional string applicationArgument,
  5: optional bool isRequired,
  6: optional bool requiredToAddedToCommandLine,
  7: optional bool dataMovement,
  8: optional string location,
  9: optional string searchQuery,
  10: optional bool outputStreaming,
  11: optional string storageResourceId,
  12: optional string metaData
}
