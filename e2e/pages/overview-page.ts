import type { Locator, Page } from "@playwright/test";

export class OverviewPage {
  readonly kafkaStatus: Locator;
  readonly dbStatus: Locator;
  readonly workerStatus: Locator;
  readonly clusterId: Locator;
  readonly brokers: Locator;
  readonly kafkaVersion: Locator;
  readonly kafkaDownBanner: Locator;
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.kafkaStatus = page.getByTestId("status-kafka");
    this.dbStatus = page.getByTestId("status-db");
    this.workerStatus = page.getByTestId("status-worker");
    this.clusterId = page.getByTestId("cluster-id");
    this.brokers = page.getByTestId("brokers");
    this.kafkaVersion = page.getByTestId("kafka-version");
    this.kafkaDownBanner = page.getByTestId("kafka-down");
    this.liveIndicator = page.getByTestId("live-indicator");
  }

  async goto() {
    // The default cluster's overview (the home at / lists every cluster).
    await this.page.goto("/c/local");
  }

  count(name: "topics" | "partitions" | "groups"): Locator {
    return this.page.getByTestId(`count-${name}-value`);
  }
}
