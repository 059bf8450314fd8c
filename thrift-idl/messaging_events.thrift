/*
 * Airavata's status messaging events (develop line). The inner event is serialized with
 * TBinaryProtocol into Message.event, and the Message is serialized again as the message body.
 */
include "airavata_commons.thrift"
include "status_models.thrift"
include "application_io_models.thrift"

namespace java org.apache.airavata.model.messaging.event
namespace py airavata.model.messaging.event

enum MessageLevel {
  INFO,
  DEBUG,
  ERROR,
  ACK
}

enum MessageType {
  EXPERIMENT,
  EXPERIMENT_CANCEL,
  TASK,
  PROCESS,
  JOB,
  LAUNCHPROCESS,
  TERMINATEPROCESS,
  PROCESSOUTPUT,
  DB_EVENT,
  INTERMEDIATE_OUTPUTS
}

struct ExperimentStatusChangeEvent {
  1: required status_models.ExperimentState state,
  2: required string experimentId,
  3: required string gatewayId
}

struct ProcessIdentifier {
  1: required string processId,
  2: required string experimentId,
  3: required string gatewayId
}

struct ProcessStatusChangeEvent {
  1: required status_models.ProcessState state,
  2: required ProcessIdentifier processIdentity
}

struct TaskIdentifier {
  1: required string taskId,
  2: required string processId,
  3: required string experimentId,
  4: required string gatewayId
}

struct TaskStatusChangeEvent {
  1: required status_models.TaskState state,
  2: required TaskIdentifier taskIdentity
}

struct JobIdentifier {
  1: required string jobId,
  2: required string taskId,
  3: required string processId,
  4: required string experimentId,
  5: required string gatewayId
}

struct JobStatusChangeEvent {
  1: required status_models.JobState state,
  2: required JobIdentifier jobIdentity
}

struct TaskOutputChangeEvent {
  1: required list<application_io_models.OutputDataObjectType> output,
  2: required TaskIdentifier taskIdentity
}

struct Message {
  1: required binary event,
  2: required string messageId = airavata_commons.DEFAULT_ID,
  3: required MessageType messageType,
  4: optional i64 updatedTime,
  5: optional MessageLevel messageLevel
}
