"use client";

// The server-side filters, shared by the message browser and the replay form.
import { fromLocalInput, toLocalInput } from "./time-input";
import type { MessageFilterInput } from "./types";

export const JSON_OPERATORS = ["=", "!=", "contains", ">", "<"] as const;

/** What the form edits: text fields as typed; `toFilter` turns them into the API's filter. */
export interface FilterFields {
  key: string;
  keyMatch: "equals" | "contains";
  headerName: string;
  headerValue: string;
  eventType: string;
  from: string;
  to: string;
  jsonPath: string;
  jsonOperator: (typeof JSON_OPERATORS)[number];
  jsonValue: string;
  text: string;
}

export const EMPTY_FILTER: FilterFields = { key: "", keyMatch: "equals", headerName: "", headerValue: "", eventType: "", from: "", to: "", jsonPath: "", jsonOperator: "=", jsonValue: "", text: "" };

export function toFilter(f: FilterFields): MessageFilterInput {
  const filter: MessageFilterInput = {};
  if (f.key.trim()) Object.assign(filter, { key: f.key.trim(), keyMatch: f.keyMatch });
  if (f.headerName) Object.assign(filter, { headerName: f.headerName, headerValue: f.headerValue || undefined });
  if (f.eventType.trim()) filter.eventType = f.eventType.trim();
  const from = fromLocalInput(f.from);
  const to = fromLocalInput(f.to);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (f.jsonPath.trim()) Object.assign(filter, { jsonPath: f.jsonPath.trim(), jsonOperator: f.jsonOperator, jsonValue: f.jsonValue });
  if (f.text.trim()) filter.text = f.text.trim();
  return filter;
}

export function activeFilterCount(f: FilterFields): number {
  return [f.key.trim(), f.headerName, f.eventType.trim(), f.from || f.to, f.jsonPath.trim(), f.text.trim()].filter(Boolean).length;
}

export function FilterForm({ value, onChange, idPrefix, showTime = true }: { value: FilterFields; onChange: (next: FilterFields) => void; idPrefix: string; showTime?: boolean }) {
  const set = (patch: Partial<FilterFields>) => onChange({ ...value, ...patch });
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <div className="filter-grid" data-testid={`${idPrefix}-filters`}>
      <label htmlFor={id("key")}>Key</label>
      <div className="filter-row">
        <select aria-label="Key match" value={value.keyMatch} onChange={(e) => set({ keyMatch: e.target.value as FilterFields["keyMatch"] })} data-testid={id("key-match")}>
          <option value="equals">equals</option>
          <option value="contains">contains</option>
        </select>
        <input id={id("key")} className="text-input" value={value.key} onChange={(e) => set({ key: e.target.value })} placeholder="order-123" data-testid={id("key")} />
      </div>

      <label htmlFor={id("header-name")}>Header</label>
      <div className="filter-row">
        <input id={id("header-name")} className="text-input" value={value.headerName} onChange={(e) => set({ headerName: e.target.value })} placeholder="name" data-testid={id("header-name")} />
        <span className="muted">=</span>
        <input aria-label="Header value" className="text-input" value={value.headerValue} onChange={(e) => set({ headerValue: e.target.value })} placeholder="value (any when empty)" data-testid={id("header-value")} />
      </div>

      <label htmlFor={id("event-type")}>Event type</label>
      <input id={id("event-type")} className="text-input" value={value.eventType} onChange={(e) => set({ eventType: e.target.value })} placeholder="OrderPlaced" data-testid={id("event-type")} />

      {showTime && (
        <>
          <label htmlFor={id("from")}>Time</label>
          <div className="filter-row">
            <input id={id("from")} type="datetime-local" step="1" className="text-input" value={value.from} onChange={(e) => set({ from: e.target.value })} data-testid={id("from")} />
            <span className="muted">to</span>
            <input aria-label="Until" type="datetime-local" step="1" className="text-input" value={value.to} onChange={(e) => set({ to: e.target.value })} data-testid={id("to")} />
            <button type="button" className="link-button" onClick={() => set({ from: toLocalInput(Date.now() - 15 * 60_000), to: "" })}>
              last 15 min
            </button>
          </div>
        </>
      )}

      <label htmlFor={id("json-path")}>JSON path</label>
      <div className="filter-row">
        <input id={id("json-path")} className="text-input mono" value={value.jsonPath} onChange={(e) => set({ jsonPath: e.target.value })} placeholder="data.customerId" data-testid={id("json-path")} />
        <select aria-label="JSON operator" value={value.jsonOperator} onChange={(e) => set({ jsonOperator: e.target.value as FilterFields["jsonOperator"] })} data-testid={id("json-operator")}>
          {JSON_OPERATORS.map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
        <input aria-label="JSON value" className="text-input" value={value.jsonValue} onChange={(e) => set({ jsonValue: e.target.value })} placeholder="cust-42" data-testid={id("json-value")} />
      </div>

      <label htmlFor={id("text")}>Text</label>
      <input id={id("text")} className="text-input" value={value.text} onChange={(e) => set({ text: e.target.value })} placeholder="anywhere in key, value or headers" data-testid={id("text")} />
    </div>
  );
}
