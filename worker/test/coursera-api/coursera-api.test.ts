import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryWorkbook } from '../../../shared/src/memory-workbook';
import {
  courseraConfigFromEnv,
  CourseraApiError,
  CourseraConfigError,
  readCourseraApi,
  type CourseraApiConfig,
} from '../../src/sources/coursera-api';
import { readExportFile } from '../../src/sources/export-file';
import { runSync } from '../../src/sync/run-sync';
import { FakeCourseraServer } from './fake-coursera-server';

const FIXTURE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../fixtures/coursera/api_enrollmentReports_page.json'), 'utf8'),
) as {
  elements: (Record<string, unknown> & { programId: string; contentId: string; contentCertificateUrl: string })[];
};
const sample = FIXTURE.elements[0];

let api: FakeCourseraServer;
const sleeps: number[] = [];

beforeEach(async () => {
  api = await FakeCourseraServer.start();
  sleeps.length = 0;
});
afterEach(() => api.close());

function learner(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const email = `learner${i}@univ.kz`;
  return { ...sample, email, externalId: email, id: `${email}~${sample.programId}~${sample.contentId}`, ...over };
}

const config = (over: Partial<CourseraApiConfig> = {}): CourseraApiConfig => ({
  clientId: api.clientId,
  clientSecret: api.clientSecret,
  orgId: api.orgId,
  apiBase: api.baseUrl,
  backoff: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 },
  ...over,
});

test('the documented example element maps to the same record as the equivalent CSV export row, without any content map', async () => {
  api.elements = [sample];
  const batch = await readCourseraApi(config());
  expect(batch.rejected).toEqual([]);
  expect(batch.hasCertificateColumn).toBe(true);
  expect(batch.records).toHaveLength(1);
  const { record } = batch.records[0];
  expect(record).toMatchObject({
    name: 'Example Learner',
    email: 'learner@example.com',
    slug: 'html-css-javascript',
    course: 'HTML, CSS, and Javascript',
    courseId: 'r0GnHOZaEees-Q6jQMxlrg',
    university: 'The Hong Kong University of Science and Technology',
    progress: 37,
    grade: 92.23,
    completed: true,
    removed: false,
    enrolledAt: 1568138449555,
    completedAt: 1568748366896,
    lastActivityAt: 1569229361000,
    estimatedHours: 2.98,
    programSlug: 'example-university-program',
    certificateUrl: 'https://www.coursera.org/account/accomplishments/certificate/EXAMPLE123',
  });

  // The same learner as a line of a CSV usage report: the rules get identical input, and the two
  // meet on one Progress row (same e-mail, same course slug).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursera-api-'));
  const csv = path.join(dir, 'usage.csv');
  const iso = (ms: number) => new Date(ms).toISOString();
  fs.writeFileSync(
    csv,
    [
      'Name,Email,External Id,Course,Course ID,Course Slug,University,Enrollment Time,Last Course Activity Time,Overall Progress,Estimated Learning Hours,Completed,Removed From Program,Program Slug,Completion Time,Course Grade,Course Certificate URL',
      `Example Learner,learner@example.com,learner@example.com,"HTML, CSS, and Javascript",${sample.contentId},html-css-javascript,The Hong Kong University of Science and Technology,${iso(1568138449555)},${iso(1569229361000)},37,2.98,Yes,No,example-university-program,${iso(1568748366896)},92.23,https://www.coursera.org/account/accomplishments/certificate/EXAMPLE123`,
    ].join('\n'),
  );
  const fromCsv = await readExportFile(csv);
  expect(record).toEqual(fromCsv.records[0].record);
  const a = new MemoryWorkbook();
  const b = new MemoryWorkbook();
  const asOf = Date.UTC(2020, 0, 1);
  const ra = await runSync(a, batch, { asOf, now: () => asOf });
  const rb = await runSync(b, fromCsv, { asOf, now: () => asOf });
  expect(ra.stats.statuses).toEqual(rb.stats.statuses);
  expect(a.read(['Progress']).Progress!.rows).toEqual(b.read(['Progress']).Progress!.rows);
  // A CSV export of the same learner after the API sync updates that row instead of adding a second one.
  const again = await runSync(a, fromCsv, { asOf, now: () => asOf });
  expect(again.stats).toMatchObject({ inserted: 0, unchanged: 1 });
  expect(a.read(['Progress']).Progress!.rows).toHaveLength(1);
});

