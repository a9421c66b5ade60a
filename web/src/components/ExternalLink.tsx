import type { ReactNode } from 'react';

/** A link out of the app: https only (anything else is shown as text), new tab, no referrer. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  if (!/^https:\/\//i.test(href)) return <span>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
