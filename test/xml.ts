import { SaxesParser } from 'saxes'

/** Why `text` is not a well-formed XML document (saxes, a strict parser), or undefined when it is. */
export function xmlProblem(text: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true })
  let problem: string | undefined
  parser.on('error', (error) => {
    problem ??= error.message
  })
  parser.write(text).close()
  return problem
}
