import { describe, expect, it } from 'vitest'
import { ConfigError, configWarnings, DEFAULT_API_URL, loadConfig } from '../src/config.js'

const KEY = 'sk_live_config_test_secret'

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    const error = err as ConfigError
    expect(error.message).not.toContain(KEY)
    return error.problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ MONITOR_API_KEY: KEY })
    expect(config).toMatchObject({
      apiUrl: DEFAULT_API_URL,
      port: 3000,
      host: '0.0.0.0',
      cacheTtlSeconds: 300,
      staleIfErrorSeconds: 1800,
      upstreamTimeoutMs: 5000,
      badgeLabel: 'status',
      badgeWords: { messages: {}, colors: {} },
      badgeMaxAgeSeconds: 60,
      logLevel: 'info',
      shutdownDrainSeconds: 2,
      publicComponents: new Set(),
      publicUrl: undefined,
      trustProxy: false,
      corsOrigins: '*',
      metricsEnabled: true,
      metricsToken: undefined,
      upstreamMaxPerMinute: 30,
      upstreamMaxPerHour: 500,
      webhookTokens: undefined,
      webhookMinIntervalSeconds: 10,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reads every variable', () => {
    const config = loadConfig({
      MONITOR_API_KEY: KEY,
      MONITOR_API_URL: 'http://127.0.0.1:8080/api.php/',
      PORT: '8080',
      HOST: '127.0.0.1',
      CACHE_TTL_SECONDS: '600',
      STALE_IF_ERROR_SECONDS: '0',
      UPSTREAM_TIMEOUT_MS: '2500',
      BADGE_LABEL: 'our API',
      BADGE_MAX_AGE_SECONDS: '120',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_SECONDS: '0',
    })
    expect(config).toMatchObject({
      apiUrl: 'http://127.0.0.1:8080/api.php',
      port: 8080,
      host: '127.0.0.1',
      cacheTtlSeconds: 600,
      staleIfErrorSeconds: 0,
      upstreamTimeoutMs: 2500,
      badgeLabel: 'our API',
      badgeMaxAgeSeconds: 120,
      logLevel: 'warn',
      shutdownDrainSeconds: 0,
    })
    expect(config.apiKey.reveal()).toBe(KEY)
  })

  it('reads PUBLIC_COMPONENTS as "*" or a list of ids', () => {
    expect(loadConfig({ MONITOR_API_KEY: KEY, PUBLIC_COMPONENTS: '*' }).publicComponents).toBe('*')
    expect(loadConfig({ MONITOR_API_KEY: KEY, PUBLIC_COMPONENTS: ' 1, web-2 ,' }).publicComponents).toEqual(
      new Set(['1', 'web-2']),
    )
  })

  it('reads PUBLIC_URL without its trailing slash', () => {
    expect(loadConfig({ MONITOR_API_KEY: KEY, PUBLIC_URL: 'https://status.example.com/badges/' }).publicUrl).toBe(
      'https://status.example.com/badges',
    )
  })

  it.each([
    ['false', false],
    ['true', true],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.1 ,::1, fd00::/8, loopback', ['10.0.0.0/8', '192.168.1.1', '::1', 'fd00::/8', 'loopback']],
  ] as const)('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ MONITOR_API_KEY: KEY, TRUST_PROXY: value }).trustProxy).toEqual(expected)
  })

  it('reads CORS_ORIGINS as "*" or a list of origins', () => {
    expect(
      loadConfig({ MONITOR_API_KEY: KEY, CORS_ORIGINS: 'https://a.example, http://localhost:8080' }).corsOrigins,
    ).toEqual(['https://a.example', 'http://localhost:8080'])
  })

  it('reads the metrics settings, keeping the token secret', () => {
    const config = loadConfig({ MONITOR_API_KEY: KEY, METRICS_ENABLED: 'false', METRICS_TOKEN: 'tok-0123456789abcdef' })
    expect(config.metricsEnabled).toBe(false)
    expect(config.metricsToken?.equals('tok-0123456789abcdef')).toBe(true)
    expect(config.metricsToken?.equals('tok-0123456789abcdeF')).toBe(false)
    expect(JSON.stringify(config)).not.toContain('tok-0123456789abcdef')
  })

  it('reads the upstream budget: any positive whole number', () => {
    const config = loadConfig({
      MONITOR_API_KEY: KEY,
      UPSTREAM_MAX_PER_MINUTE: '1',
      UPSTREAM_MAX_PER_HOUR: '1000000',
      WEBHOOK_MIN_INTERVAL_SECONDS: '60',
    })
    expect(config).toMatchObject({
      upstreamMaxPerMinute: 1,
      upstreamMaxPerHour: 1_000_000,
      webhookMinIntervalSeconds: 60,
    })
  })

  it('reads WEBHOOK_TOKEN as one token, or two while rotating, keeping them secret', () => {
    const one = 'wh-0123456789abcdefghijklmn'
    const two = 'wh_ZYXWVUTSRQPONMLKJIHGFE.~'
    const single = loadConfig({ MONITOR_API_KEY: KEY, WEBHOOK_TOKEN: one })
    expect(single.webhookTokens).toHaveLength(1)
    expect(single.webhookTokens?.[0]?.equals(one)).toBe(true)
    const rotating = loadConfig({ MONITOR_API_KEY: KEY, WEBHOOK_TOKEN: ` ${one} , ${two} ` })
    expect(rotating.webhookTokens?.map((token) => token.equals(two))).toEqual([false, true])
    expect(JSON.stringify(rotating)).not.toContain(one)
    expect(JSON.stringify(rotating)).not.toContain(two)
  })

  it('treats empty values as unset', () => {
    const config = loadConfig({ MONITOR_API_KEY: KEY, PORT: '', CACHE_TTL_SECONDS: '  ' })
    expect(config.port).toBe(3000)
    expect(config.cacheTtlSeconds).toBe(300)
  })

  it('clamps the badge max-age to the TTL', () => {
    expect(loadConfig({ MONITOR_API_KEY: KEY, CACHE_TTL_SECONDS: '30' }).badgeMaxAgeSeconds).toBe(30)
  })

  it('requires the key, naming the variable', () => {
    expect(problemsOf({})).toEqual(['MONITOR_API_KEY is required (the Server Monitor API key)'])
    expect(problemsOf({ MONITOR_API_KEY: '' })[0]).toMatch(/^MONITOR_API_KEY is required/)
  })

  it('refuses a key that cannot travel in a header, without echoing it', () => {
    expect(problemsOf({ MONITOR_API_KEY: `${KEY} with space` })).toEqual([
      'MONITOR_API_KEY must be printable ASCII without spaces',
    ])
  })

  it.each([
    ['CACHE_TTL_SECONDS', '4', 'CACHE_TTL_SECONDS must be a whole number from 5 to 3600'],
    ['CACHE_TTL_SECONDS', '3601', 'CACHE_TTL_SECONDS must be a whole number from 5 to 3600'],
    ['CACHE_TTL_SECONDS', '300.5', 'CACHE_TTL_SECONDS must be a whole number from 5 to 3600'],
    ['CACHE_TTL_SECONDS', 'five', 'CACHE_TTL_SECONDS must be a whole number from 5 to 3600'],
    ['CACHE_TTL_SECONDS', '99999999999999999999', 'CACHE_TTL_SECONDS must be a whole number from 5 to 3600'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535'],
    ['PORT', '-1', 'PORT must be a whole number from 0 to 65535'],
    ['STALE_IF_ERROR_SECONDS', 'x', 'STALE_IF_ERROR_SECONDS must be a whole number from 0 to 604800'],
    ['UPSTREAM_TIMEOUT_MS', '50', 'UPSTREAM_TIMEOUT_MS must be a whole number from 100 to 60000'],
    ['BADGE_MAX_AGE_SECONDS', '1e3', 'BADGE_MAX_AGE_SECONDS must be a whole number from 0 to 86400'],
    ['BADGE_LABEL', 'x'.repeat(65), 'BADGE_LABEL must be at most 64 characters'],
    ['SHUTDOWN_DRAIN_SECONDS', '6', 'SHUTDOWN_DRAIN_SECONDS must be a whole number from 0 to 5'],
    [
      'PUBLIC_COMPONENTS',
      '1,../2',
      'PUBLIC_COMPONENTS must be "*" or a comma list of monitor ids (letters, digits, "-", "_")',
    ],
    [
      'PUBLIC_COMPONENTS',
      '*,1',
      'PUBLIC_COMPONENTS must be "*" or a comma list of monitor ids (letters, digits, "-", "_")',
    ],
    ['PUBLIC_URL', 'status.example.com', 'PUBLIC_URL must be an absolute http(s) URL'],
    ['PUBLIC_URL', 'https://example.com/?a=1', 'PUBLIC_URL must not contain a query string or fragment'],
    ['TRUST_PROXY', '1', 'TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges'],
    ['TRUST_PROXY', 'yes please', 'TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges'],
    ['TRUST_PROXY', '10.0.0.0/33', 'TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges'],
    ['TRUST_PROXY', '10.0.0.300', 'TRUST_PROXY must be true, false, or a comma list of IP addresses or CIDR ranges'],
    [
      'CORS_ORIGINS',
      'https://a.example/path',
      'CORS_ORIGINS must be "*" or a comma list of origins like https://www.example.com (no path)',
    ],
    [
      'CORS_ORIGINS',
      'a.example',
      'CORS_ORIGINS must be "*" or a comma list of origins like https://www.example.com (no path)',
    ],
    ['METRICS_ENABLED', 'yes', 'METRICS_ENABLED must be true or false'],
    [
      'BADGE_MESSAGES',
      'down',
      'BADGE_MESSAGES must be a comma list of state=value pairs, states among operational, degraded, partialOutage, majorOutage, maintenance, unknown',
    ],
    [
      'BADGE_MESSAGES',
      'major_outage=down',
      'BADGE_MESSAGES must be a comma list of state=value pairs, states among operational, degraded, partialOutage, majorOutage, maintenance, unknown',
    ],
    [
      'BADGE_MESSAGES',
      'up=x,up=y',
      'BADGE_MESSAGES must be a comma list of state=value pairs, states among operational, degraded, partialOutage, majorOutage, maintenance, unknown',
    ],
    ['BADGE_MESSAGES', 'unknown=%E0%A4%A', 'BADGE_MESSAGES has a value that is not valid percent-encoding'],
    ['BADGE_MESSAGES', 'unknown=', 'BADGE_MESSAGES: each value must be 1 to 64 characters without control characters'],
    [
      'BADGE_MESSAGES',
      'unknown=a%0Ab',
      'BADGE_MESSAGES: each value must be 1 to 64 characters without control characters',
    ],
    [
      'BADGE_MESSAGES',
      `unknown=${'x'.repeat(65)}`,
      'BADGE_MESSAGES: each value must be 1 to 64 characters without control characters',
    ],
    ['BADGE_MESSAGES', 'x'.repeat(4097), 'BADGE_MESSAGES must be at most 4096 characters'],
    [
      'BADGE_COLORS',
      'majorOutage=blackish',
      'BADGE_COLORS: each value must be a colour name (brightgreen, red…) or hex (ff8800)',
    ],
    [
      'BADGE_COLORS',
      'degraded',
      'BADGE_COLORS must be a comma list of state=value pairs, states among operational, degraded, partialOutage, majorOutage, maintenance, unknown',
    ],
    ['HOST', 'not a host', 'HOST must be an IP address (0.0.0.0, ::, 127.0.0.1) or a host name'],
    ['HOST', '999.1.1.1:80', 'HOST must be an IP address (0.0.0.0, ::, 127.0.0.1) or a host name'],
    ['PORT', '0x10', 'PORT must be a whole number from 0 to 65535'],
    ['METRICS_TOKEN', 'two words', 'METRICS_TOKEN must be printable ASCII without spaces'],
    ['UPSTREAM_MAX_PER_MINUTE', '0', 'UPSTREAM_MAX_PER_MINUTE must be a positive whole number (calls in any 60 s)'],
    ['UPSTREAM_MAX_PER_MINUTE', '2.5', 'UPSTREAM_MAX_PER_MINUTE must be a positive whole number (calls in any 60 s)'],
    ['UPSTREAM_MAX_PER_HOUR', '-5', 'UPSTREAM_MAX_PER_HOUR must be a positive whole number (calls in any 3600 s)'],
    ['UPSTREAM_MAX_PER_HOUR', 'lots', 'UPSTREAM_MAX_PER_HOUR must be a positive whole number (calls in any 3600 s)'],
    ['WEBHOOK_MIN_INTERVAL_SECONDS', '0', 'WEBHOOK_MIN_INTERVAL_SECONDS must be a whole number from 1 to 3600'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    ['MONITOR_API_URL', 'not a url', 'MONITOR_API_URL must be an absolute http(s) URL'],
    ['MONITOR_API_URL', 'ftp://example.com/api.php', 'MONITOR_API_URL must use http or https'],
    [
      'MONITOR_API_URL',
      'https://user:pw@example.com/api.php',
      'MONITOR_API_URL must not contain credentials (the key goes in MONITOR_API_KEY)',
    ],
    [
      'MONITOR_API_URL',
      'https://example.com/api.php?key=1',
      'MONITOR_API_URL must not contain a query string or fragment',
    ],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problemsOf({ MONITOR_API_KEY: KEY, [name]: value })).toEqual([message])
  })

  it('reads BADGE_MESSAGES and BADGE_COLORS, percent-decoded, colours in one form', () => {
    const config = loadConfig({
      MONITOR_API_KEY: KEY,
      BADGE_MESSAGES: ' majorOutage=down%2C%20sorry , operational=a%3Db=c ',
      BADGE_COLORS: 'majorOutage=F80,operational=success,unknown=%23123456,maintenance=black',
    })
    expect(config.badgeWords).toEqual({
      messages: { majorOutage: 'down, sorry', operational: 'a=b=c' },
      colors: { majorOutage: '#ff8800', operational: 'brightgreen', unknown: '#123456', maintenance: 'black' },
    })
  })

  it.each([
    'short-token-23-chars-xx',
    `${'a'.repeat(24)},${'b'.repeat(24)},${'c'.repeat(24)}`,
    `${'a'.repeat(24)},short`,
    `${'a'.repeat(24)},`,
    `${'a'.repeat(24)}&x=1`,
    `${'a'.repeat(24)} ${'b'.repeat(24)}`,
  ])('refuses WEBHOOK_TOKEN=%s without echoing it', (value) => {
    const problems = problemsOf({ MONITOR_API_KEY: KEY, WEBHOOK_TOKEN: value })
    expect(problems).toEqual([
      'WEBHOOK_TOKEN must be at least 24 characters (letters, digits, "-", "_", ".", "~"), ' +
        'or two such tokens separated by a comma while one is rotated',
    ])
    expect(problems.join('\n')).not.toContain('a'.repeat(24))
  })

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' })).toHaveLength(3)
  })

  it('never shows the key when the config is logged or printed', () => {
    const config = loadConfig({ MONITOR_API_KEY: KEY })
    expect(JSON.stringify(config)).not.toContain(KEY)
    expect(String(config.apiKey)).toBe('[redacted]')
    expect(JSON.stringify(config)).toContain('"apiKey":"[redacted]"')
  })
})

