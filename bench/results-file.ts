import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * bench/results.md holds one report a tool: the engine bench writes the top, and each other
 * tool a section between `<!-- name:start -->` and `<!-- name:end -->`, kept by the others.
 */
export const RESULTS_FILE = new URL('./results.md', import.meta.url);

const SECTIONS = /<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g;

/** Replaces the section `name` (the markers included in `section`), or appends it. */
export function writeResultsSection(name: string, section: string): void {
  const previous = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const pattern = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
  const next = pattern.test(previous)
    ? previous.replace(pattern, section)
    : `${previous.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS_FILE, next);
}

/** Every marked section of the file, to keep across a rewrite of its top. */
export function keptSections(): string {
  if (!existsSync(RESULTS_FILE)) return '';
  return [...readFileSync(RESULTS_FILE, 'utf8').matchAll(SECTIONS)]
    .map(([section]) => `\n${section}\n`)
    .join('');
}
