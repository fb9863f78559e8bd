import type { ComponentChildren } from 'preact';
import { BASE, Link, useLocation } from './router';

const SECTIONS = [
  { path: `${BASE}/operations`, label: 'Operations' },
  { path: `${BASE}/collections`, label: 'Collections' },
  { path: `${BASE}/jobs`, label: 'Jobs' },
  { path: `${BASE}/schedules`, label: 'Schedules' },
  { path: `${BASE}/statistics`, label: 'Statistics' },
  { path: `${BASE}/workers`, label: 'Workers' },
];

/** The frame of every page: a skip link, the sections, sign-out, then the page. */
export function Layout(props: { children: ComponentChildren; onSignOut: () => void }) {
  const { pathname } = useLocation();
  const here = pathname === BASE || pathname === `${BASE}/` ? `${BASE}/operations` : pathname;
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Conveyor</span>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.path}>
                <Link href={section.path} current={here.startsWith(section.path)}>
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="link-button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
