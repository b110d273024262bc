// Policy host on a loopback address: node:https with a certificate from the test CA.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KeyAndCert } from './test-ca.js';

export interface PolicyResponse {
  status?: number;
  /** Default `text/plain; charset=utf-8`; null sends no Content-Type header. */
  contentType?: string | null;
  body?: string | Buffer;
  location?: string;
  /** Wait this long before answering (slow host). */
  delayMs?: number;
}

export type PolicyHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SeenRequest {
  path: string;
  host: string | undefined;
  /** SNI name the client sent. */
  servername: string | false | null | undefined;
}

export interface PolicyServer {
  address: string;
  port: number;
  requests: SeenRequest[];
  /** Change what the next requests get. */
  respond(next: PolicyResponse | PolicyHandler): void;
  stop(): Promise<void>;
}

function answer(spec: PolicyResponse, res: ServerResponse): void {
  const headers: Record<string, string> = {};
  const contentType = spec.contentType === undefined ? 'text/plain; charset=utf-8' : spec.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  if (spec.location !== undefined) headers.location = spec.location;
  res.writeHead(spec.status ?? 200, headers);
  res.end(spec.body ?? '');
}

export async function startPolicyServer(opts: {
  tls: KeyAndCert;
  response: PolicyResponse | PolicyHandler;
  address?: string;
  port?: number;
}): Promise<PolicyServer> {
  const address = opts.address ?? '127.0.0.1';
  let current = opts.response;
  const requests: SeenRequest[] = [];
  const server: Server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    requests.push({ path: req.url ?? '', host: req.headers.host, servername: (req.socket as TLSSocket).servername });
    const spec = current;
    if (typeof spec === 'function') return spec(req, res);
    if (spec.delayMs) setTimeout(() => answer(spec, res), spec.delayMs).unref();
    else answer(spec, res);
  });
  // Swallow client aborts (the checker stops reading oversized bodies on purpose).
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, address, () => resolve());
  });
  return {
    address,
    port: (server.address() as AddressInfo).port,
    requests,
    respond: (next) => {
      current = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
