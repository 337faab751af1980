import { afterAll, expect } from 'vitest'
import { captured, TEST_API_KEY } from './helper.js'

// The key must appear in no log line and no response anywhere in the suite.
afterAll(() => {
  const leaks = [...captured.logs, ...captured.responses].filter((text) => text.includes(TEST_API_KEY))
  expect(leaks, 'the API key leaked into a log line or a response').toEqual([])
})
