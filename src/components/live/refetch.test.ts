import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { refetchAfterChange, refetchSampledView } from "./refetch";

/** A job query whose server answers RUNNING until the change, COMPLETED after; each fetch waits for `answer`. */
function jobOnScreen() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
  let status = "RUNNING";
  const pending: Array<() => void> = [];
  const queryFn = () => {
    const readAt = status; // the server reads the state when the request arrives
    return new Promise<string>((resolve) => pending.push(() => resolve(readAt)));
  };
  const observer = new QueryObserver(queryClient, { queryKey: ["jobs", "get", 7], queryFn });
  const unsubscribe = observer.subscribe(() => undefined);
  const answerAll = async () => {
    for (let i = 0; i < 10; i++) {
      pending.splice(0).forEach((answer) => answer());
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { queryClient, observer, unsubscribe, answerAll, finish: () => void (status = "COMPLETED") };
}

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe("refetchAfterChange", () => {
  it("shows the change announced while the query's first fetch was in flight", async () => {
    const job = jobOnScreen();
    cleanup = job.unsubscribe;
    job.finish(); // the job finished after the first read, and its announcement arrives now
    await Promise.all([refetchAfterChange(job.queryClient, { queryKey: ["jobs"] }), job.answerAll()]);
    await job.answerAll();
    expect(job.observer.getCurrentResult().data).toBe("COMPLETED");
  });

  it("is needed: a plain invalidation joins the first fetch and keeps its stale answer", async () => {
    const job = jobOnScreen();
    cleanup = job.unsubscribe;
    job.finish();
    await Promise.all([job.queryClient.invalidateQueries({ queryKey: ["jobs"] }), job.answerAll()]);
    await job.answerAll();
    expect(job.observer.getCurrentResult().data).toBe("RUNNING");
  });

  it("lets the first fetch show its answer, then refetches, rather than cancelling it", async () => {
    const job = jobOnScreen();
    cleanup = job.unsubscribe;
    const shown: unknown[] = [];
    const unsubscribe = job.observer.subscribe((result) => {
      if (result.data !== undefined && shown.at(-1) !== result.data) shown.push(result.data);
    });
    job.finish();
    await Promise.all([refetchAfterChange(job.queryClient, { queryKey: ["jobs"] }), job.answerAll()]);
    await job.answerAll();
    unsubscribe();
    // The page shows the first read at once (cancelled, it would show nothing until the second).
    expect(shown).toEqual(["RUNNING", "COMPLETED"]);
  });

  it("refetches a query that already has data, and leaves other queries alone", async () => {
    const job = jobOnScreen();
    cleanup = job.unsubscribe;
    await job.answerAll();
    expect(job.observer.getCurrentResult().data).toBe("RUNNING");
    const other = job.queryClient.getQueryCache().build(job.queryClient, { queryKey: ["dlq", "overview"], queryFn: () => Promise.resolve("x") });
    job.finish();
    await Promise.all([refetchAfterChange(job.queryClient, { queryKey: ["jobs"] }), job.answerAll()]);
    expect(job.observer.getCurrentResult().data).toBe("COMPLETED");
    expect(other.state.fetchStatus).toBe("idle");
  });
});

/** A topology on screen whose server builds it from sample `latest`; counts the reads. */
function sampledViewOnScreen(firstAnswer: "now" | "later") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
  const view = { latest: 100, reads: 0, pending: [] as Array<() => void> };
  const queryFn = () => {
    view.reads++;
    const sampledAt = view.latest;
    if (firstAnswer === "now" && view.reads === 1) return Promise.resolve({ sampledAt });
    return new Promise<{ sampledAt: number }>((resolve) => view.pending.push(() => resolve({ sampledAt })));
  };
  const observer = new QueryObserver(queryClient, { queryKey: ["topology", "graph"], queryFn });
  const unsubscribe = observer.subscribe(() => undefined);
  const refetch = (event: Parameters<typeof refetchSampledView>[2]) =>
    refetchSampledView(queryClient, ["topology", "graph"], event, (data: { sampledAt: number }) => data.sampledAt);
  const answerAll = async () => {
    for (let i = 0; i < 10; i++) {
      view.pending.splice(0).forEach((answer) => answer());
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  const shown = () => observer.getCurrentResult().data?.sampledAt;
  return { view, observer, unsubscribe, refetch, answerAll, shown };
}

describe("refetchSampledView", () => {
  it("skips the announcement of a sample the view already shows, and reads a newer one", async () => {
    const topology = sampledViewOnScreen("now");
    cleanup = topology.unsubscribe;
    await topology.answerAll();
    expect(topology.shown()).toBe(100);
    await topology.refetch({ kind: "sample", cluster: "local", takenAt: 100 });
    expect(topology.view.reads).toBe(1);
    topology.view.latest = 102;
    await Promise.all([topology.refetch({ kind: "sample", cluster: "local", takenAt: 102 }), topology.answerAll()]);
    expect(topology.view.reads).toBe(2);
    expect(topology.shown()).toBe(102);
  });

  it("on a resync, skips an answer that came while the stream was opening and reads one from before", async () => {
    const topology = sampledViewOnScreen("now");
    cleanup = topology.unsubscribe;
    await topology.answerAll();
    const answeredAt = topology.observer.getCurrentResult().dataUpdatedAt;
    await topology.refetch({ kind: "resync", since: answeredAt });
    expect(topology.view.reads).toBe(1);
    // The stream was down since after the answer: samples may have been missed.
    topology.view.latest = 104;
    await Promise.all([topology.refetch({ kind: "resync", since: answeredAt + 1 }), topology.answerAll()]);
    expect(topology.view.reads).toBe(2);
    expect(topology.shown()).toBe(104);
  });

  it("on a resync, lets a first read still out stand alone", async () => {
    const topology = sampledViewOnScreen("later");
    cleanup = topology.unsubscribe;
    await Promise.all([topology.refetch({ kind: "resync", since: 0 }), topology.answerAll()]);
    await topology.answerAll();
    expect(topology.view.reads).toBe(1);
    expect(topology.shown()).toBe(100);
  });
});
