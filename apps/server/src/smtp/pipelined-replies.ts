import type { Server, Socket } from 'node:net';

/**
 * RFC 2920 §3.2: a server offering PIPELINING should send the replies to a group of pipelined commands as a unit.
 * smtp-server writes every reply on its own; corking the socket while one chunk of client input is processed (until
 * the next tick) sends the MAIL, RCPT and DATA replies of a pipelined delivery in one write instead of three.
 *
 * The corking listener is added only when smtp-server pipes the socket into its parser (a `data` listener added any
 * earlier would start the flow before the parser is there and lose an early talker's bytes). After STARTTLS the TLS
 * socket reads for itself and replies are written as before.
 */
export function sendPipelinedRepliesTogether(server: Server): void {
  server.on('connection', (socket: Socket) => {
    let added = false;
    const onNewListener = (event: string | symbol) => {
      if (event !== 'data' || added) return;
      added = true;
      socket.off('newListener', onNewListener);
      socket.prependListener('data', () => {
        if (socket.writableCorked) return;
        socket.cork();
        process.nextTick(() => socket.uncork());
      });
    };
    socket.on('newListener', onNewListener);
  });
}
