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

  goto() {
    return this.page.goto("/topology");
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

  /** "7 of 12 nodes" → [7, 12] */
  async counts(): Promise<[number, number]> {
    const match = ((await this.visibleCount.textContent()) ?? "").match(/(\d+) of (\d+)/);
    if (!match) throw new Error("no node count shown");
    return [Number(match[1]), Number(match[2])];
  }
}
