import type { ReactNode } from 'react';
import { NavLink, Outlet } from 'react-router-dom';

function Shell({ children }: { children: ReactNode }) {
  return (
    <div className="app">
      <nav className="top-nav" aria-label="Main">
        <span className="brand">Realtime Bench</span>
        <NavLink to="/" end>
          Console
        </NavLink>
        <NavLink to="/results">Results</NavLink>
        <NavLink to="/compare">Compare</NavLink>
        <NavLink to="/trends">Trends</NavLink>
      </nav>
      <main>{children}</main>
    </div>
  );
}

export function Layout() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

/** What the first page load shows while its route's code arrives. */
export function LayoutLoading() {
  return (
    <Shell>
      <p role="status">Loading…</p>
    </Shell>
  );
}

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </section>
  );
}
