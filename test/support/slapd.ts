import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { freePort } from './built-app';

const run = promisify(execFile);

/** A user of the test directory: uid, password, and the groups (cn under ou=groups) it is a member of. */
export interface TestLdapUser {
  uid: string;
  password: string;
  name: string;
  groups?: string[];
  /** ppolicy's lock (pwdAccountLockedTime), as an administrator's "disable account" sets it. */
  locked?: boolean;
}

export interface Slapd {
  url: string;
  /** With `tls`: ldaps:// on a second port, its certificate (for 127.0.0.1) issued by `caPem`. */
  ldapsUrl?: string;
  caPem?: string;
  suffix: string;
  adminDn: string;
  adminPassword: string;
  /** The service account Civitas searches with (read-only). */
  serviceDn: string;
  servicePassword: string;
  userDn(uid: string): string;
  groupDn(cn: string): string;
  addToGroup(cn: string, uid: string): Promise<void>;
  removeFromGroup(cn: string, uid: string): Promise<void>;
  lock(uid: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private OpenLDAP server (Debian slapd) for one test file: a generated cn=config (mdb database,
 * core/cosine/inetorgperson schemas, the ppolicy overlay), entries loaded with slapadd, slapd on a
 * free loopback port, no root daemon. `stop()` kills it and deletes the directory.
 */
export async function startSlapd(opts: {
  suffix: string;
  users: TestLdapUser[];
  groups: string[];
  tls?: boolean;
}): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'civitas-slapd-'));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  if (opts.tls) await makeCertificates(dir);
  const { suffix } = opts;
  const adminDn = `cn=admin,${suffix}`;
  const adminPassword = 'admin-secret';
  const serviceDn = `cn=civitas,ou=services,${suffix}`;
  const servicePassword = 'service-secret';
  const userDn = (uid: string): string => `uid=${uid},ou=people,${suffix}`;
  const groupDn = (cn: string): string => `cn=${cn},ou=groups,${suffix}`;
  const rootPw = (await run('slappasswd', ['-s', adminPassword])).stdout.trim();

  const config = `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcArgsFile: ${dir}/slapd.args${opts.tls ? `\nolcTLSCACertificateFile: ${dir}/ca.pem\nolcTLSCertificateFile: ${dir}/server.pem\nolcTLSCertificateKeyFile: ${dir}/server.key` : ''}

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${suffix}
olcRootDN: ${adminDn}
olcRootPW: ${rootPw}
olcDbDirectory: ${dir}/data
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to dn.subtree="ou=groups,${suffix}" by users read by * none
olcAccess: {2}to * by dn.exact="${serviceDn}" read by self read by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
`;
  const dc = /^dc=([^,]+)/.exec(suffix)![1];
  const entries = [
    `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}`,
    `dn: ou=people,${suffix}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${suffix}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=services,${suffix}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${serviceDn}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: civitas\nuserPassword: ${servicePassword}`,
    ...opts.users.map(
      (u) =>
        `dn: ${userDn(u.uid)}\nobjectClass: inetOrgPerson\nuid: ${u.uid}\ncn: ${u.name}\nsn: ${u.name.split(' ').pop()}\nmail: ${u.uid}@${dc}.test\nuserPassword: ${u.password}` +
        (u.locked ? '\npwdAccountLockedTime: 000001010000Z' : ''),
    ),
    ...opts.groups.map((g) => {
      const members = opts.users.filter((u) => u.groups?.includes(g)).map((u) => userDn(u.uid));
      // groupOfNames needs a member: the service account stands in for an empty group.
      return `dn: ${groupDn(g)}\nobjectClass: groupOfNames\ncn: ${g}\n${(members.length ? members : [serviceDn]).map((m) => `member: ${m}`).join('\n')}`;
    }),
  ];
  await run('mkdir', ['-p', `${dir}/slapd.d`, `${dir}/data`]);
  await writeFile(`${dir}/config.ldif`, config);
  await writeFile(`${dir}/data.ldif`, entries.join('\n\n') + '\n');
  await run('slapadd', ['-n0', '-F', `${dir}/slapd.d`, '-l', `${dir}/config.ldif`]);
  await run('slapadd', ['-n1', '-F', `${dir}/slapd.d`, '-l', `${dir}/data.ldif`]);
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tlsPort ? `ldaps://127.0.0.1:${tlsPort}` : undefined;
  // slapd forks into the background; its pid is in olcPidFile.
  await new Promise<void>((resolve, reject) => {
    const p = spawn(
      'slapd',
      ['-h', [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' '), '-F', `${dir}/slapd.d`],
      { stdio: 'ignore' },
    );
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`slapd exited with ${code}`)),
    );
  });
  await waitForPort(port);
  if (tlsPort) await waitForPort(tlsPort);
  const pid = Number((await readFile(`${dir}/slapd.pid`, 'utf8')).trim());

  const modify = async (dn: string, change: Change): Promise<void> => {
    const c = new Client({ url });
    try {
      await c.bind(adminDn, adminPassword);
      await c.modify(dn, change);
    } finally {
      await c.unbind();
    }
  };
  const member = (uid: string): Attribute =>
    new Attribute({ type: 'member', values: [userDn(uid)] });

  return {
    url,
    ldapsUrl,
    caPem: opts.tls ? await readFile(`${dir}/ca.pem`, 'utf8') : undefined,
    suffix,
    adminDn,
    adminPassword,
    serviceDn,
    servicePassword,
    userDn,
    groupDn,
    addToGroup: (cn, uid) =>
      modify(groupDn(cn), new Change({ operation: 'add', modification: member(uid) })),
    removeFromGroup: (cn, uid) =>
      modify(groupDn(cn), new Change({ operation: 'delete', modification: member(uid) })),
    lock: (uid) =>
      modify(
        userDn(uid),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'pwdAccountLockedTime', values: ['000001010000Z'] }),
        }),
      ),
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
        await waitFor(() => !alive(pid));
      } catch {
        // already gone
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A test CA and a server certificate for 127.0.0.1 signed by it. */
async function makeCertificates(dir: string): Promise<void> {
  const o = (args: string[]) => run('openssl', args, { cwd: dir });
  await o([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Civitas test LDAP CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  await o([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  await o([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error('timed out waiting for slapd');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function waitForPort(port: number): Promise<void> {
  return waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      }),
  );
}
