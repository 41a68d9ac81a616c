"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { CACHE_TIMES } from "~/trpc/query-client";

/** The payload masking policies in force (MASKING_POLICIES), read-only: they change only in configuration. */
export function MaskingPolicies() {
  const trpc = useTRPC();
  const policies = useQuery({ ...trpc.masking.policies.queryOptions(), staleTime: CACHE_TIMES.catalog });

  return (
    <section className="card" data-testid="masking-policies">
      <h2>Masking policies</h2>
      <p className="muted">
        Payload fields these policies name show as “••• masked” to every role that may not see them: in the message browser, trace, replay samples, DLQ views and the audit log. They are set in
        configuration (<code>MASKING_POLICIES</code>).
      </p>
      {policies.isError && <p className="error-text">{policies.error.message}</p>}
      {policies.data?.length === 0 && <p className="muted">No policies: every role sees every payload in full.</p>}
      {policies.data && policies.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Topics</th>
              <th>Fields</th>
              <th>Clear text for</th>
            </tr>
          </thead>
          <tbody>
            {policies.data.map((p) => (
              <tr key={p.name}>
                <td>{p.name}</td>
                <td className="mono">{p.topics}</td>
                <td className="mono wrap">{p.paths.join(", ")}</td>
                <td>{p.visibleTo.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
