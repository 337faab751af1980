import type { BadgeColor } from './colors.js'
import type { Face } from './faces.js'

/**
 * Colours by uptime percentage, highest first: the first threshold the value
 * reaches wins. The upstream's figure is up ÷ total monitors × 100 at the
 * moment of the poll, so with 5 monitors one down reads 80%.
 */
export const UPTIME_THRESHOLDS: ReadonlyArray<readonly [number, BadgeColor]> = [
  [99.9, 'brightgreen'],
  [99, 'green'],
  [95, 'yellowgreen'],
  [90, 'yellow'],
  [80, 'orange'],
  [0, 'red'],
]

/**
 * "99.95%": rounded down to at most two decimals, without trailing zeros, so
 * that "100%" means exactly 100. Cuts the number's shortest decimal form
 * (what the upstream sent), never binary arithmetic (99.95 * 100 is
 * 9994.999…) nor toFixed (which rounds 99.999999999999 up to 100).
 */
export function formatUptime(percentage: number): string {
  // Below 1e-6 String() switches to exponent form; such a figure reads 0%.
  const [whole = '0', fraction = ''] = (percentage < 1e-6 ? '0' : String(percentage)).split('.')
  const decimals = fraction.slice(0, 2).replace(/0+$/, '')
  return `${whole}${decimals ? `.${decimals}` : ''}%`
}

export function uptimeColor(percentage: number): BadgeColor {
  return UPTIME_THRESHOLDS.find(([minimum]) => percentage >= minimum)?.[1] ?? 'red'
}

export function uptimeFace(percentage: number | undefined): Face {
  if (percentage === undefined) return { message: 'unknown', color: 'lightgrey' }
  return { message: formatUptime(percentage), color: uptimeColor(percentage) }
}
