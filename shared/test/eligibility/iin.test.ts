import { checkIin, iinBirthDate, iinText } from '../../src/iin';

describe('IIN validation', () => {
  test.each([
    ['871008401427', '1987-10-08', 'F'],
    ['760212350620', '1976-02-12', 'M'],
    ['800416300257', '1980-04-16', 'M'],
  ])('the README examples are valid: %s', (iin, birthDate, sex) => {
    expect(checkIin(iin)).toEqual({ ok: true, iin, birthDate, sex });
  });

  test('one changed digit breaks the checksum, and the message says what was expected', () => {
    const r = checkIin('871008401428');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('IIN 871008401428: check digit is 8, expected 7');
  });

  test('second pass: the first sum is 10, weights 3..11,1,2 give the check digit', () => {
    // 8·1+7·2+1·3+0·4+0·5+8·6+4·7+0·8+0·9+3·10+0·11 = 131 ≡ 10 (mod 11) → second pass:
    // 8·3+7·4+1·5+0·6+0·7+8·8+4·9+0·10+0·11+3·1+0·2 = 160 ≡ 6 (mod 11)
    expect(checkIin('871008400306').ok).toBe(true);
    const wrong = checkIin('871008400300');
    expect(!wrong.ok && wrong.reason).toContain('expected 6');
    // 10 is never a check digit: the first pass's 10 must not be taken as the digit 0 or 1.
    expect(checkIin('871008400300').ok).toBe(false);
    expect(checkIin('871008400301').ok).toBe(false);
  });

  test('both passes give 10: no IIN exists with these first 11 digits', () => {
    for (let last = 0; last <= 9; last++) {
      const r = checkIin(`87100840032${last}`);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toContain('no check digit is possible');
    }
  });

  test.each([
    ['871308401420', 'not a valid birth date'], // month 13
    ['870230401420', 'not a valid birth date'], // 30 February
    ['870229401420', 'not a valid birth date'], // 1987 is not a leap year
    ['871000401420', 'not a valid birth date'], // day 0
    ['871008001420', '7th digit 0'], // century digit 0
    ['871008701420', '7th digit 7'],
  ])('invalid birth date or century digit: %s', (iin, reason) => {
    const r = checkIin(iin);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  test('29 February of a leap year is a real birth date', () => {
    expect(iinBirthDate('000229500000')).toBe('2000-02-29');
    expect(iinBirthDate('960229300000')).toBe('1996-02-29');
    expect(iinBirthDate('000229300000')).toBeNull(); // 1900 was not a leap year
  });

  test.each([
    ['87100840142A', 'digits only'],
    ['8710-0840-1427', 'digits only'],
    ['87100840142', 'has 11 digits'],
    ['8710084014270', 'has 13 digits'],
    ['', 'digits only'],
  ])('non-digits and wrong lengths: "%s"', (iin, reason) => {
    const r = checkIin(iin);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  test('spaces between digit groups are ignored; a number cell gets its leading zero back', () => {
    expect(checkIin('871008 401427').ok).toBe(true);
    // Born 2005: IIN starts with 0, a spreadsheet that read it as a number shows 11 digits.
    expect(iinText(50101500123)).toBe('050101500123');
    expect(checkIin(871008401427).ok).toBe(true);
  });
});
