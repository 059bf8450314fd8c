/*
 * The meta-scheduler's launch API. Airavata's orchestrator (or a gateway) calls it with Airavata's
 * own structs; errors are Airavata's API errors. Served with TBinaryProtocol over a buffered
 * transport by default (as Airavata's own servers), framed optionally; see docs/api.md.
 */
include "airavata_errors.thrift"
include "security_model.thrift"
include "status_models.thrift"
include "experiment_model.thrift"
include "job_model.thrift"
include "messaging_events.thrift"

namespace java org.apache.airavata.metascheduler.api
namespace py airavata.metascheduler.api

const string METASCHEDULER_API_VERSION = "0.1.0"

/** The ids a launch made. Launching the same experiment again returns the same ids. */
struct LaunchResult {
  1: required string experimentId,
  2: required string processId,
  3: required string jobId,
  /** false when the launch had already been recorded by an earlier call */
  4: required bool created
}

service MetaSchedulerService {

  string getAPIVersion()
    throws (1: airavata_errors.AiravataSystemException ase)

  /**
   * Validates, records and queues one experiment for execution. Idempotent on experimentId: the
   * same payload again returns the same ids; another payload under a launched id is refused.
   */
  LaunchResult launchExperiment(1: required security_model.AuthzToken authzToken,
                                2: required experiment_model.ExperimentModel experiment)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae)

  /** Runs every launch check without recording anything; lve lists each failed check. */
  bool validateExperiment(1: required security_model.AuthzToken authzToken,
                          2: required experiment_model.ExperimentModel experiment)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae,
            6: airavata_errors.LaunchValidationException lve)

  /** Records CANCELING and hands the cancel to the workers. Terminating twice is harmless. */
  void terminateExperiment(1: required security_model.AuthzToken authzToken,
                           2: required string experimentId,
                           3: required string gatewayId)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae)

  status_models.ExperimentStatus getExperimentStatus(1: required security_model.AuthzToken authzToken,
                                                     2: required string experimentId)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae)

  status_models.ProcessStatus getProcessStatus(1: required security_model.AuthzToken authzToken,
                                               2: required string processId)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae)

  /** Every job (launch attempt) of the experiment, oldest first, each with its status history. */
  list<job_model.JobModel> getJobs(1: required security_model.AuthzToken authzToken,
                                   2: required string experimentId)
    throws (1: airavata_errors.InvalidRequestException ire,
            2: airavata_errors.ExperimentNotFoundException enf,
            3: airavata_errors.AiravataClientException ace,
            4: airavata_errors.AiravataSystemException ase,
            5: airavata_errors.AuthorizationException ae)
}
