// The demo's mail server: an SMTP server on 127.0.0.1 that keeps every message it receives as an
// .eml file (the development stand-in for the municipality's mail relay; scripts/up.sh starts it
// unless SMTP_URL is set). Prints one JSON line when it listens: {"ready":true,"url":...,"dir":...}.
// Environment: MAIL_CATCHER_PORT (default 2525), MAIL_CATCHER_DIR (default var/mail).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.MAIL_CATCHER_PORT ?? 2525);
const dir = resolve(process.env.MAIL_CATCHER_DIR ?? 'var/mail');
mkdirSync(dir, { recursive: true });
let n = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('error', done);
    stream.on('end', () => {
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}.eml`;
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      writeFileSync(join(dir, name), Buffer.concat(chunks));
      process.stderr.write(`mail to ${to}: ${name}\n`);
      done();
    });
  },
});
server.on('error', (e) => {
  process.stderr.write(`mail catcher: ${e.message}\n`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ ready: true, url: `smtp://127.0.0.1:${server.server.address().port}`, dir })}\n`,
  );
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
