import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { dataSourceOptions } from '../database/data-source-options';
import { verifyChain, type ChainReport } from './audit-chain';

interface Chain {
  label: string;
  municipalityId: string | null;
}

function parseArgs(args: string[]): { code?: string } {
  const i = args.indexOf('--municipality');
  if (i === -1) return {};
  const code = args[i + 1];
  if (!code || code.startsWith('--')) throw new Error('usage: audit:verify [--municipality CODE]');
  return { code };
}

const describe = (label: string, r: ChainReport): string =>
  r.ok
    ? `OK ${label}: ${r.count} ${r.count === 1 ? 'entry' : 'entries'}, head ${r.head}`
    : `BROKEN ${label}: entry seq ${r.broken.seq} (${r.checked} entries before it verified): ` +
      `${r.broken.field} expected ${r.broken.expected}, stored ${r.broken.stored}`;

/**
 * `civitas audit:verify [--municipality CODE]`: walks the platform chain and every municipality's
 * chain (or one), prints one line per chain; returns the exit code (1 when any chain is broken).
 * Connects as the app role: RLS shows it each chain inside that tenant's transaction.
 */
export async function auditVerifyCommand(
  args: string[],
  config: AppConfig,
  out: (line: string) => void,
): Promise<number> {
  const { code } = parseArgs(args);
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 2 } }));
  await ds.initialize();
  try {
    const rows = (await ds.query(
      code
        ? `SELECT id, code FROM municipalities WHERE code = $1`
        : `SELECT id, code FROM municipalities ORDER BY code`,
      code ? [code] : [],
    )) as { id: string; code: string }[];
    if (code && rows.length === 0) {
      out(`no municipality with code ${code}`);
      return 2;
    }
    const chains: Chain[] = [
      ...(code ? [] : [{ label: 'platform', municipalityId: null }]),
      ...rows.map((r) => ({ label: r.code, municipalityId: r.id })),
    ];
    let broken = false;
    for (const c of chains) {
      const report = await verifyChain(ds, c.municipalityId);
      out(describe(c.label, report));
      broken ||= !report.ok;
    }
    return broken ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}
