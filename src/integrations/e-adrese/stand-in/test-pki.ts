import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throw-away test PKI for the DIV stand-in, made with the openssl CLI in a directory of the
 * caller's choosing (tests: a temp dir; demo: var/div-stand-in). Nothing here is committed and
 * nothing is fit for production: a test CA, the stand-in's TLS certificate for localhost, and
 * client certificates (a valid one, an expired one, and one from a CA the stand-in does not trust).
 */
export interface DivTestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** The connection's client certificate as VDAA would issue it: PKCS#12 with an encrypted key. */
  clientP12: string;
  clientCert: string;
  p12Password: string;
  expiredP12: string;
  strangerP12: string;
}

const run = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

const CA_CONF = `[ca]
default_ca = test_ca
[test_ca]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[req]
distinguished_name = dn
[dn]
[client]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
`;

/** A self-signed CA certificate and its key: `<name>.crt`, `<name>.key` in `dir`. */
export function makeCa(dir: string, name: string): void {
  const ext = [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ];
  run(dir, [
    ...'req -x509 -newkey rsa:2048 -nodes -days 3650'.split(' '),
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-subj',
    `/CN=${name}`,
    ...ext,
  ]);
}

/** A client certificate signed by `ca` (openssl ca, so validity dates can be set), packed as PKCS#12. */
function makeClient(
  dir: string,
  ca: string,
  name: string,
  password: string,
  dates?: { start: string; end: string },
): void {
  run(dir, [
    ...'req -newkey rsa:2048 -nodes'.split(' '),
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  const validity = dates ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '825'];
  run(dir, [
    ...'ca -batch -config ca.cnf -extensions client -notext'.split(' '),
    '-cert',
    `${ca}.crt`,
    '-keyfile',
    `${ca}.key`,
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.crt`,
    ...validity,
  ]);
  run(dir, [
    ...'pkcs12 -export'.split(' '),
    '-inkey',
    `${name}.key`,
    '-in',
    `${name}.crt`,
    '-out',
    `${name}.p12`,
    '-passout',
    `pass:${password}`,
    '-name',
    name,
  ]);
}

export function createDivTestPki(dir: string): DivTestPki {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'ca.cnf'), CA_CONF);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const password = 'test-only-p12-password';
  makeCa(dir, 'div-test-ca');
  makeCa(dir, 'stranger-ca');
  run(
    dir,
    'req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost'.split(' '),
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  run(
    dir,
    'x509 -req -in server.csr -CA div-test-ca.crt -CAkey div-test-ca.key -CAcreateserial -out server.crt -days 825 -extfile server.ext'.split(
      ' ',
    ),
  );
  makeClient(dir, 'div-test-ca', 'municipality-connection', password);
  makeClient(dir, 'div-test-ca', 'expired-connection', password, {
    start: '20200101000000Z',
    end: '20210101000000Z',
  });
  makeClient(dir, 'stranger-ca', 'stranger-connection', password);
  const p = (f: string): string => join(dir, f);
  return {
    dir,
    caCert: p('div-test-ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientP12: p('municipality-connection.p12'),
    clientCert: p('municipality-connection.crt'),
    p12Password: password,
    expiredP12: p('expired-connection.p12'),
    strangerP12: p('stranger-connection.p12'),
  };
}

export const readPem = (path: string): string => readFileSync(path, 'utf8');
