import { hash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { COLOR_NAMES, COLOR_PATTERN, normalColor } from './colors.js'
import type { BadgeError } from './faces.js'
import { BADGE_STYLES, type BadgeStyle } from './render.js'
import { FACE_STATES, NO_STATE_WORDS, type FaceState, type StateWords } from './states.js'
import { THEMES, type Theme } from './themes.js'

export { COLOR_NAMES }

/** No control characters or noncharacters: they cannot appear in an SVG (XML) document. */
export const TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f\\ufffe\\uffff]*$'
export const MAX_LABEL_LENGTH = 64
/** A logo given as data: its SVG, decoded, is at most this many bytes. */
export const MAX_LOGO_BYTES = 8 * 1024
export const DATA_LOGO_PREFIX = 'data:image/svg+xml;base64,'
/**
 * A simple-icons slug (letters, digits, "_"), or an SVG as a base64 data URL;
 * empty is no logo (as a form sends an empty field). A "+" arrives as a space
 * unless it was sent as %2B: both are taken.
 */
const LOGO_PATTERN = '^([A-Za-z0-9_]{0,64}|data:image/svg[+ ]xml;base64,[A-Za-z0-9+/ ]+={0,2})$'
const MAX_LOGO_PARAMETER = DATA_LOGO_PREFIX.length + Math.ceil(MAX_LOGO_BYTES / 3) * 4

const TEXT = { type: 'string', maxLength: MAX_LABEL_LENGTH, pattern: TEXT_PATTERN } as const
const MESSAGE = { ...TEXT, minLength: 1 } as const
const COLOR = { type: 'string', pattern: COLOR_PATTERN } as const

/** The names of `<state>Message` and `<state>Color`, for every state: on every route, used by badges of a status. */
export const STATE_PARAMETERS: readonly string[] = FACE_STATES.flatMap((state) => [`${state}Message`, `${state}Color`])

/** The same as two patterns: one validator branch each, not twelve (README, "Memory"). */
const STATE_PATTERNS = {
  [`^(${FACE_STATES.join('|')})Message$`]: MESSAGE,
  [`^(${FACE_STATES.join('|')})Color$`]: COLOR,
}

/** Query parameters of the image routes (.svg, .png) besides the states'; any others are ignored. */
const IMAGE_PROPERTIES = {
  style: { type: 'string', enum: BADGE_STYLES },
  label: TEXT,
  labelColor: COLOR,
  color: COLOR,
  logo: { type: 'string', maxLength: MAX_LOGO_PARAMETER, pattern: LOGO_PATTERN },
  logoColor: COLOR,
  theme: { type: 'string', enum: THEMES },
} as const

/** Every query parameter an image reads. */
export const IMAGE_PARAMETERS: readonly string[] = [...Object.keys(IMAGE_PROPERTIES), ...STATE_PARAMETERS]

/**
 * The query schemas, each shared by every route of its kind by $id: the
 * registry adds them once and routes refer to them, so that Fastify's ajv
 * compiles each once rather than once per route and its HEAD (about 0.5 MB
 * of resident memory each).
 */
export const IMAGE_QUERY = {
  $id: 'badge-image-query',
  type: 'object',
  properties: IMAGE_PROPERTIES,
  patternProperties: STATE_PATTERNS,
} as const
export const DOCUMENT_QUERY = {
  $id: 'badge-document-query',
  type: 'object',
  patternProperties: STATE_PATTERNS,
} as const

/**
 * A route's query schema: its format's, and the parameters that identify its
 * subject (a roll-up's ids) when it has any.
 */
export function querySchema(
  base: { readonly $id: string },
  subject?: { readonly properties: Readonly<Record<string, object>>; readonly required?: readonly string[] },
): object {
  if (!subject) return base
  return {
    $id: `${base.$id}+${Object.keys(subject.properties).join('+')}`,
    type: 'object',
    allOf: [base],
    properties: subject.properties,
    ...(subject.required && { required: subject.required }),
  }
}

/** What a query holds once its schema has passed it: strings, by name (others may be there too). */
export type Query = Readonly<Record<string, unknown>>

/** A logo as asked for: a simple-icons slug, or an SVG in base64; `key` names it in cache keys. */
export type LogoRequest =
  | { readonly kind: 'icon'; readonly slug: string; readonly key: string }
  | { readonly kind: 'data'; readonly base64: string; readonly key: string }

/** The query parameters of an image, in canonical form. */
export interface BadgeOptions {
  readonly style: BadgeStyle | undefined
  /** "" hides the left-hand side. */
  readonly label: string | undefined
  readonly labelColor: string | undefined
  readonly color: string | undefined
  readonly logo: LogoRequest | undefined
  readonly logoColor: string | undefined
  readonly theme: Theme | undefined
  /** `<state>Message`, `<state>Color`. */
  readonly words: StateWords
  /** Canonical form, "" when none: the same badge for the same parameters in any order. */
  readonly key: string
}

