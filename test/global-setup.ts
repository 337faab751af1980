import { execFileSync } from 'node:child_process'

/** The process tests (test/server.test.ts) run the compiled server, as `npm start` does. */
export default function buildOnce() {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
}
