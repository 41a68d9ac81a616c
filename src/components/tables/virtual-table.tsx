"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef } from "react";

export interface Column<Row, Key extends string> {
  key: Key;
  header: string;
  /** A CSS grid track: "minmax(240px, 3fr)", "90px", … */
  width: string;
  align?: "left" | "right";
  /** Sortable when given a sort key. */
  sortable?: boolean;
  title?: string;
  cell: (row: Row) => React.ReactNode;
}

export interface SortState<Key extends string> {
  key: Key;
  dir: "asc" | "desc";
}

interface VirtualTableProps<Row, Key extends string> {
  /** Rows in the whole list, loaded or not. */
  count: number;
  /** The row at a position, or undefined while its window of rows is loading (a placeholder row shows). */
  rowAt: (index: number) => Row | undefined;
  /** Told the first and last positions rendered (in view and overscan), to load their rows. */
  onVisibleRange?: (first: number, last: number) => void;
  columns: Column<Row, Key>[];
  rowKey: (row: Row) => string;
  sort: SortState<Key> | null;
  onSort: (key: Key) => void;
  label: string;
  testId: string;
  rowTestId: string;
  /** Extra attributes for a row, e.g. data-topic. */
  rowAttrs?: (row: Row) => Record<string, string>;
  rowClassName?: (row: Row) => string | undefined;
  rowHeight?: number;
  /** When this changes (a new filter or sort), the list scrolls back to the top. */
  resetScrollKey?: string;
}

const INITIAL_VIEW_HEIGHT = 800;

/**
 * A sortable table that renders only the rows in view, so ten thousand rows scroll smoothly.
 * It is a CSS grid with ARIA table roles; the header sticks to the top of its scroll box.
 */
export function VirtualTable<Row, Key extends string>({ count, rowAt, onVisibleRange, columns, rowKey, sort, onSort, label, testId, rowTestId, rowAttrs, rowClassName, rowHeight = 40, resetScrollKey }: VirtualTableProps<Row, Key>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetScrollKey]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Until the box is measured (and on the server, where nothing is), assume a typical viewport,
    // so server-rendered pages arrive with their first rows and hydrate without a mismatch.
    initialRect: { width: 0, height: INITIAL_VIEW_HEIGHT },
  });
  const template = columns.map((c) => c.width).join(" ");
  const headerHeight = 38;
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= first) onVisibleRange?.(first, last);
  }, [first, last, onVisibleRange]);

  return (
    <div
      ref={scrollRef}
      className="vtable"
      role="table"
      aria-label={label}
      aria-rowcount={count + 1}
      data-testid={testId}
      data-row-count={count}
      style={{ height: count * rowHeight + headerHeight + 2 }}
    >
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template, height: headerHeight }}>
        {columns.map((c) => {
          const active = sort?.key === c.key;
          const ariaSort = active ? (sort.dir === "asc" ? "ascending" : "descending") : c.sortable ? "none" : undefined;
          return (
            <div key={c.key} role="columnheader" aria-sort={ariaSort} className={c.align === "right" ? "vcell right" : "vcell"} title={c.title}>
              {c.sortable ? (
                <button type="button" className={active ? "sort-button active" : "sort-button"} onClick={() => onSort(c.key)} data-testid={`sort-${c.key}`}>
                  {c.header}
                  <span className="sort-mark" aria-hidden>
                    {active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}
                  </span>
                </button>
              ) : (
                c.header
              )}
            </div>
          );
        })}
      </div>
      <div className="vtable-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rowAt(item.index);
          if (row === undefined) return <LoadingRow key={`loading-${item.index}`} index={item.index} start={item.start} size={item.size} testId={`${rowTestId}-loading`} />;
          return (
            <VirtualRow
              key={rowKey(row)}
              row={row}
              index={item.index}
              start={item.start}
              size={item.size}
              columns={columns as Column<unknown, string>[]}
              template={template}
              testId={rowTestId}
              attrs={rowAttrs as ((row: unknown) => Record<string, string>) | undefined}
              className={rowClassName as ((row: unknown) => string | undefined) | undefined}
            />
          );
        })}
      </div>
    </div>
  );
}

/** A row whose window of rows is still on its way. */
function LoadingRow({ index, start, size, testId }: { index: number; start: number; size: number; testId: string }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy="true" className="vtable-row loading" style={{ height: size, transform: `translateY(${start}px)` }} data-testid={testId}>
      <div role="cell" className="vcell muted">
        Loading…
      </div>
    </div>
  );
}

interface VirtualRowProps {
  row: unknown;
  index: number;
  start: number;
  size: number;
  columns: Column<unknown, string>[];
  template: string;
  testId: string;
  attrs?: (row: unknown) => Record<string, string>;
  className?: (row: unknown) => string | undefined;
}

/**
 * One row. Memoised on its data and position, so scrolling renders only the rows that come into
 * view (the callbacks are assumed to depend on the row alone).
 */
const VirtualRow = memo(
  function VirtualRow({ row, index, start, size, columns, template, testId, attrs, className }: VirtualRowProps) {
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        className={["vtable-row", index % 2 ? "odd" : "", className?.(row) ?? ""].join(" ").trim()}
        style={{ gridTemplateColumns: template, height: size, transform: `translateY(${start}px)` }}
        data-testid={testId}
        {...attrs?.(row)}
      >
        {columns.map((c) => (
          <div key={c.key} role="cell" className={c.align === "right" ? "vcell right" : "vcell"} data-testid={`cell-${c.key}`}>
            {c.cell(row)}
          </div>
        ))}
      </div>
    );
  },
  (a, b) => a.row === b.row && a.index === b.index && a.start === b.start && a.size === b.size && a.columns === b.columns && a.template === b.template,
);

export { compareNames } from "~/lib/compare-names";

/** Clicking the active column flips direction; another column starts with its natural direction. */
export function nextSort<Key extends string>(current: SortState<Key> | null, key: Key, firstDir: (key: Key) => "asc" | "desc"): SortState<Key> {
  if (current?.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: firstDir(key) };
}
