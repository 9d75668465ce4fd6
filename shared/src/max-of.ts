/**
 * The largest of many numbers, without `Math.max(...values)`: spreading an array into arguments
 * overflows the call stack somewhere past ~100k elements (a big import, many rejected rows).
 */
export function maxOf<T>(items: readonly T[], value: (item: T) => number, floor = -Infinity): number {
  let max = floor;
  for (const item of items) {
    const v = value(item);
    if (v > max) max = v;
  }
  return max;
}
