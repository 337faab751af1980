import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/load/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each file measures one server process: never two at once on two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
})
