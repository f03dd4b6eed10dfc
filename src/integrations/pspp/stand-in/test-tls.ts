import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCa } from '../../e-adrese/stand-in/test-pki';

/** The stand-in's throw-away TLS material: a test CA and a certificate for 127.0.0.1 / localhost. */
export interface PsppTestTls {
  ca: string;
  cert: string;
  key: string;
}

/** Made with openssl once per directory (kept if present); never for anything but tests and demos. */
export function createPsppTestTls(dir: string): PsppTestTls {
  const p = (f: string): string => join(dir, f);
  const tls = { ca: p('pspp-test-ca.crt'), cert: p('server.crt'), key: p('server.key') };
  if (existsSync(tls.cert)) return tls;
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  makeCa(dir, 'pspp-test-ca');
  run(
    'req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost'.split(' '),
  );
  writeFileSync(
    p('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  run(
    'x509 -req -in server.csr -CA pspp-test-ca.crt -CAkey pspp-test-ca.key -CAcreateserial -out server.crt -days 825 -extfile server.ext'.split(
      ' ',
    ),
  );
  return tls;
}
