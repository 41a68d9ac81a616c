"use client";

// Deleting schema versions and event types, as the registry API does: a soft delete first (hidden,
// but records framed with its schema id still decode), then a permanent one. Both ask for the name
// to be typed, as the topic admin does.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { TypeToConfirm } from "~/components/forms/type-to-confirm";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import type { EventTypeView } from "./types";

function useInvalidate(name: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.schemas.get.queryKey({ name }) });
    void queryClient.invalidateQueries({ queryKey: trpc.schemas.list.queryKey() });
  };
}

/** The confirmation for one version: a soft delete of a live one, a permanent delete of a soft-deleted one. */
export function DeleteVersionConfirm({ name, version, permanent, onClose }: { name: string; version: number; permanent: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate(name);
  const remove = useMutation(
    trpc.schemas.deleteVersion.mutationOptions({
      onSuccess: () => {
        invalidate();
        onClose();
      },
    }),
  );
  return (
    <div className="padded-text">
      <TypeToConfirm
        name={`${name} v${version}`}
        title={permanent ? `Delete v${version} permanently?` : `Delete v${version}?`}
        action={permanent ? "Delete permanently" : "Delete version"}
        pending={remove.isPending}
        error={remove.error ? errorText(remove.error) : null}
        onConfirm={() => remove.mutate({ name, version, permanent })}
        onCancel={onClose}
        testId={permanent ? "delete-version-permanent" : "delete-version"}
      >
        {permanent ? (
          <p>The version and its schema text are removed for good; its schema id is never given again, and records framed with it can no longer be decoded. This cannot be undone.</p>
        ) : (
          <p>
            A soft delete: v{version} is hidden from the registry&apos;s listings and no longer checked for compatibility, but its schema id still answers, so records written with it
            still decode. It can then be deleted permanently.
          </p>
        )}
      </TypeToConfirm>
    </div>
  );
}

/** The event type as a whole: soft-deletes every live version, or, once none is live, deletes it permanently. */
export function DeleteEventType({ eventType, open, onOpen, onClose }: { eventType: EventTypeView; open: boolean; onOpen: () => void; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const invalidate = useInvalidate(eventType.name);
  const permanent = eventType.versions.every((v) => v.deletedAt !== null);
  const remove = useMutation(
    trpc.schemas.deleteEventType.mutationOptions({
      onSuccess: (result) => {
        invalidate();
        onClose();
        if (result.eventTypeRemoved) router.push("/schemas");
      },
    }),
  );
  return (
    <section className="card section" data-testid="delete-event-type">
      <h2 className="card-title">{permanent ? "Delete permanently" : "Delete event type"}</h2>
      {!open ? (
        <div className="padded-text">
          <p className="muted">
            {permanent
              ? `Every version of ${eventType.name} is soft-deleted. A permanent delete removes the event type, its versions, producers and subscriptions; it is refused while a topic is bound to it or another schema references it.`
              : `Soft-deletes every version of ${eventType.name}: the registry no longer lists it, but its schema ids still answer.`}
          </p>
          <button type="button" className="danger" onClick={onOpen} data-testid="delete-event-type-open">
            {permanent ? "Delete permanently…" : "Delete every version…"}
          </button>
        </div>
      ) : (
        <div className="padded-text">
          <TypeToConfirm
            name={eventType.name}
            title={permanent ? `Delete ${eventType.name} permanently?` : `Delete every version of ${eventType.name}?`}
            action={permanent ? "Delete permanently" : "Delete every version"}
            pending={remove.isPending}
            error={remove.error ? errorText(remove.error) : null}
            onConfirm={() => remove.mutate({ name: eventType.name, permanent })}
            onCancel={onClose}
            testId={permanent ? "delete-event-type-permanent" : "delete-event-type-soft"}
          >
            <p>{permanent ? "This cannot be undone." : "A soft delete; each version can then be deleted permanently, or the whole event type at once."}</p>
          </TypeToConfirm>
        </div>
      )}
    </section>
  );
}
