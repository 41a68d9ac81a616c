// The list pages' first requests, built the same way by the server (which renders the first rows
// into the page) and the browser (which must ask with the same key to find them).
import type { RouterInputs } from "~/trpc/types";

/** Rows in one request: a few screens. The server holds the list; the table asks for the windows it shows. */
export const LIST_WINDOW_ROWS = 100;

export type GroupsPageQuery = Required<RouterInputs["lag"]["groupsPage"]>;
export type TopicsPageQuery = Required<RouterInputs["lag"]["topicsPage"]>;

/** Worst first: what a person opening the groups page wants to see. */
export const FIRST_GROUPS_QUERY: Omit<GroupsPageQuery, "offset" | "limit"> = { filter: "", status: null, sort: "status", dir: "desc" };
export const FIRST_TOPICS_QUERY: Omit<TopicsPageQuery, "offset" | "limit"> = { filter: "", sort: "topic", dir: "asc" };

export const firstWindow = <Q extends object>(query: Q) => ({ ...query, offset: 0, limit: LIST_WINDOW_ROWS });
