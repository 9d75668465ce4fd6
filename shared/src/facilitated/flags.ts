/**
 * The facilitated-programme rules, pure: attendance per participant and the flags that follow
 * from it, and the group's size against its minimum. Only `present` and `absent` marks count:
 * an `excused` session is neither attended nor missed, and a session nobody marked for someone
 * is not held against them.
 */
import type { AttendanceMark } from './tables';

export const PARTICIPANT_FLAGS = ['MISSED_SESSIONS', 'ATTENDS_NOT_COMPLETING', 'INVALID_EF_SET_SCORE'] as const;
export type ParticipantFlag = (typeof PARTICIPANT_FLAGS)[number];
export const GROUP_FLAGS = ['BELOW_MINIMUM_SIZE'] as const;
export type GroupFlag = (typeof GROUP_FLAGS)[number];

/** Attendance at or above this share (of sessions marked present or absent) is "attends" for ATTENDS_NOT_COMPLETING. */
export const ATTENDS_RATE = 0.8;

export interface AttendanceTally {
  readonly present: number;
  readonly absent: number;
  readonly excused: number;
  /** present / (present + absent); null when no session is marked either way. */
  readonly rate: number | null;
}

export function tallyAttendance(marks: readonly (AttendanceMark | null)[]): AttendanceTally {
  const count = (m: AttendanceMark) => marks.filter((x) => x === m).length;
  const present = count('present');
  const absent = count('absent');
  return { present, absent, excused: count('excused'), rate: present + absent ? present / (present + absent) : null };
}

/** One of the group's courses as Progress shows it for the participant (absent: never started). */
export interface CourseProgress {
  readonly engagement: number;
  readonly completed: boolean;
}

export interface ParticipantFacts {
  readonly attendance: AttendanceTally;
  /** Settings › Allowed absences. */
  readonly allowedAbsences: number;
  /** The group's End has passed (as-of at or after the end of that day). */
  readonly groupEnded: boolean;
  /** The group's courses, each with the participant's progress or undefined when Progress has no row. */
  readonly courses: readonly (CourseProgress | undefined)[];
  /** Settings › Engagement threshold %. */
  readonly engagementThreshold: number;
  readonly invalidScore: boolean;
  /** Selected for the group (applicants and the withdrawn get no attendance flags). */
  readonly active: boolean;
}

/** Below the threshold and not completed: what "progress below the threshold" means after the group's End. */
const notCompleting = (c: CourseProgress | undefined, threshold: number): boolean =>
  !c || (!c.completed && c.engagement < threshold);

export function participantFlags(f: ParticipantFacts): ParticipantFlag[] {
  const flags: ParticipantFlag[] = [];
  if (f.active && f.attendance.absent > f.allowedAbsences) flags.push('MISSED_SESSIONS');
  if (
    f.active &&
    f.groupEnded &&
    f.attendance.rate !== null &&
    f.attendance.rate >= ATTENDS_RATE &&
    f.courses.some((c) => notCompleting(c, f.engagementThreshold))
  )
    flags.push('ATTENDS_NOT_COMPLETING');
  if (f.invalidScore) flags.push('INVALID_EF_SET_SCORE');
  return flags;
}

export function groupFlags(activeParticipants: number, minimumSize: number): GroupFlag[] {
  return activeParticipants < minimumSize ? ['BELOW_MINIMUM_SIZE'] : [];
}

/** `end` (YYYY-MM-DD) has passed at `asOf`: the day is over on the configured clock. */
export function hasEnded(endOfDay: number | null, asOf: number): boolean {
  return endOfDay !== null && asOf >= endOfDay;
}
