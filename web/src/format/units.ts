/**
 * Integer amounts (bigint or decimal strings, as the API sends them) shown in token units. Never
 * goes through floating point.
 */
export function formatUnits(value: string | bigint, decimals: number, options: { maxFraction?: number } = {}): string {
  let raw = typeof value === 'bigint' ? value : BigInt(value || '0');
  const negative = raw < 0n;
  if (negative) raw = -raw;
  const base = 10n ** BigInt(decimals);
  const whole = raw / base;
  let fraction = decimals > 0 ? (raw % base).toString().padStart(decimals, '0') : '';
  const maxFraction = options.maxFraction ?? 4;
  if (fraction.length > maxFraction) fraction = fraction.slice(0, maxFraction);
  fraction = fraction.replace(/0+$/, '');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const shown = fraction ? `${grouped}.${fraction}` : grouped;
  // A non-zero amount too small for the shown digits says so instead of reading "0".
  if (shown === '0' && raw !== 0n) return `${negative ? '-' : ''}<0.${'0'.repeat(Math.max(0, maxFraction - 1))}1`;
  return (negative ? '-' : '') + shown;
}

/** share / total as a percentage with one decimal, computed in integers. */
export function percent(share: string | bigint, total: string | bigint): string {
  const s = BigInt(share);
  const t = BigInt(total);
  if (t === 0n) return '0%';
  const tenths = (s * 1000n) / t;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** share / total in basis points (0–10000), for bar widths. */
export function bps(share: string | bigint, total: string | bigint): number {
  const t = BigInt(total);
  if (t === 0n) return 0;
  const value = (BigInt(share) * 10000n) / t;
  return Number(value > 10000n ? 10000n : value);
}
