import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/container/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // One image, one container: the tests run in order.
    sequence: { concurrent: false },
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
})
