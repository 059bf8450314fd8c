/**
 * The job id of attempt `attempt` of a process, derived from any earlier attempt's id: the first
 * attempt's id with `-a<attempt>` appended. Airavata sees one JobModel per attempt.
 */
export function nextJobId(previousJobId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 2) throw new RangeError(`a retried attempt is number 2 or more, got ${attempt}`);
  return `${previousJobId.replace(/-a\d+$/, '')}-a${attempt}`;
}
