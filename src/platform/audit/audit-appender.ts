import type { DataSource } from 'typeorm';
import { appendEntries, type Appended, type AppendFields } from './audit-chain';

interface Waiting {
  fields: AppendFields;
  resolve: (done: Appended) => void;
  reject: (error: unknown) => void;
}

/**
 * Appends entries that join no caller transaction, each chain's in order: while one statement for
 * a chain is in flight, this process's next entries for it wait and then go together as the next
 * statement, under one lock and one commit. Alone, an entry goes at once; under load a chain no
 * longer costs a lock hand-over and a WAL flush per entry. Each entry's promise settles once its
 * statement has committed or failed; an entry is never reported before it is durable.
 */
export class ChainAppender {
  /** Per chain (municipality id, '' for the platform): the entries waiting while a statement is in flight. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch = 100,
  ) {}

  append(fields: AppendFields): Promise<Appended> {
    const key = fields.municipalityId ?? '';
    return new Promise<Appended>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ fields, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ fields, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    while (queue.length) await this.send(queue.splice(0, this.maxBatch));
    this.waiting.delete(key);
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const done = await appendEntries(
        (sql, params) => this.dataSource.query(sql, params),
        batch.map((w) => w.fields),
        true,
      );
      batch.forEach((w, i) => w.resolve(done[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One entry the database refuses must not fail the others: each goes again on its own.
      for (const w of batch) await this.send([w]);
    }
  }
}