test('COURSERA_CONTENT_MAP overrides the documented slug and name; a plain slug keeps contentName', async () => {
  api.elements = [learner(1), learner(2, { contentId: 'other-id', contentSlug: 'python', contentName: 'Python' })];
  const batch = await readCourseraApi(
    config({ contentMap: { [sample.contentId]: { slug: 'web-101', name: 'Web basics' }, 'other-id': 'py-101' } }),
  );
  expect(batch.records.map((r) => [r.record.slug, r.record.course])).toEqual([
    ['web-101', 'Web basics'],
    ['py-101', 'Python'],
  ]);
});

test('removal: deletedAt set, or a membershipState other than MEMBER; MEMBER without deletedAt stays', async () => {
  api.elements = [
    learner(1),
    learner(2, { deletedAt: 1569400000000 }),
    learner(3, { membershipState: 'NOT_MEMBER' }),
    learner(4, { membershipState: 'INVITED' }),
    learner(5, { membershipState: 'member', deletedAt: 0 }),
  ];
  const batch = await readCourseraApi(config());
  expect(batch.records.map((r) => r.record.removed)).toEqual([false, true, true, true, false]);
  const wb = new MemoryWorkbook();
  const asOf = Date.UTC(2020, 0, 1);
  const res = await runSync(wb, batch, { asOf, now: () => asOf });
  expect(res.stats.statuses.Removed).toBe(3);
});

test('a newly enrolled learner (no progress, no activity yet) stays in the table as Not started', async () => {
  const fresh = {
    overallProgress: null,
    lastActivityAt: null,
    isCompleted: false,
    completedAt: null,
    grade: null,
    contentCertificateUrl: null,
  };
  api.elements = [
    learner(1, fresh),
    learner(2, { ...fresh, overallProgress: '' }),
    learner(3, { ...fresh, overallProgress: undefined }),
  ];
  const batch = await readCourseraApi(config());
  expect(batch.rejected).toEqual([]);
  expect(batch.records.map((r) => [r.record.progress, r.record.lastActivityAt])).toEqual([
    [0, null],
    [0, null],
    [0, null],
  ]);
  const wb = new MemoryWorkbook();
  const asOf = Date.UTC(2020, 0, 1);
  const res = await runSync(wb, batch, { asOf, now: () => asOf });
  expect(res.stats.statuses).toMatchObject({ 'Not started': 3, 'In progress': 0, Removed: 0 });
});

test('a grade sent as a numeric string is scaled like a number (0.92 → 92 %); a non-numeric one is rejected, named', async () => {
  api.elements = [
    learner(1, { grade: '0.92' }),
    learner(2, { grade: 0.92 }),
    learner(3, { grade: ' 1 ' }),
    learner(4, { grade: '' }),
    learner(5, { grade: 'A' }),
  ];
  const batch = await readCourseraApi(config());
  expect(batch.records.map((r) => r.record.grade)).toEqual([92, 92, 100, null]);
  expect(batch.rejected.map((r) => [r.line, r.reason])).toEqual([
    [5, expect.stringMatching(/element 5 .*field "Course Grade".*"A"/)],
  ]);
});

test('updatedAt stands in for a missing lastActivityAt only when the learner has progress or completed', async () => {
  const updatedAt = 1569315761000;
  api.elements = [
    learner(1, { lastActivityAt: null, overallProgress: 12, isCompleted: false, updatedAt }),
    learner(2, { lastActivityAt: null, overallProgress: 0, isCompleted: false, updatedAt }),
    learner(3, { lastActivityAt: 1569229361000, updatedAt }),
  ];
  const batch = await readCourseraApi(config());
  expect(batch.records.map((r) => r.record.lastActivityAt)).toEqual([updatedAt, null, 1569229361000]);
});

test('the certificate comes from contentCertificateUrl; a batch without that field has no certificate column', async () => {
  api.elements = [learner(1), learner(2, { contentCertificateUrl: null, isCompleted: false })];
  const withField = await readCourseraApi(config());
  expect(withField.hasCertificateColumn).toBe(true);
  expect(withField.records.map((r) => r.record.certificateUrl)).toEqual([sample.contentCertificateUrl, null]);
  const { contentCertificateUrl: _dropped, ...noField } = learner(3);
  api.elements = [noField];
  const without = await readCourseraApi(config());
  expect(without.hasCertificateColumn).toBe(false);
});

