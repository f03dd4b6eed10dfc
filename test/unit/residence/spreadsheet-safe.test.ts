import { spreadsheetSafe } from '../../../src/web/spreadsheet';

describe('spreadsheetSafe (OWASP CSV injection)', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://evil","x")'])(
    'writes %j as text with a leading apostrophe',
    (v) => {
      expect(spreadsheetSafe(v)).toBe(`'${v}`);
    },
  );

  it.each(['150385-12346', 'Bērziņš', 'Liepu iela 1-2', '', 'a=b'])('leaves %j as it is', (v) => {
    expect(spreadsheetSafe(v)).toBe(v);
  });

  it('leaves numbers and nulls alone (a negative number is a number, not a formula)', () => {
    expect(spreadsheetSafe(-3)).toBe(-3);
    expect(spreadsheetSafe(null)).toBeNull();
  });
});
