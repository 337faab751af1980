import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * A value that must never be printed: it renders as "[redacted]" through
 * String(), JSON.stringify() and util.inspect() (hence pino and console), so
 * logging a whole config object cannot leak it. Only `reveal()` gives the
 * value, and lint allows that call in the upstream client alone.
 */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
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
