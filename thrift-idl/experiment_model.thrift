/*
 * Airavata's ExperimentModel and its user configuration (develop line). A WORKFLOW experiment
 * carries its DAG in field 20 (workflow_model.AiravataWorkflow); see docs/workflows.md.
 */
include "airavata_commons.thrift"
include "application_io_models.thrift"
include "scheduling_model.thrift"
include "status_models.thrift"
include "process_model.thrift"
include "workflow_model.thrift"

namespace java org.apache.airavata.model.experiment
namespace py airavata.model.experiment

enum ExperimentType {
  SINGLE_APPLICATION,
  WORKFLOW
}

struct UserConfigurationDataModel {
  1: required bool airavataAutoSchedule = false,
  2: required bool overrideManualScheduledParams = false,
  3: optional bool shareExperimentPublicly = false,
  4: optional scheduling_model.ComputationalResourceSchedulingModel computationalResourceScheduling,
  5: optional bool throttleResources = false,
  6: optional string userDN,
  7: optional bool generateCert = false,
  8: optional string inputStorageResourceId,
  9: optional string outputStorageResourceId,
  10: optional string experimentDataDir,
  11: optional bool useUserCRPref,
  12: optional string groupResourceProfileId,
  13: optional list<scheduling_model.ComputationalResourceSchedulingModel> autoScheduledCompResourceSchedulingList
}

struct ExperimentModel {
  1: required string experimentId = airavata_commons.DEFAULT_ID,
  2: required string projectId,
  3: required string gatewayId,
  4: required ExperimentType experimentType = ExperimentType.SINGLE_APPLICATION,
  5: required string userName,
  6: required string experimentName,
  7: optional i64 creationTime,
  8: optional string description,
  /** the application interface id */
  9: optional string executionId,
  10: optional string gatewayExecutionId,
  11: optional string gatewayInstanceId,
  12: optional bool enableEmailNotification,
  13: optional list<string> emailAddresses,
  14: optional UserConfigurationDataModel userConfigurationData,
  15: optional list<application_io_models.InputDataObjectType> experimentInputs,
  16: optional list<application_io_models.OutputDataObjectType> experimentOutputs,
  17: optional list<status_models.ExperimentStatus> experimentStatus,
  18: optional list<airavata_commons.ErrorModel> errors,
  19: optional list<process_model.ProcessModel> processes,
  20: optional workflow_model.AiravataWorkflow workflow
}
