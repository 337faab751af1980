import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/container/**', 'test/load/**'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Loopback servers in most files: keep runs predictable on two cores.
    fileParallelism: true,
    testTimeout: 15_000,
  },
})
