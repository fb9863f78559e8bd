import { z } from 'zod';
import { defineHandler, PermanentError } from '../../handlers/define';

const documentItem = z.object({ path: z.string().min(1) });

// Words too common to tell documents apart; a real index would take its language's list.
const STOPWORDS = new Set(
  `a about after all also an and any are as at be been before but by can do does each every for
  from has have how if in into is it its may more must no not of off on once one only or other our
  out over should so some such than that the their them then there these they this those to up us
  use used using was we were what when where which while who why will with without you your`.split(
    /\s+/,
  ),
);

/** Markdown reduced to its prose: code, links' targets, emphasis and markup removed. */
function prose(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]*(?:[#>*-]+|\d+\.)[ \t]*/gm, '')
    .replace(/[*_~|]/g, ' ');
}

/**
 * Builds a document's index entry: title, headings, word and term counts, its most frequent
 * terms and an excerpt: what a search app stores per document before (or instead of) embedding.
 * It carries the digest `file.checksum` took of the file, so a search app can tell which version
 * of the document an entry describes.
 */
export const textIndexHandler = defineHandler({
  name: 'text.index',
  version: '1',
  description:
    'Reads the Markdown or text file at data.path (under FILE_ROOTS) and returns its index entry: title, headings, word count, top terms, excerpt, and the digest file.checksum took.',
  params: z.object({
    topTerms: z.number().int().min(1).max(100).default(8),
    excerptChars: z.number().int().min(40).max(2_000).default(160),
    minTermLength: z.number().int().min(1).max(20).default(3),
    maxBytes: z
      .number()
      .int()
      .min(1_000)
      .max(16_000_000)
      .default(1_000_000)
      .describe('Documents larger than this fail: the whole text is held to count its terms.'),
  }),
  defaults: { concurrency: 8, itemTimeoutMs: 30_000 },
  reads: ['file.checksum'],
  async process(item, { params, signal, cost, progress, files }) {
    const parsed = documentItem.safeParse(item.data);
    if (!parsed.success) throw new PermanentError(`text.index: item ${item.key} has no data.path`);
    // Under FILE_ROOTS only. Relative paths are the working directory's: the service and the
    // tests run from the repository's root.
    const text = await files.readText(parsed.data.path, { signal, maxBytes: params.maxBytes });

    const lines = text.split('\n');
    const headings = lines
      .filter((line) => /^#{1,6}\s/.test(line))
      .map((line) => line.replace(/^#+\s*/, '').trim());
    const title = headings[0] ?? item.key;
    const body = prose(text);
    const words = body.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
    progress(0.5, `${words.length} words read`);

    const counts = new Map<string, number>();
    for (const word of words) {
      if (word.length < params.minTermLength || STOPWORDS.has(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const topTerms = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, params.topTerms)
      .map(([term, count]) => ({ term, count }));
    const firstParagraph =
      body
        .split(/\n\s*\n/)
        .map((block) => block.replace(/\s+/g, ' ').trim())
        .find((block) => block.length > 0 && block !== title) ?? '';

    // An embedding service bills by tokens; about four characters make one in English text.
    cost(Math.ceil(body.length / 4), 'tokens');
    return {
      title,
      headings: headings.slice(1),
      words: words.length,
      terms: counts.size,
      topTerms,
      excerpt: firstParagraph.slice(0, params.excerptChars),
      digest: (item.results['file.checksum'] as { digest?: string } | undefined)?.digest ?? null,
    };
  },
});
