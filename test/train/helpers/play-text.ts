/** `count` speeches of a play whose cast is `cast`, the speakers taking turns, in play-script layout (`NAME:\nline\n`, a blank line between speeches). */
export function play(cast: readonly string[], count: number, line: string): string {
  return Array.from({ length: count }, (_, i) => `${cast[i % cast.length]}:\n${line} ${i}.\n`).join('\n');
}
