import type { Locator, Page } from "@playwright/test";

export class TopologyPage {
  readonly canvas: Locator;
  readonly nodes: Locator;
  readonly panel: Locator;
  readonly panelTitle: Locator;
  readonly visibleCount: Locator;
  readonly driftItems: Locator;
  readonly search: Locator;
  readonly teamFilter: Locator;
  readonly domainFilter: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId("topology-canvas");
    this.nodes = page.getByTestId("topology-node");
    this.panel = page.getByTestId("node-panel");
    this.panelTitle = page.getByTestId("node-panel-title");
    this.visibleCount = page.getByTestId("visible-count");
    this.driftItems = page.getByTestId("drift-item");
    this.search = page.getByTestId("topology-search");
    this.teamFilter = page.getByTestId("filter-team");
    this.domainFilter = page.getByTestId("filter-domain");
  }

  /**
   * Every node drawn by default: the demo system is below the size that groups by domain, but the
   * other specs leave topics and groups on the shared broker, which could push it over.
   */
  goto(view: "nodes" | "domains" = "nodes") {
    return this.page.goto(`/topology?view=${view}`);
  }

  node(id: string): Locator {
    return this.page.locator(`[data-testid="topology-node"][data-node-id="${id}"]`);
  }

  edge(id: string): Locator {
    return this.page.locator(`.react-flow__edge[data-id="${id}"]`);
  }

  async shownNodeIds(): Promise<string[]> {
    return this.nodes.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.nodeId ?? "").sort());
  }

  /**
   * Nodes drawn on the canvas whose box is not wholly inside both the canvas and the browser window,
   * and how many are drawn at all (React Flow leaves nodes out of view undrawn, so the count matters).
   */
  async framing(): Promise<{ drawn: number; outside: string[] }> {
    return this.page.evaluate(() => {
      const canvas = document.querySelector(".tp-canvas .react-flow");
      if (!canvas) return { drawn: 0, outside: ["(no graph yet)"] };
      const pane = canvas.getBoundingClientRect();
      const within = (r: DOMRect) => r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 && r.top >= pane.top - 0.5 && r.bottom <= pane.bottom + 0.5 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
      const nodes = [...document.querySelectorAll<HTMLElement>('[data-testid="topology-node"]')];
      return { drawn: nodes.length, outside: nodes.filter((n) => !within(n.getBoundingClientRect())).map((n) => n.dataset.nodeId ?? "") };
    });
  }

  /** The camera: React Flow's viewport transform. */
  viewport(): Promise<string> {
    return this.page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
  }

  /** How many live updates have reached the screen (the page counts them for the benchmark). */
  liveUpdates(): Promise<number> {
    return this.page.evaluate(() => (window as { __topologyStats?: { updateMs: number[] } }).__topologyStats?.updateMs.length ?? 0);
  }

  /** "7 of 12 nodes" → [7, 12] */
  async counts(): Promise<[number, number]> {
    const match = ((await this.visibleCount.textContent()) ?? "").match(/(\d+) of (\d+)/);
    if (!match) throw new Error("no node count shown");
    return [Number(match[1]), Number(match[2])];
  }
}
