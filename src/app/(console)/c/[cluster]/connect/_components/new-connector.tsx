"use client";

// Create a connector from JSON (admins): Connect's own create body, or the config alone with its name.
// Connect checks the configuration itself; its reason is shown as it gave it.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import { useRereadConnectors } from "./connector-actions";

const EXAMPLE = `{
  "name": "orders-to-file",
  "config": {
    "connector.class": "FileStreamSink",
    "tasks.max": "1",
    "topics": "orders",
    "file": "/tmp/orders.txt",
    "errors.tolerance": "all",
    "errors.deadletterqueue.topic.name": "orders-to-file.DLQ",
    "errors.deadletterqueue.context.headers.enable": "true"
  }
}`;

export function NewConnector({ connectClusters, onClose }: { connectClusters: string[]; onClose: () => void }) {
  const trpc = useTRPC();
  const reread = useRereadConnectors();
  const [connect, setConnect] = useState(connectClusters[0] ?? "");
  const [json, setJson] = useState(EXAMPLE);
  const create = useMutation(
    trpc.connect.create.mutationOptions({
      onSuccess: () => {
        reread();
        onClose();
      },
    }),
  );
  return (
    <section className="card section" data-testid="connector-new">
      <h2 className="card-title">New connector</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ connect, json });
        }}
      >
        {connectClusters.length > 1 && (
          <label>
            Connect cluster
            <select value={connect} onChange={(e) => setConnect(e.target.value)} data-testid="connector-new-connect">
              {connectClusters.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Connector JSON
          <textarea className="mono" rows={14} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} data-testid="connector-new-json" />
        </label>
        <p className="muted">
          Connect&apos;s create body (<span className="mono">{"{ name, config }"}</span>) or the config alone with its <span className="mono">name</span>. Connect checks it; the creation is
          recorded in the audit log, without values whose names say they are secrets.
        </p>
        {create.isError && (
          <div className="banner bad" role="alert" data-testid="connector-new-error">
            <span>{errorText(create.error)}</span>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={create.isPending || !connect} data-testid="connector-new-submit">
            {create.isPending ? "Creating…" : "Create connector"}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
