/**
 * Orders strings by their UTF-16 code units, the same on every machine. `localeCompare` follows the process's
 * locale and ICU data, so a list sorted with it (a checksum file, a tie between two tags) could come out in another
 * order on another runner, and a re-run would then not reproduce what the first run published.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
