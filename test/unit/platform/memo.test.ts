import { Memo } from '../../../src/platform/memo';
import { StatementNames } from '../../../src/platform/database/preparing-client';

describe('Memo', () => {
  it('computes a key once and answers it from memory after', () => {
    const memo = new Memo<string, number>(10);
    let calls = 0;
    const square = (k: string) => memo.get(k, () => (calls++, Number(k) ** 2));
    expect([square('3'), square('3'), square('4')]).toEqual([9, 9, 16]);
    expect(calls).toBe(2);
  });

  it('remembers null as a value, not as a miss', () => {
    const memo = new Memo<string, number | null>(10);
    let calls = 0;
    memo.get('x', () => (calls++, null));
    expect(memo.get('x', () => (calls++, 1))).toBeNull();
    expect(calls).toBe(1);
  });

  it('forgets everything when full, then computes again', () => {
    const memo = new Memo<number, number>(2);
    let calls = 0;
    const id = (k: number) => memo.get(k, () => (calls++, k));
    id(1);
    id(2);
    id(3); // full: emptied, then 3 is kept
    expect(calls).toBe(3);
    id(3);
    expect(calls).toBe(3);
    id(1);
    expect(calls).toBe(4);
  });
});

describe('StatementNames (one pool)', () => {
  it('names a text from its second use, keeps the name, and gives other texts other names', () => {
    const names = new StatementNames();
    expect(names.nameOf('SELECT $1')).toBeUndefined();
    const first = names.nameOf('SELECT $1');
    expect(first).toMatch(/^civitas_\d+$/);
    expect(names.nameOf('SELECT $1')).toBe(first);
    names.nameOf('SELECT $2');
    expect(names.nameOf('SELECT $2')).not.toBe(first);
  });

  it('is state of its pool: another pool counts its own uses', () => {
    const a = new StatementNames();
    const b = new StatementNames();
    a.nameOf('SELECT $1');
    expect(a.nameOf('SELECT $1')).toBeDefined();
    expect(b.nameOf('SELECT $1')).toBeUndefined();
  });
});
