import { areaFor } from "./areas";

/** The honest page for an area that is not built yet: what it will do, and no fake data. */
export function ComingSoon({ href }: { href: string }) {
  const area = areaFor(href);
  return (
    <div className="page">
      <header className="page-header">
        <h1>{area.label}</h1>
        <p className="muted">{area.summary}</p>
      </header>
      <section className="card empty-state" data-testid="coming-soon">
        <h2>Not built yet</h2>
        <p>This area has no data to show yet. When it lands, it will have:</p>
        <ul>
          {area.coming?.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
