import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh secret per launch: whoever can read the printed URL may use the API, nobody else on the machine. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requestToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-pont-token'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * The HTTP server answers only its own pages. A page from another site could otherwise post to 127.0.0.1 (browsers send
 * such requests), and a DNS-rebinding site would reach us under its own host name: refuse both.
 */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  // Requests without an Origin come from tools (curl, the CLI), not from another site's page.
  if (origin === undefined) return true;
  return allowedOrigins(port).has(origin);
}

/** The renderer's Content-Security-Policy: its own scripts and styles only, and calls to this HTTP server only. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
