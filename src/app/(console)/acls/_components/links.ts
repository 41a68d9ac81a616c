// The ACLs area's URL in one place, so moving the page (e.g. under a cluster's path) changes one file.
export const ACLS_HREF = "/acls";
