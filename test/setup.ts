import { afterAll, expect } from 'vitest'
import { capturedTexts, TEST_API_KEY } from './helper.js'
import { keyIn } from './key.js'

// The key must appear in no log line and no response anywhere in the suite, in no spelling.
afterAll(() => {
  const leaks = capturedTexts().filter((text) => keyIn(text, TEST_API_KEY).length > 0)
  expect(leaks, 'the API key leaked into a log line or a response').toEqual([])
})
