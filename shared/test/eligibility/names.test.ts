import { nameTokens, normalizeName, sameName } from '../../src/eligibility/names';

const same = (a: string, b: string) => sameName(nameTokens(a), nameTokens(b));

describe('name normalisation', () => {
  test.each([
    ['Жанар Әлиева', 'Zhanar Aliyeva'], // ә, ж → zh, passport -yeva
    ['Жанар Әлиева', 'Janar Älieva'], // Kazakh Latin (2021): j, ä
    ['Нұрсұлтан Қасымов', 'Nursultan Kassymov'], // ұ, қ, ы, doubled s
    ['Нұрсұлтан Қасымов', 'Nūrsūltan Qasymov'], // Kazakh Latin ū, q
    ['Ғалымжан Өмірзақов', 'Galymzhan Omirzakov'], // ғ ө і қ
    ['Ғалымжан Өмірзақов', 'Ğalymjan Ömirzaqov'],
    ['Айгерім Серікқызы', 'Aigerim Serikkyzy'], // і, doubled k
    ['Айгерім Серікқызы', 'Aygerim Serikkyzy'], // й → y or i
    ['Ерлан Ахметов', 'Yerlan Akhmetov'], // word-initial Ye, х → kh
    ['Ерлан Ахметов', 'Erlan Ahmetov'],
    ['Дәулет Шөкенов', 'Daulet Shokenov'], // ә ө ш
    ['Дәулет Шөкенов', 'Däulet Şökenov'], // Kazakh Latin 2018 ş
    ['Артём Фёдоров', 'Артем Федоров'], // ё/е
    ['Ксения Щербакова', 'Kseniya Shcherbakova'], // щ → shch
    ['Ксения Щербакова', 'Xenia Sherbakova'],
    ['Виктор Цой', 'Viktor Tsoy'], // ц, й
    ['Ұлжан Үсенова', 'Uljan Usenova'], // ұ ү
    ['Баһадүр Ілиясов', 'Bahadur Iliyasov'], // һ і
    ['Аңсар Төлеу', 'Ansar Toleu'], // ң
  ])('%s ≡ %s', (a, b) => {
    expect(normalizeName(a)).toBe(normalizeName(b));
  });

  test('case and word order do not matter', () => {
    expect(normalizeName('ӘЛИЕВА жанар')).toBe(normalizeName('Zhanar Aliyeva'));
    expect(normalizeName('  Aliyeva,   ZHANAR ')).toBe(normalizeName('Жанар Әлиева'));
  });

  test('a name with the patronymic matches the same name without it, not a different person', () => {
    expect(same('Ахметов Ерлан Серикович', 'Yerlan Akhmetov')).toBe(true);
    expect(same('Ахметов Ерлан Серикович', 'Yerlan Akhmetova')).toBe(false);
    // One word is too little to call it the same person.
    expect(same('Ерлан', 'Yerlan Akhmetov')).toBe(false);
  });

  test('different people stay different', () => {
    expect(normalizeName('Жанар Әлиева')).not.toBe(normalizeName('Жанна Алиева'));
    expect(normalizeName('Ержан Ахметов')).not.toBe(normalizeName('Ерлан Ахметов'));
    expect(same('', '')).toBe(false);
  });
});
