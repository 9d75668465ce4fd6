/** Builds export batches the way a CSV source would: header by name, every row validated. */
import { mapExportHeader, parseExportRow, type ExportRecord, type RejectedRow } from '../src/export-record';
import type { ExportBatch } from '../src/sync-plan';

export const HEADER_2020 = [
  'Name',
  'Email',
  'External Id',
  'Course',
  'Course ID',
  'Course Slug',
  'University',
  'Enrollment Time',
  'Class Start Time',
  'Last Course Activity Time',
  'Overall Progress',
  'Estimated Learning Hours',
  'Completed',
  'Removed From Program',
  'Program Slug',
  'Program Name',
  'Enrollment Source',
  'Completion Time',
  'Course Grade',
];

export type LineInput = Partial<Record<string, string>>;

export function exportBatch(lines: LineInput[], header: string[] = HEADER_2020, source = 'test.csv'): ExportBatch {
  const map = mapExportHeader(header);
  const records: { line: number; record: ExportRecord }[] = [];
  const rejected: RejectedRow[] = [];
  lines.forEach((l, i) => {
    const values = header.map((h) => l[h] ?? '');
    const parsed = parseExportRow(map, values, i + 2);
    if (parsed.ok) records.push({ line: parsed.line, record: parsed.record });
    else rejected.push(parsed.rejected);
  });
  return {
    source,
    sha256: 'f'.repeat(64),
    records,
    rejected,
    hasCertificateColumn: map.positions.certificateUrl !== undefined,
  };
}

export const line = (email: string, slug: string, over: LineInput = {}): LineInput => ({
  Email: email,
  'Course Slug': slug,
  Course: `Course ${slug}`,
  'Enrollment Time': '2026-02-01T08:00:00.000Z',
  'Last Course Activity Time': '2026-03-01T08:00:00.000Z',
  'Overall Progress': '75',
  'Estimated Learning Hours': '4.5',
  Completed: 'No',
  'Removed From Program': 'No',
  'Course Grade': '0',
  ...over,
});
