import type { ReactNode } from 'react';
import { Link } from '../router/Link';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          govrelay
        </Link>
        <nav aria-label="Main">
          <Link to="/">Spaces</Link>
          <a href="/docs">API</a>
        </nav>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
