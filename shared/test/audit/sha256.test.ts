/** The pure SHA-256 (it runs in Apps Script too) against node:crypto, on the texts an Audit tab holds. */
import crypto from 'node:crypto';
import { sha256Hex, utf8Bytes } from '../../src/sha256';

const node = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  test('known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test.each([
    ['empty', ''],
    ['ASCII', 'mentor@uni.kz approved ready@uni.kz in python: Points=95; Letter=A'],
    ['Kazakh', 'Әйгерім Қасымова'],
    ['Russian', 'Ёлкина Алёна Сергеевна — «пересдача»'],
    ['emoji (surrogate pairs)', 'ok 👍🏽 🇰🇿 ✅'],
    ['mixed JSON', JSON.stringify(['seed', '2026-03-02 10:30', 'Жанар Әлиева', 'A-', null])],
    ['lone surrogate', 'a\ud800b\udc00c'],
  ])('%s equals node:crypto', (_, text) => {
    expect(sha256Hex(text)).toBe(node(text));
  });

  test.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000])(
    '%i bytes (padding boundaries) equal node:crypto',
    (n) => {
      const ascii = 'x'.repeat(n);
      expect(sha256Hex(ascii)).toBe(node(ascii));
      // The same byte length reached with 2-byte Cyrillic letters (and one ASCII byte when odd).
      const cyr = 'Қ'.repeat(Math.floor(n / 2)) + (n % 2 ? '!' : '');
      expect(utf8Bytes(cyr).length).toBe(n);
      expect(sha256Hex(cyr)).toBe(node(cyr));
    },
  );

  test('UTF-8 encoding equals Buffer.from(text, "utf8")', () => {
    for (const text of ['Әйгерім Қасымова', '👍🏽', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'a\ud800b']) {
      expect(Buffer.from(utf8Bytes(text))).toEqual(Buffer.from(text, 'utf8'));
    }
  });
});
