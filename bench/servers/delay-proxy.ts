import { connect, createServer, type Socket } from 'node:net';

// Stands for a database on another host: a TCP proxy to PostgreSQL that holds every chunk for a fixed delay in each
// direction (BENCH_DB_DELAY_MS in case 1). Arguments: listen port, PostgreSQL's port, one-way delay in ms.
const [listenPort, targetPort, delayMs] = process.argv.slice(2).map(Number);

function forward(from: Socket, to: Socket): void {
  from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
}

const server = createServer((client) => {
  const upstream = connect(targetPort, '127.0.0.1');
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  forward(client, upstream);
  forward(upstream, client);
});
server.listen(listenPort, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
