import { RESOURCES, type Resource } from '../status/poller.js'

/** What an event name may look like to be logged or shown; anything else is "unreadable". */
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * The event name of a webhook body, and nothing else: webhooks are not
 * signed, so the body is only a hint to read the API again. JSON
 * (`{"event": "incident.created", …}`) or a form (`event=…`); anything
 * else, or a name that does not look like one, is undefined.
 */
export function readEventName(body: Buffer | undefined, contentType: string | undefined): string | undefined {
  if (!body || body.length === 0) return undefined
  const text = body.toString('utf8')
  let name: unknown
  // A JSON object first, whatever the label: `curl -d '{…}'` sends one as a form.
  if (/^\s*\{/.test(text)) {
    try {
      const parsed: unknown = JSON.parse(text)
      name = typeof parsed === 'object' && parsed !== null ? (parsed as { event?: unknown }).event : undefined
    } catch {
      name = undefined
    }
  } else if (/^\s*application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    name = new URLSearchParams(text).get('event')
  }
  return typeof name === 'string' && EVENT_NAME.test(name) ? name : undefined
}

const STATUS_ONLY: readonly Resource[] = ['status']

/**
 * What an event asks to read again: incidents and maintenance change the
 * overall status; a component's change, an unknown event or an unreadable
 * one may have changed anything, so both.
 */
export function resourcesFor(name: string | undefined): readonly Resource[] {
  const event = name?.toLowerCase() ?? ''
  if (event.startsWith('incident.') || event.startsWith('maintenance.')) return STATUS_ONLY
  return RESOURCES
}
