/**
 * One string object per distinct value of a column, while the column repeats itself: a 100k-row
 * table read into memory holds a school, a course or a status 100k times otherwise. Every string a
 * sync keeps outlives the young generation, and on the machines we run on promoting memory costs
 * more than the lookup (a 100k-row re-sync spent ~1 s copying its table into the old generation).
 * A column that turns out to be mostly distinct values (e-mails, names, times) stops being looked up.
 */
const DISTINCT_CAP = 4096;

export class ValueInterner {
  /** Per column: the values seen, or null once the column has more distinct values than are worth sharing. */
  private readonly columns: (Map<string, string> | null | undefined)[] = [];

  intern(col: number, value: string): string {
    let seen = this.columns[col];
    if (seen === null) return value;
    if (seen === undefined) this.columns[col] = seen = new Map();
    const hit = seen.get(value);
    if (hit !== undefined) return hit;
    if (seen.size >= DISTINCT_CAP) {
      this.columns[col] = null;
      return value;
    }
    seen.set(value, value);
    return value;
  }
}
