/** Time helpers on luxon. All inputs are epoch ms UTC. OWNER: analytics helper. */
/** Resolves a display-zone setting (`UTC`, `local`, IANA name) to a valid IANA zone name; invalid → `UTC`. */
export function resolveZone(_setting: string): string {
  throw new Error('not implemented');
}
/** `yyyy-MM-dd HH:mm:ss` in the zone (empty string for NaN/undefined). */
export function formatTime(_ms: number | undefined, _zone: string): string {
  throw new Error('not implemented');
}
/** ISO 8601 in UTC with `Z` (empty for NaN/undefined). */
export function isoUtc(_ms: number | undefined): string {
  throw new Error('not implemented');
}
