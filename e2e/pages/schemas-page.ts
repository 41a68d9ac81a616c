// Page objects for the Schemas area: the catalog list and one event type.
import type { Locator, Page } from "@playwright/test";

export class SchemasListPage {
  readonly rows: Locator;
  readonly registerForm: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId("schema-row");
    this.registerForm = page.getByTestId("register-form");
  }
  goto() {
    return this.page.goto("/schemas");
  }
  row(name: string): Locator {
    return this.page.locator(`[data-testid="schema-row"][data-name="${name}"]`);
  }
  async register(input: { name: string; domain: string; owner: string; topics: string; schema: object }) {
    await this.page.getByTestId("register-open").click();
    await this.page.getByTestId("et-name").fill(input.name);
    await this.page.getByTestId("et-domain").fill(input.domain);
    await this.page.getByTestId("et-owner").fill(input.owner);
    await this.page.getByTestId("et-topics").fill(input.topics);
    await this.page.getByTestId("et-description").fill(`Registered by the end-to-end test as ${input.name}.`);
    await this.page.getByTestId("et-schema").fill(JSON.stringify(input.schema, null, 2));
    await this.page.getByTestId("et-submit").click();
  }
}

export class EventTypePage {
  readonly versionRows: Locator;
  readonly editor: Locator;
  readonly refusal: Locator;
  readonly diff: Locator;
  readonly conformance: Locator;
  constructor(readonly page: Page) {
    this.versionRows = page.getByTestId("version-row");
    this.editor = page.getByTestId("version-schema");
    this.refusal = page.getByTestId("refusal");
    this.diff = page.getByTestId("version-diff");
    this.conformance = page.getByTestId("conformance");
  }
  goto(name: string) {
    return this.page.goto(`/schemas/${encodeURIComponent(name)}`);
  }
  async submitVersion(schema: object | string) {
    await this.editor.fill(typeof schema === "string" ? schema : JSON.stringify(schema, null, 2));
    await this.page.getByTestId("version-submit").click();
  }
}