describe('configWarnings', () => {
  it('is quiet when polls fit the upstream budget', () => {
    expect(configWarnings(loadConfig({ MONITOR_API_KEY: KEY }))).toEqual([])
    // 2 calls every 15 s: 480 an hour, within the default 500.
    expect(configWarnings(loadConfig({ MONITOR_API_KEY: KEY, CACHE_TTL_SECONDS: '15' }))).toEqual([])
    expect(
      configWarnings(loadConfig({ MONITOR_API_KEY: KEY, CACHE_TTL_SECONDS: '5', UPSTREAM_MAX_PER_HOUR: '1440' })),
    ).toEqual([])
  })

  it('warns about a short metrics token', () => {
    expect(configWarnings(loadConfig({ MONITOR_API_KEY: KEY, METRICS_TOKEN: 'short' }))).toEqual([
      'METRICS_TOKEN is shorter than 16 characters: easy to guess',
    ])
  })

  it('warns once when the TTL is too short for the hourly budget, naming the interval it will poll at', () => {
    const warnings = configWarnings(loadConfig({ MONITOR_API_KEY: KEY, CACHE_TTL_SECONDS: '5' }))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^CACHE_TTL_SECONDS=5 would poll more often than UPSTREAM_MAX_PER_HOUR=500 allows/)
    expect(warnings[0]).toMatch(/polling every 15 s instead/)
    expect(warnings[0]).toMatch(/UPSTREAM_MAX_PER_MINUTE or UPSTREAM_MAX_PER_HOUR/)
  })

  it('names the per-minute budget when that is the tighter one', () => {
    const [warning] = configWarnings(
      loadConfig({ MONITOR_API_KEY: KEY, CACHE_TTL_SECONDS: '30', UPSTREAM_MAX_PER_MINUTE: '2' }),
    )
    expect(warning).toMatch(/CACHE_TTL_SECONDS=30 would poll more often than UPSTREAM_MAX_PER_MINUTE=2 allows/)
    expect(warning).toMatch(/polling every 60 s instead/)
  })
})

