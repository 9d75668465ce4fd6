/**
 * One sync per target across every worker process: a Redis key per target holding a random token,
 * with a TTL renewed while the sync runs. Deduplication already keeps one job per target, but a
 * scheduler's job, a job recovered from a stalled worker or a retry can still meet another job for
 * the same target; this lock is what guarantees two workers never write one workbook at once.
 * A worker that dies leaves the key to expire after the TTL.
 */
import crypto from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface HeldLock {
  readonly key: string;
  /** False once a renewal found the key gone or taken (the TTL ran out, e.g. during a long Redis outage). */
  readonly held: boolean;
  release(): Promise<void>;
}

export class TargetLocks {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly log?: Logger,
  ) {}

  /** Under the queue prefix, so on Redis Cluster it carries the same `{…}` hash tag (same slot) as the queues. */
  keyFor(target: string): string {
    return `${this.prefix}:target-lock:${target}`;
  }

  /** Takes the lock or returns null when another sync holds it. */
  async acquire(target: string): Promise<HeldLock | null> {
    const key = this.keyFor(target);
    const token = crypto.randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;
    let held = true;
    const renew = async () => {
      try {
        const n = await this.redis.eval(RENEW, 1, key, token, String(this.ttlMs));
        if (Number(n) !== 1) {
          held = false;
          this.log?.error(
            { target },
            'target lock lost (expired or taken over); another sync may start on this target',
          );
        }
      } catch (e) {
        // Redis away: keep trying; the key keeps its TTL meanwhile.
        this.log?.warn({ target, err: (e as Error).message }, 'could not renew target lock');
      }
    };
    const timer = setInterval(() => void renew(), Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    return {
      key,
      get held() {
        return held;
      },
      release: async () => {
        clearInterval(timer);
        try {
          await this.redis.eval(RELEASE, 1, key, token);
        } catch (e) {
          this.log?.warn({ target, err: (e as Error).message }, 'could not release target lock; it expires by itself');
        }
      },
    };
  }

  /** Who holds it (for messages): the remaining TTL, or null when free. */
  async ttl(target: string): Promise<number | null> {
    const ms = await this.redis.pttl(this.keyFor(target));
    return ms > 0 ? ms : null;
  }
}
