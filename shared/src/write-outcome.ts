/**
 * A write whose outcome the backend cannot know: the request went out and no clear answer came
 * back (the connection dropped, a timeout, a 5xx after the server may have applied it). Sending
 * it again could apply it twice — appended rows twice — so a backend throws this instead, and the
 * sync reads the workbook again and plans against what is really there (worker/src/sync/run-sync.ts).
 * A marker code rather than a class, so each backend keeps its own error type (messages, retry hints).
 */
export const WRITE_OUTCOME_UNKNOWN = 'WRITE_OUTCOME_UNKNOWN';

export interface WriteOutcomeUnknown {
  readonly code: typeof WRITE_OUTCOME_UNKNOWN;
}

export function isWriteOutcomeUnknown(error: unknown): error is Error & WriteOutcomeUnknown {
  return error instanceof Error && (error as Partial<WriteOutcomeUnknown>).code === WRITE_OUTCOME_UNKNOWN;
}
