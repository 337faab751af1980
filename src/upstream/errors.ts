/**
 * What can go wrong talking to the upstream: a flat set with stable codes
 * (the undici habit). `reason` is the short text shown to people (health,
 * logs); `message` is the detail for operators. None ever carries the key.
 */
export type UpstreamErrorCode =
  'UPSTREAM_UNAUTHORIZED' | 'UPSTREAM_RATE_LIMITED' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_INVALID_RESPONSE'

export abstract class UpstreamError extends Error {
  abstract readonly code: UpstreamErrorCode
  abstract readonly reason: string

  /** The upstream's HTTP status, when it answered at all. */
  readonly upstreamStatus: number | undefined

  constructor(message: string, upstreamStatus?: number) {
    super(message)
    this.name = new.target.name
    this.upstreamStatus = upstreamStatus
  }
}

/** 401 or 403: the key is missing, wrong or revoked. */
export class UpstreamUnauthorizedError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAUTHORIZED'
  readonly reason = 'unauthorized'
}

/** 429: over the key's quota. `retryAfterMs` comes from Retry-After when sent. */
export class UpstreamRateLimitedError extends UpstreamError {
  readonly code = 'UPSTREAM_RATE_LIMITED'
  readonly reason = 'rate limited'

  constructor(
    message: string,
    upstreamStatus: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, upstreamStatus)
  }
}

/** No usable answer: refused, reset, timed out, redirected, or another non-2xx status. */
export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE'
  readonly reason = 'unavailable'
}

/** A 2xx answer that is not the documented JSON: HTML, malformed, oversize, wrong shape. */
export class UpstreamInvalidResponseError extends UpstreamError {
  readonly code = 'UPSTREAM_INVALID_RESPONSE'
  readonly reason = 'invalid response'
}
