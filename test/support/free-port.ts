import { createServer, type Server } from 'node:net';

export function freePort(): Promise<number> {
  return reservePort().then(async (r) => {
    await r.release();
    return r.port;
  });
}

/**
 * A port held on 127.0.0.1 until released. Servers on other loopback addresses (127.0.0.2, …) can listen on it
 * meanwhile, and no `freePort()` in a parallel test file hands it out: with a plain `freePort()` a fixture MX bound
 * seconds later once found its port taken by another file's MX on the same address (EADDRINUSE).
 */
export function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      s.unref(); // a reservation never keeps a test process alive
      const { port } = s.address() as { port: number };
      resolve({ port, release: () => new Promise<void>((done) => s.close(() => done())) });
    });
  });
}
