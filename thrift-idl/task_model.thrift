/* Airavata's TaskModel (develop line). The typed sub-task models travel as opaque binary (field 8). */
include "airavata_commons.thrift"
include "status_models.thrift"
include "job_model.thrift"

namespace java org.apache.airavata.model.task
namespace py airavata.model.task

enum TaskTypes {
  ENV_SETUP,
  DATA_STAGING,
  JOB_SUBMISSION,
  ENV_CLEANUP,
  MONITORING,
  OUTPUT_FETCHING
}

struct TaskModel {
  1: required string taskId = airavata_commons.DEFAULT_ID,
  2: required TaskTypes taskType,
  3: required string parentProcessId,
  4: required i64 creationTime,
  5: required i64 lastUpdateTime,
  6: required list<status_models.TaskStatus> taskStatuses,
  7: optional string taskDetail,
  8: optional binary subTaskModel,
  9: optional list<airavata_commons.ErrorModel> taskErrors,
  10: optional list<job_model.JobModel> jobs,
  11: optional i32 maxRetry,
  12: optional i32 currentRetry
}
