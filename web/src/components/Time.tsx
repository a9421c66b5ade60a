import { localTime, utcTime } from '../format/time';

/** A moment in the member's time zone; hovering shows it in UTC. */
export function Time({ at }: { at: string | number }) {
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={utcTime(at)}>
      {localTime(at)}
    </time>
  );
}
