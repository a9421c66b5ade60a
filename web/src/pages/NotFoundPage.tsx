import { Link } from '../router/Link';

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">See all spaces</Link>.
      </p>
    </section>
  );
}
