"use client";

// What operators do to a connector (pause, resume, restart it and its tasks) and admins (delete it),
// shared by the list and the connector's page. Connect applies a change a moment after it accepts
// it, so after each action the state is read again a few times (a bounded burst, not a poll).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan, useCanEverywhere } from "~/components/auth/actor-context";
import { useCluster } from "~/components/clusters/cluster-context";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

const REREAD_AFTER_MS = [500, 1500, 3000, 6000];

export function useRereadConnectors() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    const reread = () => {
      void queryClient.invalidateQueries({ queryKey: trpc.connect.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.connect.connector.pathKey() });
    };
    reread();
    for (const ms of REREAD_AFTER_MS) setTimeout(reread, ms);
  };
}

export function ConnectorActions({ connect, connector, state, onDeleted }: { connect: string; connector: string; state: string; onDeleted?: () => void }) {
  const trpc = useTRPC();
  const cluster = useCluster().name;
  const canOperate = useCan("operator", { cluster });
  const canDelete = useCanEverywhere("admin");
  const reread = useRereadConnectors();
  const [deleting, setDeleting] = useState(false);
  const options = { onSuccess: reread };
  const pause = useMutation(trpc.connect.pause.mutationOptions(options));
  const resume = useMutation(trpc.connect.resume.mutationOptions(options));
  const restart = useMutation(trpc.connect.restart.mutationOptions(options));
  const remove = useMutation(
    trpc.connect.delete.mutationOptions({
      onSuccess: () => {
        setDeleting(false);
        reread();
        onDeleted?.();
      },
    }),
  );
  const failed = [pause, resume, restart].find((m) => m.isError);
  const ref = { connect, connector };
  const pending = pause.isPending || resume.isPending || restart.isPending;
  const reset = () => [pause, resume, restart, remove].forEach((m) => m.reset());
  if (!canOperate && !canDelete) return null;
  return (
    <div className="connector-actions" data-testid="connector-actions" data-connector={connector}>
      {canOperate &&
        (state === "PAUSED" || state === "STOPPED" ? (
          <button type="button" disabled={pending} onClick={() => (reset(), resume.mutate(ref))} data-testid="connector-resume">
            Resume
          </button>
        ) : (
          <button type="button" disabled={pending} onClick={() => (reset(), pause.mutate(ref))} data-testid="connector-pause">
            Pause
          </button>
        ))}
      {canOperate && (
        <button type="button" disabled={pending} onClick={() => (reset(), restart.mutate({ ...ref, onlyFailed: false }))} title="Restart the connector and all its tasks" data-testid="connector-restart">
          Restart
        </button>
      )}
      {canDelete && (
        <button type="button" className="danger" onClick={() => (reset(), setDeleting(true))} data-testid="connector-delete-start">
          Delete…
        </button>
      )}
      {failed && (
        <span className="error-text" role="alert" data-testid="connector-action-error">
          {errorText(failed.error!)}
        </span>
      )}
      {deleting && (
        <TypeToConfirm
          name={connector}
          title="Delete this connector?"
          action="Delete connector"
          pending={remove.isPending}
          error={remove.error ? errorText(remove.error) : null}
          onConfirm={() => remove.mutate(ref)}
          onCancel={() => (setDeleting(false), remove.reset())}
          testId="connector-delete"
        >
          Connect stops <span className="mono">{connector}</span> and its tasks and forgets its configuration. Its topics, its dead-letter topic and its committed offsets stay. The
          deletion is recorded in the audit log.
        </TypeToConfirm>
      )}
    </div>
  );
}

/** A state as a badge: RUNNING is good, FAILED bad, PAUSED/STOPPED idle, the rest in between. */
export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  const tone = state === "RUNNING" ? "ok" : state === "FAILED" ? "bad" : state === "PAUSED" || state === "STOPPED" ? "idle" : "warn";
  return (
    <span className={`badge ${tone}`} data-testid={testId} data-state={state}>
      {state}
    </span>
  );
}
