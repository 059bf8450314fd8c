/* Airavata's resource request of an experiment or process (develop line). All fields optional. */
namespace java org.apache.airavata.model.scheduling
namespace py airavata.model.scheduling

struct ComputationalResourceSchedulingModel {
  1: optional string resourceHostId,
  2: optional i32 totalCPUCount,
  3: optional i32 nodeCount,
  4: optional i32 numberOfThreads,
  5: optional string queueName,
  /** minutes */
  6: optional i32 wallTimeLimit,
  /** MB */
  7: optional i32 totalPhysicalMemory,
  /** spelled as Airavata spells it */
  8: optional string chessisNumber,
  9: optional string staticWorkingDir,
  10: optional string overrideLoginUserName,
  11: optional string overrideScratchLocation,
  12: optional string overrideAllocationProjectNumber,
  13: optional i32 mGroupCount
}
