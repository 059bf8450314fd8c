/*
 * Airavata's ProcessModel (develop line). Field 27 (list<ProcessWorkflow> processWorkflows) is not
 * modelled here: decoders skip it like any unknown field.
 */
include "airavata_commons.thrift"
include "status_models.thrift"
include "task_model.thrift"
include "application_io_models.thrift"
include "scheduling_model.thrift"

namespace java org.apache.airavata.model.process
namespace py airavata.model.process

struct ProcessModel {
  1: required string processId = airavata_commons.DEFAULT_ID,
  2: required string experimentId,
  3: optional i64 creationTime,
  4: optional i64 lastUpdateTime,
  5: optional list<status_models.ProcessStatus> processStatuses,
  6: optional string processDetail,
  7: optional string applicationInterfaceId,
  8: optional string applicationDeploymentId,
  9: optional string computeResourceId,
  10: optional list<application_io_models.InputDataObjectType> processInputs,
  11: optional list<application_io_models.OutputDataObjectType> processOutputs,
  12: optional scheduling_model.ComputationalResourceSchedulingModel processResourceSchedule,
  13: optional list<task_model.TaskModel> tasks,
  14: optional string taskDag,
  15: optional list<airavata_commons.ErrorModel> processErrors,
  16: optional string gatewayExecutionId,
  17: optional bool enableEmailNotification,
  18: optional list<string> emailAddresses,
  19: optional string inputStorageResourceId,
  20: optional string outputStorageResourceId,
  21: optional string userDn,
  22: optional bool generateCert = false,
  23: optional string experimentDataDir,
  24: optional string userName,
  25: optional bool useUserCRPref,
  26: optional string groupResourceProfileId
}
