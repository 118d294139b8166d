/**
 * Wall-clock times in a named time zone, with the engine's own zone data (Intl), no library:
 * a session is kept as the venue's day and HH:MM with the zone, and turned into UTC for calendars.
 */

let zones: Set<string> | null = null;
/** Whether a name is an IANA time zone this engine knows (`Africa/Dakar`, `Europe/Madrid`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (zones.has(name)) return true;
  try {
    // Aliases the list leaves out (Europe/Kiev for Europe/Kyiv) are still zones.
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The offset of a zone from UTC at an instant, in minutes (Madrid in July: +120). */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time in a zone names. A time repeated when clocks go back is its first
 * occurrence; a time skipped when they go forward is read with the offset before the change.
 */
export function utcOf(day: string, time: string, zone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offsets half a day either side cover any change on that day.
  const before = offsetAt(wall - 43_200_000, zone);
  const after = offsetAt(wall + 43_200_000, zone);
  const readings = [wall - before * 60_000, wall - after * 60_000].filter((instant, i) => offsetAt(instant, zone) === (i === 0 ? before : after));
  return new Date(readings.length ? Math.min(...readings) : wall - before * 60_000);
}

/** Whether a wall-clock time happens on that day in the zone (not one skipped when clocks go forward). */
export function wallTimeExists(day: string, time: string, zone: string): boolean {
  const instant = utcOf(day, time, zone);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const n = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${n('year')}-${n('month')}-${n('day')}` === day && `${n('hour')}:${n('minute')}` === time;
}

/** The zone's short name at an instant in a language ("GMT+1", "UTC", "CET"), for showing beside times. */
export function zoneName(instant: Date, zone: string, locale: string): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}
