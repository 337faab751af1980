import { describe, expect, it } from 'vitest'
import { readEventName, resourcesFor } from '../../src/webhook/events.js'

const json = (value: unknown) => Buffer.from(JSON.stringify(value))

describe('readEventName', () => {
  it('reads the event name of a JSON body, and nothing else', () => {
    const body = json({ event: 'incident.created', data: { monitor_name: '<script>', target: 'http://10.0.0.1' } })
    expect(readEventName(body, 'application/json')).toBe('incident.created')
    // Whatever the content type says: senders mislabel.
    expect(readEventName(body, 'text/plain')).toBe('incident.created')
    expect(readEventName(body, undefined)).toBe('incident.created')
    // As `curl -d '{…}'` sends it.
    expect(readEventName(body, 'application/x-www-form-urlencoded')).toBe('incident.created')
  })

  it('reads a form body', () => {
    const body = Buffer.from('event=component.status_changed&monitor_id=1')
    expect(readEventName(body, 'application/x-www-form-urlencoded; charset=utf-8')).toBe('component.status_changed')
  })

  it.each([
    ['no body', undefined],
    ['an empty body', Buffer.alloc(0)],
    ['malformed JSON', Buffer.from('{"event": "incident.created"')],
    ['a JSON array', json(['incident.created'])],
    ['an event that is not a string', json({ event: { name: 'incident.created' } })],
    ['a name with spaces and markup', json({ event: 'incident <b>created</b>' })],
    ['a name too long to be one', json({ event: `incident.${'x'.repeat(100)}` })],
    ['plain text', Buffer.from('incident.created')],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
  ])('gives nothing for %s', (_what, body) => {
    expect(readEventName(body, 'application/json')).toBeUndefined()
  })
})

describe('resourcesFor', () => {
  it.each([
    ['incident.created', ['status']],
    ['incident.updated', ['status']],
    ['Incident.Resolved', ['status']],
    ['maintenance.scheduled', ['status']],
    ['component.status_changed', ['status', 'monitors']],
    ['monitor.down', ['status', 'monitors']],
    [undefined, ['status', 'monitors']],
  ] as const)('%s refreshes %j', (event, resources) => {
    expect(resourcesFor(event)).toEqual(resources)
  })
})
