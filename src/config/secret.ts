import { createHash, timingSafeEqual } from 'node:crypto'
import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * A value that must never be printed: it renders as "[redacted]" through
 * String(), JSON.stringify() and util.inspect() (hence pino and console), so
 * logging a whole config object cannot leak it. Only `reveal()` gives the
 * value, and lint allows that call in the upstream client alone; a token
 * that is only compared (METRICS_TOKEN) is never revealed at all.
 */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  get length(): number {
    return this.#value.length
  }

  /** Whether `candidate` is the secret, in time that does not depend on where they differ. */
  equals(candidate: string): boolean {
    const digest = (text: string) => createHash('sha256').update(text).digest()
    return timingSafeEqual(digest(candidate), digest(this.#value))
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [inspect.custom](): string {
    return REDACTED
  }
}
