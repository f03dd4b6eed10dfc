import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { digestOf, sections } from '../../../src/integrations/e-adrese/div/div-streams';

const chunked = (bytes: Buffer, chunk: number): Readable =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) =>
      bytes.subarray(i * chunk, (i + 1) * chunk),
    ),
  );

const collect = async (it: AsyncIterable<Buffer>): Promise<Buffer[]> => {
  const out: Buffer[] = [];
  for await (const b of it) out.push(Buffer.from(b));
  return out;
};

describe('streaming a file into DIV sections', () => {
  const bytes = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));

  it('cuts sections of exactly the section size from chunks of any size, the last one shorter', async () => {
    for (const chunk of [1, 7, 1000, 4096]) {
      const parts = await collect(sections(chunked(bytes, chunk), 1000));
      expect(parts.map((p) => p.length)).toEqual([1000, 1000, 500]);
      expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    }
  });

  it('ends a file whose size divides evenly with a 0-length section', async () => {
    const parts = await collect(sections(chunked(bytes.subarray(0, 2000), 300), 1000));
    expect(parts.map((p) => p.length)).toEqual([1000, 1000, 0]);
  });

  it('computes the SHA-512 and size of a stream as of the whole bytes', async () => {
    expect(await digestOf(chunked(bytes, 333))).toEqual({
      size: 2500,
      sha512: createHash('sha512').update(bytes).digest('base64'),
    });
  });
});
