import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CONSOLE_DIST } from './dist-path';

const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));

/** The page shell: hashed asset names, so browsers may keep the assets for good. */
function indexHtml(script: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Conveyor console</title>
<link rel="stylesheet" href="/ui/assets/${style}">
<script type="module" src="/ui/assets/${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Conveyor console needs JavaScript; the API itself is documented at /docs.</noscript>
</body>
</html>
`;
}

/**
 * Bundles the console (Preact, uPlot and our code, one script and one stylesheet) into
 * `console/dist`. Same sources, same bytes: no timestamps, content-hashed names.
 */
export async function buildConsole(): Promise<{ script: string; style: string }> {
  const assets = join(CONSOLE_DIST, 'assets');
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: join(CONSOLE_DIR, 'src', 'main.tsx') },
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    entryNames: '[name]-[hash]',
    outdir: assets,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const script = outputs.find((name) => name.endsWith('.js'));
  const style = outputs.find((name) => name.endsWith('.css'));
  if (!script || !style) throw new Error(`esbuild wrote ${outputs.join(', ')}: no script or style`);
  writeFileSync(join(CONSOLE_DIST, 'index.html'), indexHtml(script, style));
  return { script, style };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  buildConsole().then(
    ({ script }) =>
      console.log(
        `Console built into console/dist (${script}) in ${Math.round(performance.now() - started)} ms.`,
      ),
    (error: unknown) => {
      console.error(
        `Cannot build the console: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
