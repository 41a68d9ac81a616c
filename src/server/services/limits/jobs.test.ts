import { describe, expect, it } from "vitest";
import { assertCanStartJob } from "./jobs";

describe("assertCanStartJob", () => {
  it("allows a job while the user has fewer than the maximum queued or running", async () => {
    const counted: string[] = [];
    await expect(assertCanStartJob("ann@x.io", { max: 5, countActive: async (user) => (counted.push(user), 4) })).resolves.toBeUndefined();
    expect(counted).toEqual(["ann@x.io"]);
  });

  it("refuses at the maximum with TOO_MANY_REQUESTS naming MAX_ACTIVE_JOBS_PER_USER", async () => {
    await expect(assertCanStartJob("ann@x.io", { max: 5, countActive: async () => 5 })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      userMessage: "ann@x.io already has 5 replay or redrive jobs queued or running, the most one user may have (MAX_ACTIVE_JOBS_PER_USER=5). Wait for one to finish, or cancel one.",
    });
  });
});
