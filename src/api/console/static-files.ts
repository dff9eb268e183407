import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the console (`dist/console`, beside the compiled server). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Content Security Policy of the console: its own scripts only, no inline script, API calls to
 * this origin only, never framed. Inline styles are allowed because the design system (LeafyGreen,
 * on emotion) inserts its CSS at run time.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Paths the console never answers, so the Admin API and probes keep their own answers (and errors). */
export function isReservedPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path.startsWith('/console/api') || path === '/healthz' || path === '/readyz';
}

/**
 * Serves the built console (read into memory at start): `GET /` and files under `/assets/`, with
 * security headers (CSP, nosniff, no framing, no referrer); hashed assets are cached for a year,
 * `index.html` never. `fallback` answers the console's own page paths (an HTML GET outside
 * {@link isReservedPath}) with `index.html`, for client-side routing. Without a built console
 * (`dist/console/index.html` absent) nothing is registered and `/` stays a 404.
 */
export function consoleStaticFiles(app: FastifyInstance, dir = CONSOLE_DIST): { fallback(request: FastifyRequest, reply: FastifyReply): boolean } {
  const files = new Map<string, StaticFile>();
  if (existsSync(join(dir, 'index.html'))) collect(dir, '', files);
  const index = files.get('/index.html');
  if (!index) return { fallback: () => false };
  const send = (reply: FastifyReply, file: StaticFile, immutable: boolean) => {
    securityHeaders(reply);
    reply.header('content-type', file.type);
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.send(file.body);
  };
  app.get('/', async (_request, reply) => send(reply, index, false));
  for (const [path, file] of files) {
    if (path === '/index.html') continue;
    app.get(path, async (_request, reply) => send(reply, file, path.startsWith('/assets/')));
  }
  return {
    fallback(request, reply) {
      const path = request.url.split('?')[0]!;
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (isReservedPath(path) || !(request.headers.accept ?? '').includes('text/html')) return false;
      void send(reply, index, false);
      return true;
    },
  };
}

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

function collect(root: string, prefix: string, into: Map<string, StaticFile>): void {
  for (const name of readdirSync(join(root, prefix))) {
    const rel = `${prefix}/${name}`;
    const full = join(root, rel);
    if (statSync(full).isDirectory()) collect(root, rel, into);
    else into.set(rel, { body: readFileSync(full), type: TYPES[extname(name)] ?? 'application/octet-stream' });
  }
}
