"use client";

import { keepPreviousData, useQueries, useQuery, type QueryKey, type UseQueryOptions } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { LIST_WINDOW_ROWS } from "~/components/lag/list-inputs";

interface WindowAnswer {
  rows: unknown[];
  /** Rows matching the filter in the whole list. */
  matching: number;
}

/**
 * A long list held by the server, read a window of LIST_WINDOW_ROWS rows at a time: the first window
 * always (it carries the counts, and the server renders it into the page), and those the table has
 * scrolled to. `optionsFor(offset, limit)` gives a window's query; `listKey` names the filter and sort,
 * and a new one starts again from the top.
 *
 * A live refresh refetches only the windows on screen; rows that did not change keep their object
 * (TanStack Query's structural sharing), so their memoised table rows do not render again.
 */
export function useListWindows<Answer extends WindowAnswer, TError, Key extends QueryKey>(optionsFor: (offset: number, limit: number) => UseQueryOptions<Answer, TError, Answer, Key>, listKey: string) {
  const [range, setRange] = useState({ listKey, first: 0, last: 0 });
  const { first, last } = range.listKey === listKey ? range : { first: 0, last: 0 };
  const windows = useMemo(() => {
    const from = Math.floor(first / LIST_WINDOW_ROWS);
    const to = Math.floor(last / LIST_WINDOW_ROWS);
    const list = [0];
    for (let w = Math.max(1, from); w <= to; w++) list.push(w);
    return list;
  }, [first, last]);
  // The first window keeps the previous filter's or sort's rows until the new ones arrive, so typing
  // or sorting does not swap the table for a loading card (and mount every row again). It is a query
  // of its own: keepPreviousData reads the previous answer from the query's observer, and useQueries
  // makes a new observer for each new key, so there it never had one.
  const head = useQuery({ ...optionsFor(0, LIST_WINDOW_ROWS), placeholderData: keepPreviousData });
  // The others show loading rows rather than another list's rows.
  const rest = useQueries({ queries: windows.slice(1).map((w) => optionsFor(w * LIST_WINDOW_ROWS, LIST_WINDOW_ROWS)) });
  type Row = Answer["rows"][number];
  const byWindow = new Map<number, Answer | undefined>([[0, head.data], ...windows.slice(1).map((w, i): [number, Answer | undefined] => [w, rest[i]!.data])]);
  const rowAt = (index: number): Row | undefined => byWindow.get(Math.floor(index / LIST_WINDOW_ROWS))?.rows[index % LIST_WINDOW_ROWS];
  const onVisibleRange = useCallback((from: number, to: number) => setRange({ listKey, first: from, last: to }), [listKey]);
  /** Every row loaded now, in list order (for actions on what is shown, such as selecting). */
  const loaded: Row[] = windows.flatMap((w) => byWindow.get(w)?.rows ?? []);
  return { head, rowAt, onVisibleRange, loaded };
}
