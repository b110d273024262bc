import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// The bench baseline: an smtp-server that only parses each message with mailparser and discards it.
const port = Number(process.argv[2] ?? 2600);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  size: 15 * 1024 * 1024,
  onData(stream, _session, cb) {
    simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true }).then(
      () => cb(null, 'discarded'),
      (err: Error) => cb(err),
    );
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
