/**
 * Person names as a comparable key. School lists and earlier cohorts spell the same person in
 * Cyrillic (Kazakh or Russian), in passport Latin (ICAO: Zh, Kh, Ts) or in the Kazakh Latin
 * alphabet (ä, ğ, q, ñ, ö, ū, ü, ı, ş), in any case and word order. Both scripts are folded onto
 * one coarse Latin skeleton where the usual spelling variants collapse:
 *   ж/zh/j/dzh → j · х/kh/h → h · қ/q/k → k · й/ы/і/и/y/i → i · ё/э/е → e · ю → iu · я → ia
 *   word-initial ye → e · щ/shch → sh · ц/ts → ts · x → ks · ъ ь and apostrophes dropped · doubled letters single.
 * The key is deliberately coarse: a name match alone never decides anything, it only raises a
 * POSSIBLE_MATCH together with the same birth date, for a human to confirm.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Kazakh letters
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  // Ukrainian/Belarusian letters seen in Russian-language lists
  ї: 'i',
  є: 'e',
  ў: 'u',
  ґ: 'g',
};

/** Latin letters whose diacritic changes the sound (the rest lose their marks by NFD). */
const LATIN_SPECIAL: Record<string, string> = {
  ş: 'sh',
  š: 'sh',
  ç: 'ch',
  č: 'ch',
  ž: 'zh',
  ı: 'i',
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
};

/** Spelling variants folded on the Latin side, longest first. */
const LATIN_FOLDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/shch/g, 'sh'],
  [/dzh/g, 'j'],
  [/zh/g, 'j'],
  [/kh/g, 'h'],
  [/q/g, 'k'],
  [/x/g, 'ks'],
  [/tc/g, 'ts'],
  [/y/g, 'i'],
  // Passports write a word-initial Е as Ye (Yerlan, Yesenova); Cyrillic has no such i.
  [/^ie/, 'e'],
  [/(.)\1+/g, '$1'],
];

/** Names repeat a lot (a few hundred first names and surnames cover most students): fold each word once. */
const wordKeys = new Map<string, string>();

/** One word of a name on the Latin skeleton. */
export function nameWordKey(word: string): string {
  let key = wordKeys.get(word);
  if (key === undefined) {
    if (wordKeys.size > 100_000) wordKeys.clear();
    wordKeys.set(word, (key = foldWord(word)));
  }
  return key;
}

function foldWord(word: string): string {
  let s = '';
  for (const ch of word.toLowerCase()) s += CYRILLIC[ch] ?? LATIN_SPECIAL[ch] ?? ch;
  s = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]/g, '');
  for (const [re, to] of LATIN_FOLDS) s = s.replace(re, to);
  return s;
}

/** The words of a name as keys, sorted (word order does not matter). */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFC')
    .split(/[\s\-‐‑–—.,_/]+/)
    .map(nameWordKey)
    .filter(Boolean)
    .sort();
}

/** A name as one comparable string: transliterated, folded, lower-cased, words sorted. */
export function normalizeName(name: string): string {
  return nameTokens(name).join(' ');
}

/**
 * Same person by name: the same words, or — when one list carries the patronymic and the other
 * does not — every word of the shorter name (at least two words) is in the longer one.
 */
export function sameName(a: readonly string[], b: readonly string[]): boolean {
  if (!a.length || !b.length) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === long.length) return short.every((w, i) => w === long[i]);
  if (short.length < 2) return false;
  const pool = [...long];
  for (const w of short) {
    const at = pool.indexOf(w);
    if (at < 0) return false;
    pool.splice(at, 1);
  }
  return true;
}
