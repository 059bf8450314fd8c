/*
 * Airavata's workflow data model (develop line, data-models/workflow_model.thrift): a WORKFLOW
 * experiment carries one AiravataWorkflow in ExperimentModel field 20. Written for the
 * meta-scheduler; field ids, types, requiredness and enum order are Airavata's, so either side
 * decodes what the other writes. Enums count from 0 in declaration order.
 */
include "airavata_commons.thrift"
include "application_io_models.thrift"

namespace java org.apache.airavata.model.workflow
namespace py airavata.model.workflow

enum ApplicationState {
  CREATED,
  VALIDATED,
  SCHEDULED,
  LAUNCHED,
  EXECUTING,
  CANCELING,
  CANCELED,
  COMPLETED,
  FAILED
}

struct ApplicationStatus {
  1: optional string id,
  2: required ApplicationState state,
  3: optional string description,
  4: optional i64 updatedAt
}

/** One step of the workflow: runs as one process of the experiment (processId links it to a ProcessModel). */
struct WorkflowApplication {
  1: required string id,
  2: optional string processId,
  3: optional string applicationInterfaceId,
  4: optional string computeResourceId,
  5: optional string queueName,
  6: optional i32 nodeCount,
  7: optional i32 coreCount,
  8: optional i32 wallTimeLimit,
  9: optional i32 physicalMemory,
  10: optional list<ApplicationStatus> statuses,
  11: optional list<airavata_commons.ErrorModel> errors,
  12: optional i64 createdAt,
  13: optional i64 updatedAt
}

struct DataBlock {
  1: required string id,
  2: optional string value,
  3: optional application_io_models.DataType type,
  4: optional i64 createdAt,
  5: optional i64 updatedAt
}

enum ComponentType {
  APPLICATION,
  HANDLER
}

/** An edge: output fromOutputName of component fromId feeds input toInputName of component toId. */
struct WorkflowConnection {
  1: required string id = airavata_commons.DEFAULT_ID,
  2: optional DataBlock dataBlock,
  3: required ComponentType fromType,
  4: required string fromId,
  5: required string fromOutputName,
  6: required ComponentType toType,
  7: required string toId,
  8: required string toInputName,
  9: optional i64 createdAt,
  10: optional i64 updatedAt
}

enum HandlerType {
  FLOW_STARTER,
  FLOW_TERMINATOR
}

enum HandlerState {
  CREATED,
  VALIDATED,
  SCHEDULED,
  LAUNCHED,
  EXECUTING,
  CANCELING,
  CANCELED,
  COMPLETED,
  FAILED
}

struct HandlerStatus {
  1: optional string id,
  2: required HandlerState state,
  3: optional string description,
  4: optional i64 updatedAt
}

/** FLOW_STARTER: its outputs are the workflow's inputs. FLOW_TERMINATOR: its inputs collect the workflow's outputs. */
struct WorkflowHandler {
  1: required string id,
  2: required HandlerType type,
  3: optional list<application_io_models.InputDataObjectType> inputs,
  4: optional list<application_io_models.OutputDataObjectType> outputs,
  5: optional list<HandlerStatus> statuses,
  6: optional list<airavata_commons.ErrorModel> errors,
  7: optional i64 createdAt,
  8: optional i64 updatedAt
}

/** The workflow's states; Airavata's file names this enum WorkflowExecutionState, so generated code has the same names on both sides. */
enum WorkflowExecutionState {
  CREATED,
  VALIDATED,
  SCHEDULED,
  LAUNCHED,
  EXECUTING,
  PAUSING,
  PAUSED,
  RESTARTING,
  CANCELING,
  CANCELED,
  COMPLETED,
  FAILED
}

struct WorkflowStatus {
  1: optional string id,
  2: required WorkflowExecutionState state,
  3: optional string description,
  4: optional i64 updatedAt
}

struct AiravataWorkflow {
  1: required string id = airavata_commons.DEFAULT_ID,
  2: required string experimentId,
  3: optional string description,
  4: optional list<WorkflowApplication> applications,
  5: optional list<WorkflowHandler> handlers,
  6: optional list<WorkflowConnection> connections,
  7: optional list<WorkflowStatus> statuses,
  8: optional list<airavata_commons.ErrorModel> errors,
  9: optional i64 createdAt,
  10: optional i64 updatedAt
}
