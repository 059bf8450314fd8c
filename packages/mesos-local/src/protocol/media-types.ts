/**
 * The subset of HTTP content negotiation a master does on SUBSCRIBE: an absent Accept header
 * accepts everything; otherwise some listed range must match (with q > 0).
 */
export function acceptsMediaType(acceptHeader: string | undefined, mediaType: string): boolean {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return true;
  const [type, subtype] = mediaType.toLowerCase().split('/');
  return acceptHeader.split(',').some((entry) => {
    const [range, ...params] = entry.trim().toLowerCase().split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) <= 0) return false;
    const [rt, rs] = range.split('/');
    return (rt === '*' && rs === '*') || (rt === type && (rs === '*' || rs === subtype));
  });
}
