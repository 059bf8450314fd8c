/* Airavata's JobModel (develop line): one submission to a resource manager; for us, one gang. */
include "status_models.thrift"

namespace java org.apache.airavata.model.job
namespace py airavata.model.job

struct JobModel {
  1: required string jobId,
  2: required string taskId,
  3: required string processId,
  4: required string jobDescription,
  5: optional i64 creationTime,
  6: optional list<status_models.JobStatus> jobStatuses,
  7: optional string computeResourceConsumed,
  8: optional string jobName,
  9: optional string workingDir,
  10: optional string stdOut,
  11: optional string stdErr,
  12: optional i32 exitCode
}
