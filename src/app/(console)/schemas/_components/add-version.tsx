"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { CheckBanner, OutcomeBanner } from "./outcome";
import { errorText } from "~/trpc/error-text";
import { schemaForReading, type SchemaType } from "./types";


/** A new version, starting from the latest: check it first, or register it (refused with reasons when it breaks consumers). */
export function AddVersion({ name, latestSchema, latestSchemaType, canChange }: { name: string; latestSchema: string; latestSchemaType: SchemaType; canChange: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => schemaForReading(latestSchema, latestSchemaType));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.schemas.get.queryKey({ name }) });
    void queryClient.invalidateQueries({ queryKey: trpc.schemas.compare.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.schemas.list.queryKey() });
  };
  const check = useMutation(trpc.schemas.check.mutationOptions());
  const add = useMutation(trpc.schemas.addVersion.mutationOptions({ onSuccess: (outcome) => outcome.status === "created" && refresh() }));
  const error = add.error ?? check.error;
  const latest = add.data ?? null;

  return (
    <section className="card section" data-testid="add-version">
      <div className="section-bar">
        <h2 className="section-title">New version</h2>
        <button type="button" className="link-button" onClick={() => setText(schemaForReading(latestSchema, latestSchemaType))} data-testid="reset-schema">
          Start from the latest version
        </button>
      </div>
      <textarea
        className="schema-editor mono"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          check.reset();
          add.reset();
        }}
        spellCheck={false}
        rows={16}
        aria-label="New schema version"
        readOnly={!canChange}
        data-testid="version-schema"
      />
      <div className="form-actions">
        <button type="button" onClick={() => check.mutate({ name, schema: text })} disabled={check.isPending} data-testid="version-check">
          {check.isPending ? "Checking…" : "Check compatibility"}
        </button>
        <button type="button" className="primary" onClick={() => add.mutate({ name, schema: text })} disabled={!canChange || add.isPending} data-testid="version-submit">
          {add.isPending ? "Registering…" : "Register version"}
        </button>
        {!canChange && <span className="muted small">Registering needs the architect role.</span>}
      </div>
      {error && (
        <div className="banner bad" role="alert" data-testid="version-error">
          <strong>Not registered</strong>
          <span>{errorText(error)}</span>
        </div>
      )}
      {latest ? <OutcomeBanner outcome={latest} /> : check.data && <CheckBanner result={check.data} />}
    </section>
  );
}
