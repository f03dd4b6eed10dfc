import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';

/** The demo's mail server (scripts/mail-catcher.mjs, started by scripts/up.sh): what it receives is kept as .eml files. */
describe('the demo mail catcher', () => {
  let child: ChildProcess;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'civitas-mail-'));
    child = spawn(process.execPath, ['scripts/mail-catcher.mjs'], {
      env: { ...process.env, MAIL_CATCHER_PORT: '0', MAIL_CATCHER_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`mail catcher exited (${code})`)));
    });
    ({ url } = JSON.parse(first) as { url: string });
  });
  afterAll(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a message over SMTP and keeps it, headers and text, as an .eml file', async () => {
    const transport = nodemailer.createTransport(url);
    await transport.sendMail({
      from: 'Civitas <noreply@demo.civitas.lv>',
      to: 'manager.nafplio@demo.civitas.lv',
      subject: 'Απόφαση στην υπόθεση REF-2026-000007',
      text: 'Εκδόθηκε απόφαση στην υπόθεσή σας.',
      attachments: [{ filename: 'decision.pdf', content: Buffer.from('%PDF-1.7 demo') }],
    });
    transport.close();
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dir, files[0]), 'utf8');
    expect(eml).toMatch(/^To: manager\.nafplio@demo\.civitas\.lv$/m);
    expect(eml).toContain('decision.pdf');
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m);
  });
});