export const NO_OPTIONS: BadgeOptions = {
  style: undefined,
  label: undefined,
  labelColor: undefined,
  color: undefined,
  logo: undefined,
  logoColor: undefined,
  theme: undefined,
  words: NO_STATE_WORDS,
  key: '',
}

/** The words and colours a document's query asks for (.json, .shields.json). */
export interface DocumentOptions {
  readonly words: StateWords
  readonly key: string
}

export const NO_DOCUMENT_OPTIONS: DocumentOptions = { words: NO_STATE_WORDS, key: '' }

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const part = (name: string, value: string | undefined) =>
  value === undefined ? '' : `&${name}=${encodeURIComponent(value)}`

/** The state parameters of a validated query, and their part of the canonical key. */
function stateWords(query: Query): { words: StateWords; key: string } {
  const messages: Partial<Record<FaceState, string>> = {}
  const colors: Partial<Record<FaceState, string>> = {}
  let key = ''
  for (const state of FACE_STATES) {
    const message = text(query[`${state}Message`])
    const color = text(query[`${state}Color`])
    if (message !== undefined) messages[state] = message
    if (color !== undefined) colors[state] = normalColor(color)
    key += part(`${state}Message`, message) + part(`${state}Color`, colors[state])
  }
  return key ? { words: { messages, colors }, key } : { words: NO_STATE_WORDS, key: '' }
}

function logoRequest(value: string | undefined): LogoRequest | undefined {
  if (value === undefined || value === '') return undefined
  if (!value.startsWith('data:')) {
    const slug = value.toLowerCase()
    return { kind: 'icon', slug, key: slug }
  }
  const base64 = value.slice(DATA_LOGO_PREFIX.length).replaceAll(' ', '+')
  // A digest names the logo in cache keys: keys stay short whatever its size.
  return { kind: 'data', base64, key: `data:${hash('sha256', base64, 'base64url')}` }
}

const IMAGE_NAMES = new Set(IMAGE_PARAMETERS)
const STATE_NAMES = new Set(STATE_PARAMETERS)

/** Whether a validated query has any parameter this module reads. */
function hasAny(query: Query, names: ReadonlySet<string>): boolean {
  for (const name in query) if (names.has(name)) return true
  return false
}

/** Validated query → options; the plain badge (no parameter) is one shared object. */
export function badgeOptions(query: Query): BadgeOptions {
  if (!hasAny(query, IMAGE_NAMES)) return NO_OPTIONS
  const style = query.style === 'flat' ? undefined : (text(query.style) as BadgeStyle | undefined)
  const label = text(query.label)
  const colorOf = (value: unknown) => {
    const given = text(value)
    return given === undefined ? undefined : normalColor(given)
  }
  const labelColor = colorOf(query.labelColor)
  const color = colorOf(query.color)
  const logo = logoRequest(text(query.logo))
  const logoColor = logo ? colorOf(query.logoColor) : undefined
  const theme = query.theme === 'dark' ? 'dark' : undefined
  const { words, key: wordsKey } = stateWords(query)
  const key =
    part('style', style) +
    part('label', label) +
    part('labelColor', labelColor) +
    part('color', color) +
    part('logo', logo?.key) +
    part('logoColor', logoColor) +
    part('theme', theme) +
    wordsKey
  if (!key) return NO_OPTIONS
  return { style, label, labelColor, color, logo, logoColor, theme, words, key: `?${key.slice(1)}` }
}

/** Validated query → a document's options. */
export function documentOptions(query: Query): DocumentOptions {
  if (!hasAny(query, STATE_NAMES)) return NO_DOCUMENT_OPTIONS
  const { words, key } = stateWords(query)
  return key ? { words, key: `?${key.slice(1)}` } : NO_DOCUMENT_OPTIONS
}

/** The style of an error badge: the one asked for, when it is itself valid. */
export function requestedStyle(query: unknown): BadgeStyle | undefined {
  const style = (query as { style?: unknown } | undefined)?.style
  return (BADGE_STYLES as readonly unknown[]).includes(style) && style !== 'flat' ? (style as BadgeStyle) : undefined
}

/** Query parameters whose failure names them: "invalid style", "invalid majorOutageColor"… */
const NAMED_PARAMETERS = new Set([...IMAGE_PARAMETERS, 'ids'])

/**
 * What a failed route validation means for a badge: a bad parameter names
 * itself ("invalid style"); a bad :id cannot be a component ("not found");
 * a missing roll-up list is "missing ids".
 */
export function validationReason(error: NonNullable<FastifyRequest['validationError']>): BadgeError {
  if (error.validationContext === 'params') return 'not found'
  const first = (error.validation as Array<{ instancePath?: string; params?: { missingProperty?: string } }>)[0]
  if (first?.params?.missingProperty === 'ids') return 'missing ids'
  const name = first?.instancePath?.slice(1) ?? ''
  return NAMED_PARAMETERS.has(name) ? (`invalid ${name}` as BadgeError) : 'invalid request'
}
