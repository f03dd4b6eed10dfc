import {
  latvianDative,
  latvianDativeFullName,
} from '../../../src/documents/templates/latvian-dative';

describe('Latvian dative of personal names', () => {
  it.each([
    // masculine, 1st declension -s / -š
    ['Ozols', 'Ozolam'],
    ['Bērziņš', 'Bērziņam'],
    ['Kalējs', 'Kalējam'],
    ['Andrejs', 'Andrejam'],
    ['Matīss', 'Matīsam'],
    // masculine, 2nd declension -is (no consonant change in the dative)
    ['Jānis', 'Jānim'],
    ['Kārlis', 'Kārlim'],
    ['Lācis', 'Lācim'],
    // masculine definite adjective
    ['Baltais', 'Baltajam'],
    // masculine, 3rd declension -us
    ['Ingus', 'Ingum'],
    ['Mikus', 'Mikum'],
    // masculine 4th/5th declension family names
    ['Liepa', 'Liepam'],
    ['Zīle', 'Zīlem'],
    // indeclinable
    ['Hugo', 'Hugo'],
    ['Oto', 'Oto'],
  ])('masculine %s → %s', (name, dative) => {
    expect(latvianDative(name, 'M')).toBe(dative);
  });

  it.each([
    ['Līga', 'Līgai'],
    ['Anna', 'Annai'],
    ['Ķēniņa', 'Ķēniņai'],
    ['Bērziņa', 'Bērziņai'],
    ['Alise', 'Alisei'],
    ['Kalnīte', 'Kalnītei'],
    ['Baltā', 'Baltajai'],
    ['Ruth', 'Ruth'],
  ])('feminine %s → %s', (name, dative) => {
    expect(latvianDative(name, 'F')).toBe(dative);
  });

  it('declines every part of double and hyphenated names, keeping capitals', () => {
    expect(latvianDative('Anna Marija', 'F')).toBe('Annai Marijai');
    expect(latvianDative('Ozola-Kalniņa', 'F')).toBe('Ozolai-Kalniņai');
    expect(latvianDative('BĒRZIŅŠ', 'M')).toBe('BĒRZIŅAM');
  });

  it('gives the full name in the dative, family name following the sex', () => {
    expect(latvianDativeFullName('Jānis Bērziņš', 'M')).toBe('Jānim Bērziņam');
    expect(latvianDativeFullName('Līga Ķēniņa', 'F')).toBe('Līgai Ķēniņai');
    expect(latvianDativeFullName('Jānis Liepa', 'M')).toBe('Jānim Liepam');
  });

  it('gives no dative when the sex is unknown (the template prints the labelled form)', () => {
    expect(latvianDativeFullName('Jānis Bērziņš', undefined)).toBeNull();
  });
});