test('without contentSlug the opaque contentId is the slug (rows still upsert stably)', async () => {
  const { contentSlug: _s, contentName: _n, ...bare } = learner(1);
  api.elements = [bare];
  const batch = await readCourseraApi(config());
  expect(batch.records.map((r) => [r.record.slug, r.record.course])).toEqual([[sample.contentId, null]]);
});

test('client-credentials token: POST with Basic auth and grant_type=client_credentials; the token is then used as Bearer', async () => {
  api.elements = [learner(1)];
  await readCourseraApi(config());
  const [token, page] = api.requests;
  expect(token.path).toBe('/oauth2/client_credentials/token');
  expect(Buffer.from(token.auth!.replace('Basic ', ''), 'base64').toString()).toBe('client-id:client-secret');
  expect(token.body).toBe('grant_type=client_credentials');
  expect(page.auth).toBe('Bearer tok-1');
  expect(page.query).toEqual({ start: '0', limit: '100' });
});

test.each([
  ['next as a string, total given', 'string', true],
  ['next as a number, total missing', 'number', false],
] as const)('paging: %s — every element once, stops when there is no next', async (_label, nextAs, withTotal) => {
  api.elements = Array.from({ length: 25 }, (_, i) => learner(i));
  api.nextAs = nextAs;
  api.withTotal = withTotal;
  const batch = await readCourseraApi(config({ pageSize: 10 }));
  expect(batch.records.map((r) => r.record.email)).toEqual(api.elements.map((e) => e.externalId));
  expect(batch.records.map((r) => r.line)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  expect(batch.api).toEqual({ pages: 3, elements: 25, otherPrograms: 0, total: withTotal ? 25 : null });
  expect(api.requests.filter((r) => r.path.endsWith('enrollmentReports')).map((r) => r.query.start)).toEqual([
    '0',
    '10',
    '20',
  ]);
});

test('a server that pages by less than the limit asked is followed by its own next', async () => {
  api.elements = Array.from({ length: 7 }, (_, i) => learner(i));
  api.maxLimit = 3;
  const batch = await readCourseraApi(config({ pageSize: 100 }));
  expect(batch.records).toHaveLength(7);
  expect(batch.api.pages).toBe(3);
});

test('an empty organisation gives an empty batch', async () => {
  const batch = await readCourseraApi(config());
  expect(batch.records).toEqual([]);
  expect(batch.source).toBe('coursera-api:org-1/all');
});

test('bad elements are rejected with element number and reason, nothing dropped', async () => {
  api.elements = [
    learner(1),
    learner(2, { overallProgress: 150 }),
    learner(3, { email: null, externalId: 'EMP-0003', id: 'EMP-0003~p~c' }),
    learner(4, { contentType: 'Specialization' }),
    learner(5, { grade: 1.5 }),
  ];
  const batch = await readCourseraApi(config());
  expect(batch.records.map((r) => [r.line, r.record.slug])).toEqual([[1, 'html-css-javascript']]);
  expect(batch.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
  expect(batch.rejected[0].reason).toMatch(
    /element 2 .*field "Overall Progress": Overall Progress must be between 0 and 100/,
  );
  expect(batch.rejected[1].reason).toMatch(/element 3 .*Email is not an e-mail address: "emp-0003"/i);
  expect(batch.rejected[2].reason).toMatch(/contentType is Specialization/);
  expect(batch.rejected[3].reason).toMatch(/Course Grade must be between 0 and 100/);
  expect(JSON.parse(batch.rejected[0].raw)).toMatchObject({ overallProgress: 150 });
});

test('a program id keeps only that program; the source names it; the hash is stable', async () => {
  api.elements = [learner(1), learner(2, { programId: 'other' }), learner(3)];
  const batch = await readCourseraApi(config({ programId: String(sample.programId) }));
  expect(batch.records).toHaveLength(2);
  expect(batch.api.otherPrograms).toBe(1);
  expect(batch.source).toBe(`coursera-api:org-1/${sample.programId}`);
  const again = await readCourseraApi(config({ programId: String(sample.programId) }));
  expect(again.sha256).toBe(batch.sha256);
  expect(batch.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('429 with Retry-After on a page: waits, retries, and gets every element', async () => {
  api.elements = Array.from({ length: 5 }, (_, i) => learner(i));
  api.inject({ status: 429, retryAfter: 3, path: 'reports', times: 2 });
  const batch = await readCourseraApi(config({ pageSize: 2 }));
  expect(batch.records).toHaveLength(5);
  expect(sleeps).toHaveLength(2);
  expect(sleeps.every((ms) => ms >= 3000)).toBe(true);
});

test('a 503 storm gives up with a clear, retryable error', async () => {
  api.elements = [learner(1)];
  api.inject({ status: 503, path: 'reports', times: Infinity });
  const err = await readCourseraApi(
    config({ backoff: { retries: 3, baseDelayMs: 10, sleep: async (ms) => void sleeps.push(ms), random: () => 0 } }),
  ).catch((e) => e);
  expect(err).toBeInstanceOf(CourseraApiError);
  expect(err.message).toMatch(/kept failing with HTTP 503 .*gave up after 4 attempts/);
  expect(err.permanent).toBe(false);
  expect(sleeps).toEqual([5, 10, 20]);
});

test('wrong client secret: one token attempt, a message naming the env vars', async () => {
  const err = await readCourseraApi(config({ clientSecret: 'nope' })).catch((e) => e);
  expect(err.message).toMatch(
    /refused the client credentials \(HTTP 401\): check COURSERA_CLIENT_ID and COURSERA_CLIENT_SECRET/,
  );
  expect(err.permanent).toBe(true);
  expect(api.requests).toHaveLength(1);
});

test('token endpoint 500 then success: retried', async () => {
  api.elements = [learner(1)];
  api.inject({ status: 500, path: 'token' });
  const batch = await readCourseraApi(config());
  expect(batch.records).toHaveLength(1);
  expect(api.issued).toEqual(['tok-1']);
});

test('a token that expires mid-run is renewed once', async () => {
  api.elements = Array.from({ length: 4 }, (_, i) => learner(i));
  let expired = false;
  const fetchWithExpiry: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('start=2') && !expired) {
      expired = true;
      api.expireTokens();
    }
    return fetch(input, init);
  };
  const batch = await readCourseraApi(config({ pageSize: 2, fetch: fetchWithExpiry }));
  expect(batch.records).toHaveLength(4);
  expect(api.issued).toHaveLength(2);
});

test('unknown organisation: 404 with a message naming COURSERA_ORG_ID', async () => {
  const err = await readCourseraApi(config({ orgId: 'nope' })).catch((e) => e);
  expect(err.message).toMatch(/no organisation nope .*check COURSERA_ORG_ID/);
});

test('config from env is validated and names what is missing', () => {
  expect(() => courseraConfigFromEnv({ COURSERA_CLIENT_ID: 'x' })).toThrow(CourseraConfigError);
  expect(() => courseraConfigFromEnv({ COURSERA_CLIENT_ID: 'x' })).toThrow(
    /COURSERA_CLIENT_SECRET is not set; COURSERA_ORG_ID is not set/,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmap-'));
  const map = path.join(dir, 'map.json');
  fs.writeFileSync(map, JSON.stringify({ abc: 'html-css', def: { slug: 'python', name: 'Python' } }));
  const c = courseraConfigFromEnv({
    COURSERA_CLIENT_ID: 'i',
    COURSERA_CLIENT_SECRET: 's',
    COURSERA_ORG_ID: 'o',
    COURSERA_CONTENT_MAP: map,
  });
  expect(c.apiBase).toBe('https://api.coursera.com');
  expect(c.contentMap).toEqual({ abc: 'html-css', def: { slug: 'python', name: 'Python' } });
  fs.writeFileSync(map, JSON.stringify({ abc: 3 }));
  expect(() =>
    courseraConfigFromEnv({
      COURSERA_CLIENT_ID: 'i',
      COURSERA_CLIENT_SECRET: 's',
      COURSERA_ORG_ID: 'o',
      COURSERA_CONTENT_MAP: map,
    }),
  ).toThrow(/COURSERA_CONTENT_MAP=.*abc/);
  expect(() =>
    courseraConfigFromEnv({
      COURSERA_CLIENT_ID: 'i',
      COURSERA_CLIENT_SECRET: 's',
      COURSERA_ORG_ID: 'o',
      COURSERA_API_BASE: 'not a url',
    }),
  ).toThrow(/COURSERA_API_BASE must be a URL/);
});
