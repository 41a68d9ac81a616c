import type { Locator, Page } from "@playwright/test";

export class MessagesPage {
  readonly topic: Locator;
  readonly start: Locator;
  readonly search: Locator;
  readonly rows: Locator;
  readonly summary: Locator;
  readonly status: Locator;
  constructor(readonly page: Page) {
    this.topic = page.getByTestId("topic-select");
    this.start = page.getByTestId("start-select");
    this.search = page.getByTestId("search");
    this.rows = page.getByTestId("message-row");
    this.summary = page.getByTestId("scan-summary");
    this.status = page.getByTestId("scan-status");
  }
  async goto(topic?: string) {
    await this.page.goto(topic ? `/messages?topic=${encodeURIComponent(topic)}` : "/messages");
  }
  async chooseTopic(topic: string) {
    await this.topic.selectOption(topic);
  }
  filter(name: string): Locator {
    return this.page.getByTestId(`filter-${name}`);
  }
  async searchAndWait() {
    await this.search.click();
    await this.page.locator('[data-testid="scan-status"][data-state="done"]').waitFor({ timeout: 60_000 });
  }
}

export class ReplayPage {
  constructor(readonly page: Page) {}
  goto() {
    return this.page.goto("/replay");
  }
  field(name: string): Locator {
    return this.page.getByTestId(name);
  }
}
