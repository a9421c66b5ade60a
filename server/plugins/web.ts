/**
 * The members' web app (web/, built by Vite into web/dist) served at `/` by the same server as the
 * API. Built assets are served as static files; every other GET that asks for HTML and is not an
 * API, docs, health or metrics path gets index.html, so client routes (/spaces/x, /proposals/0x…)
 * survive a reload. The HTML carries a strict Content-Security-Policy: scripts and styles only from
 * this origin (the build has no inline script), connections only back to this server (HTTP and its
 * WebSocket), and no framing. Without a build the server still runs, API only.
 */
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

const here = dirname(fileURLToPath(import.meta.url));
/** web/dist next to the sources (server/plugins/) or next to the compiled server (dist/server/plugins/). */
export const DEFAULT_WEB_DIST =
  [resolve(here, '../../web/dist'), resolve(here, '../../../web/dist')].find((dir) => existsSync(join(dir, 'index.html'))) ?? resolve(here, '../../web/dist');

/** Paths that belong to the server, never to the app: they keep their JSON 404. */
const SERVER_PATHS = /^\/(api|docs|health|metrics|ws)(\/|\?|$)/;

/** A Host header we can echo into the CSP safely (host name or IP literal and port only). */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** index.html with the app's headers (CSP, nosniff, no framing); also the server's page paths use it. */
export function sendAppIndex(request: FastifyRequest, reply: FastifyReply, indexHtml: Buffer) {
  return reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', contentSecurityPolicy(request.headers.host))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-cache')
    .send(indexHtml);
}

/** The built app's index.html (read once), or null without a build. */
let builtIndex: Buffer | null | undefined;
export function appIndexHtml(dir = DEFAULT_WEB_DIST): Buffer | null {
  if (dir !== DEFAULT_WEB_DIST) return existsSync(join(dir, 'index.html')) ? readFileSync(join(dir, 'index.html')) : null;
  if (builtIndex === undefined) builtIndex = existsSync(join(dir, 'index.html')) ? readFileSync(join(dir, 'index.html')) : null;
  return builtIndex;
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

export default fp(
  async (app, opts: { dir?: string } = {}) => {
    const dir = opts.dir ?? DEFAULT_WEB_DIST;
    const indexPath = join(dir, 'index.html');
    if (!existsSync(indexPath)) {
      app.log.info({ dir }, 'web app not built (npm run build:web); serving the API only');
      return;
    }
    // Read once: the file only changes with a new build, and a new build means a restart.
    const indexHtml = readFileSync(indexPath);

    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      // One route per built file (found at start-up), so the catch-all below can own the rest.
      wildcard: false,
      index: false,
      // index.html always goes through sendIndex, which adds the CSP.
      allowedPath: (pathname) => pathname !== '/index.html',
      setHeaders: (reply, path) => {
        reply.header('X-Content-Type-Options', 'nosniff');
        // Vite names assets by content hash: they never change under the same name.
        if (path.startsWith(join(dir, 'assets'))) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    });

    const sendIndex = (request: FastifyRequest, reply: FastifyReply) => sendAppIndex(request, reply, indexHtml);

    const appRoute = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url;
      if (SERVER_PATHS.test(path) || !acceptsHtml(request)) return reply.callNotFound();
      return sendIndex(request, reply);
    };
    app.get('/', { schema: { hide: true } }, appRoute);
    app.get('/*', { schema: { hide: true } }, appRoute);
  },
  { name: 'web', fastify: '5.x' },
);
