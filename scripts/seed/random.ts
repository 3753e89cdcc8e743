import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded random stream (pure-rand's xoroshiro128+): the same seed gives the same sequence, so
 * the generated world, ids included, is the same on every run. One stream per tenant and table
 * (`Random.for`), so adding a table or changing one table's shape leaves the others' rows as they were.
 */
export class Random {
  private readonly rng;

  private constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** The stream of `seed` for one purpose (a tenant's table), independent of the others. */
  static for(seed: number, ...purpose: (string | number)[]): Random {
    let h = seed | 0;
    for (const ch of purpose.join('/')) h = (Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) + 0x7f4a7c15) | 0;
    return new Random(h);
  }

  /** An integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)]!;
  }

  /** A version-4-shaped UUID from the stream. */
  uuid(): string {
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    const a = hex(this.int(0, 0xffffffff));
    const b = hex(this.int(0, 0xffffffff));
    const c = hex(this.int(0, 0xffffffff));
    const d = hex(this.int(0, 0xffffffff));
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c[0]!, 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }

  /** A time between `from` and `to` (whole seconds). */
  date(from: Date, to: Date): Date {
    return new Date(Math.floor(from.getTime() / 1000 + this.int(0, Math.floor((to.getTime() - from.getTime()) / 1000))) * 1000);
  }
}
