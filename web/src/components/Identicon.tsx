/**
 * A blockie-style identicon drawn as SVG, generated locally from the address (the classic
 * "blockies" xorshift seeding), so the same address always gets the same picture.
 */
import { useMemo } from 'react';

function seeded(seed: string) {
  const s = [0, 0, 0, 0];
  for (let i = 0; i < seed.length; i++) s[i % 4] = ((s[i % 4]! << 5) - s[i % 4]! + seed.charCodeAt(i)) | 0;
  return () => {
    const t = s[0]! ^ (s[0]! << 11);
    s[0] = s[1]!;
    s[1] = s[2]!;
    s[2] = s[3]!;
    s[3] = s[3]! ^ (s[3]! >> 19) ^ t ^ (t >> 8);
    return (s[3]! >>> 0) / ((1 << 31) >>> 0);
  };
}

export function Identicon({ address, size = 20 }: { address: string; size?: number }) {
  const { cells, colors } = useMemo(() => {
    const rand = seeded(address.toLowerCase());
    const color = () => `hsl(${Math.floor(rand() * 360)} ${Math.floor(rand() * 60 + 40)}% ${Math.floor((rand() + rand() + rand() + rand()) * 25)}%)`;
    const colors = [color(), color(), color()];
    const cells: number[] = [];
    for (let y = 0; y < 8; y++) {
      const half = [0, 1, 2, 3].map(() => Math.floor(rand() * 2.3));
      cells.push(...half, ...[...half].reverse());
    }
    return { cells, colors };
  }, [address]);
  return (
    <svg className="identicon" width={size} height={size} viewBox="0 0 8 8" aria-hidden="true" focusable="false">
      <rect width="8" height="8" fill={colors[0]} />
      {cells.map((v, i) => (v === 0 ? null : <rect key={i} x={i % 8} y={Math.floor(i / 8)} width="1" height="1" fill={v === 1 ? colors[1] : colors[2]} />))}
    </svg>
  );
}
