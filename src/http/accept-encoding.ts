/**
 * Picks a content coding from Accept-Encoding (RFC 9110 §12.5.3): names are
 * case-insensitive, `q=0` refuses a coding, `*` speaks for codings not named,
 * and the highest weight wins (the server's order breaks ties). Hand-written
 * because @fastify/accept-negotiator sends a coding refused with q=0 when a
 * `*` follows.
 */
export function chooseEncoding<T extends string>(header: string | undefined, offered: readonly T[]): T | undefined {
  if (!header) return undefined
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (!name) continue
    const q = params.find((p) => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    weights.set(name, Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0)
  }
  let best: T | undefined
  let bestWeight = 0
  for (const coding of offered) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0
    if (weight > bestWeight) {
      best = coding
      bestWeight = weight
    }
  }
  return best
}
