import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { CollectionPage } from './pages/collection';
import { CollectionsPage } from './pages/collections';
import { ItemPage } from './pages/item';
import { JobPage } from './pages/job';
import { JobsPage } from './pages/jobs';
import { OperationPage } from './pages/operation';
import { OperationsPage } from './pages/operations';
import { SchedulesPage } from './pages/schedules';
import { StatisticsPage } from './pages/statistics';
import { WorkersPage } from './pages/workers';
import { BASE, Link, match, useLocation } from './router';

type Route = [
  pattern: string,
  page: (params: Record<string, string>) => JSX.Element,
  title: string,
];

const ROUTES: Route[] = [
  [BASE, () => <OperationsPage />, 'Operations'],
  [`${BASE}/operations`, () => <OperationsPage />, 'Operations'],
  [`${BASE}/operations/:id`, (p) => <OperationPage key={p.id} id={p.id as string} />, 'Operation'],
  [`${BASE}/collections`, () => <CollectionsPage />, 'Collections'],
  [`${BASE}/collections/:id`, (p) => <CollectionPage id={p.id as string} />, 'Collection'],
  [
    `${BASE}/collections/:id/items/:itemId`,
    (p) => <ItemPage collectionId={p.id as string} itemId={p.itemId as string} />,
    'Item',
  ],
  [`${BASE}/jobs`, () => <JobsPage />, 'Jobs'],
  [`${BASE}/jobs/:id`, (p) => <JobPage key={p.id} id={p.id as string} />, 'Job'],
  [`${BASE}/schedules`, () => <SchedulesPage />, 'Schedules'],
  [`${BASE}/statistics`, () => <StatisticsPage />, 'Statistics'],
  [`${BASE}/workers`, () => <WorkersPage />, 'Workers and maintenance'],
];

/** The page for the address; the document title follows it. */
export function Pages() {
  const { pathname } = useLocation();
  let found: { page: JSX.Element; title: string } | undefined;
  for (const [pattern, page, title] of ROUTES) {
    const params = match(pattern, pathname);
    if (params) {
      found = { page: page(params), title };
      break;
    }
  }
  const title = found?.title ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · Conveyor`;
  }, [title]);
  // After an in-page navigation, keyboard and screen-reader users start at the new content,
  // as they would after a page load; the first page keeps the browser's own focus.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [pathname]);
  return (
    found?.page ?? (
      <>
        <h1>Not found</h1>
        <p>
          The console has no page at <code>{pathname}</code>. Go to the{' '}
          <Link href={`${BASE}/operations`}>operations</Link>.
        </p>
      </>
    )
  );
}