describe('the fleet variables', () => {
  it('read REDIS_URL as a secret URL and a credential-free place to name in logs', () => {
    expect(loadConfig({ MONITOR_API_KEY: KEY }).redis).toBeUndefined()
    expect(loadConfig({ MONITOR_API_KEY: KEY, REDIS_URL: '' }).redis).toBeUndefined()
    const config = loadConfig({ MONITOR_API_KEY: KEY, REDIS_URL: 'rediss://user:pa%40ss@cache.internal:6380/3' })
    expect(config.redis?.where).toBe('rediss://cache.internal:6380/3')
    expect(String(config.redis?.url)).toBe('[redacted]')
    expect(loadConfig({ MONITOR_API_KEY: KEY, REDIS_URL: 'redis://redis' }).redis?.where).toBe('redis://redis/0')
    expect(config.fleetSizeHint).toBe(2)
    expect(config.fleetLeaseSeconds).toBe(10)
  })

  it.each(['redis:/', 'http://redis:6379', 'redis://redis:6379/0?password=x', 'redis://redis:6379/a', 'redis:///0'])(
    'refuse REDIS_URL=%s, naming the variable',
    (value) => {
      expect(() => loadConfig({ MONITOR_API_KEY: KEY, REDIS_URL: value })).toThrow(/REDIS_URL must be a redis:\/\//)
    },
  )

  it('bound FLEET_SIZE_HINT and FLEET_LEASE_SECONDS', () => {
    expect(() => loadConfig({ MONITOR_API_KEY: KEY, FLEET_SIZE_HINT: '0' })).toThrow(/FLEET_SIZE_HINT must be/)
    expect(() => loadConfig({ MONITOR_API_KEY: KEY, FLEET_LEASE_SECONDS: '1' })).toThrow(/FLEET_LEASE_SECONDS/)
    expect(loadConfig({ MONITOR_API_KEY: KEY, FLEET_SIZE_HINT: '4' }).fleetSizeHint).toBe(4)
  })

  it('warn when the share of the budget each replica has without Redis is too small for the TTL', () => {
    const base = { MONITOR_API_KEY: KEY, REDIS_URL: 'redis://redis:6379/0', CACHE_TTL_SECONDS: '15' }
    // 480 calls an hour fit 500, but not 500 / 2.
    const [warning, ...rest] = configWarnings(loadConfig(base))
    expect(rest).toEqual([])
    expect(warning).toMatch(/FLEET_SIZE_HINT=2: 15 calls a minute, 250 an hour.*a poll every 29 s, not every 15 s/)
    // Without Redis there is no fallback to warn about; with a TTL that fits the share, none either.
    expect(configWarnings(loadConfig({ ...base, REDIS_URL: '' }))).toEqual([])
    expect(configWarnings(loadConfig({ ...base, CACHE_TTL_SECONDS: '300' }))).toEqual([])
  })
})
