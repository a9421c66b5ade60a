import { useEffect, useState } from 'react';
import { duration } from '../format/time';

/** "in 3 h 10 min" / "2 min ago", ticking every second. */
export function Countdown({ to }: { to: string | number }) {
  const target = new Date(to).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = target - now;
  return <span className="countdown">{left > 0 ? `in ${duration(left)}` : `${duration(left)} ago`}</span>;
}
