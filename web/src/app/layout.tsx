import { NavLink, Outlet } from 'react-router-dom';

export function Layout() {
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
      <main>
        <Outlet />
      </main>
    </div>
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
