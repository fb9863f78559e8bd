/**
 * A small shop website on 127.0.0.1 for the catalogue-scrape example: a home page, one page per
 * product of catalogue.json and a sitemap that (like real ones) still lists a discontinued
 * product whose page is gone. It notes when each page was asked for, so a test can see the pace.
 *
 *   npx tsx examples/catalogue-scrape/site.ts [port]     # 8088 by default; Ctrl-C stops it
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Product {
  slug: string;
  name: string;
  sku: string;
  price: number;
  inStock: boolean;
  description: string;
}

interface Catalogue {
  shop: string;
  currency: string;
  products: Product[];
  discontinued: string[];
}

export interface Site {
  /** The site's origin, e.g. http://127.0.0.1:8088. */
  url: string;
  /** Every request: its path and when it arrived (ms since the epoch). */
  requests: { path: string; at: number }[];
  close(): Promise<void>;
}

export function readCatalogue(): Catalogue {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'catalogue.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );

function page(title: string, description: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}"></head>
<body><nav><a href="/">Home</a></nav>
${body}
</body></html>
`;
}

function productPage(catalogue: Catalogue, product: Product): string {
  return page(
    `${product.name} | ${catalogue.shop}`,
    product.description,
    `<main itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">${escapeHtml(product.name)}</h1>
<p itemprop="description">${escapeHtml(product.description)}</p>
<p>SKU <span itemprop="sku">${product.sku}</span></p>
<p itemprop="offers" itemscope itemtype="https://schema.org/Offer">
<meta itemprop="priceCurrency" content="${catalogue.currency}">
<span itemprop="price" content="${product.price.toFixed(2)}">€${product.price.toFixed(2)}</span>
<link itemprop="availability" href="https://schema.org/${product.inStock ? 'InStock' : 'OutOfStock'}">
</p></main>`,
  );
}

function sitemap(catalogue: Catalogue, origin: string): string {
  const slugs = [...catalogue.products.map((product) => product.slug), ...catalogue.discontinued];
  const urls = slugs.map((slug) => `  <url><loc>${origin}/products/${slug}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

export function startSite({ port = 8088, host = '127.0.0.1' } = {}): Promise<Site> {
  const catalogue = readCatalogue();
  const bySlug = new Map(catalogue.products.map((product) => [product.slug, product]));
  const requests: Site['requests'] = [];
  let origin = '';
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    requests.push({ path, at: Date.now() });
    const send = (status: number, type: string, body: string) =>
      response.writeHead(status, { 'content-type': type }).end(body);
    const product = bySlug.get(path.replace(/^\/products\//, ''));
    if (path === '/sitemap.xml') return send(200, 'application/xml', sitemap(catalogue, origin));
    if (path.startsWith('/products/') && product) {
      return send(200, 'text/html; charset=utf-8', productPage(catalogue, product));
    }
    if (path === '/') {
      const links = catalogue.products.map(
        (p) => `<li><a href="/products/${p.slug}">${escapeHtml(p.name)}</a></li>`,
      );
      return send(
        200,
        'text/html; charset=utf-8',
        page(catalogue.shop, 'Tools and hardware.', `<ul>${links.join('')}</ul>`),
      );
    }
    send(404, 'text/html; charset=utf-8', page('Not found', 'No such page.', '<h1>Not found</h1>'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      origin = `http://${host}:${(server.address() as { port: number }).port}`;
      resolve({
        url: origin,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const site = await startSite({ port: Number(process.argv[2] ?? 8088) });
  console.log(
    `${readCatalogue().shop} on ${site.url} (sitemap: ${site.url}/sitemap.xml); Ctrl-C stops it`,
  );
  process.once('SIGINT', () => void site.close().then(() => process.exit(0)));
}
