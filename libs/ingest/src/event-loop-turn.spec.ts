import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventLoopTurn } from './event-loop-turn.js';

describe('eventLoopTurn', () => {
  it('handles socket data that arrived during synchronous work before the work goes on', async () => {
    let accepted!: (s: Socket) => void;
    const serverSide = new Promise<Socket>((resolve) => (accepted = resolve));
    const server = createServer((s) => accepted(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    const peer = await serverSide;
    if (client.connecting) await new Promise((resolve) => client.once('connect', resolve));
    const events: string[] = [];
    client.on('data', () => events.push('socket data'));
    try {
      // Written during a step: the bytes wait in the kernel until the event loop polls again.
      peer.write('reply');
      events.push('step 1');
      await eventLoopTurn();
      events.push('step 2');
      expect(events).toEqual(['step 1', 'socket data', 'step 2']);
    } finally {
      client.destroy();
      peer.destroy();
      server.close();
    }
  });
});
