/**
 * Typed failures of the admin and mentor workflows. `kind` tells a front end what happened:
 * `input` — the request itself is wrong (unknown e-mail, non-numeric points: CLI exit 2);
 * `refused` — the request is understood but the rules forbid it (CLI exit 3).
 * Either way nothing has been written: the pure functions throw before returning a plan.
 * Codes are closed unions, so a front end that maps codes to messages must name every one.
 */
import { InputError } from './errors';

/** The request is wrong: the caller should fix it. */
export type RequestCode =
  | 'NO_ACTOR'
  | 'BAD_ACTOR'
  | 'NO_EMAIL'
  | 'BAD_EMAIL'
  | 'NO_COURSE'
  | 'NO_PROGRESS'
  | 'NO_ROW'
  | 'NO_GRADE'
  | 'NO_REASON'
  | 'REASON_TOO_SHORT'
  | 'REASON_TOO_LONG'
  | 'NO_OVERRIDE_CODE'
  | 'BAD_OVERRIDE_CODE'
  | 'NO_COHORT'
  | 'NO_CANDIDATES'
  | 'CANDIDATES_COLUMNS'
  | 'UNKNOWN_EMAIL'
  | 'UNKNOWN_COURSE'
  | 'UNKNOWN_CANDIDATE'
  | 'BAD_POINTS'
  | 'BAD_DECISION'
  | 'SAME_PERSON';

/** An approval or revoke the rules forbid. */
export type ApprovalCode =
  'NOT_ALLOWED' | 'NOT_READY' | 'OVERRIDE_NOT_ADMIN' | 'OVERRIDE_NOT_COMPLETED' | 'ALREADY_APPROVED' | 'NOT_APPROVED';

/** An enrollment, replacement or match decision the workbook's state forbids. */
export type EnrollmentCode =
  | 'NOT_ADMIN'
  | 'NOT_POSSIBLE_MATCH'
  | 'NOT_ELIGIBLE'
  | 'UNCHECKED'
  | 'STALE_CHECK'
  | 'POSSIBLE_MATCH'
  | 'ALREADY_ON_ROSTER'
  | 'NOT_ACTIVE'
  /** `--cohort` differs from Settings `Cohort` (a typo?) and was not confirmed as a new cohort. */
  | 'COHORT_MISMATCH'
  /** Unenroll: the Roster row is of another cohort than Settings `Cohort`. */
  | 'NOT_CURRENT_COHORT';

export type RuleCode = RequestCode | ApprovalCode | EnrollmentCode;

export type RuleErrorKind = 'input' | 'refused';

export class RuleError extends InputError {
  constructor(
    readonly kind: RuleErrorKind,
    /** Stable machine code, e.g. `NOT_ALLOWED`, `NOT_READY`, `UNKNOWN_EMAIL`. */
    readonly code: RuleCode,
    message: string,
  ) {
    super(message);
  }
}

/** Bad request: the caller should fix the input. */
export class InvalidRequest extends RuleError {
  declare readonly code: RequestCode;
  constructor(code: RequestCode, message: string) {
    super('input', code, message);
  }
}

/** Approval / revoke not allowed (wrong person, row not ready, already approved…). */
export class ApprovalRefused extends RuleError {
  declare readonly code: ApprovalCode;
  constructor(code: ApprovalCode, message: string) {
    super('refused', code, message);
  }
}

/** Enroll / replace / match decision not allowed in the current state of the workbook. */
export class EnrollmentRefused extends RuleError {
  declare readonly code: EnrollmentCode;
  constructor(code: EnrollmentCode, message: string) {
    super('refused', code, message);
  }
}
