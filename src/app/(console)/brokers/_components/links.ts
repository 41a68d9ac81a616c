// The brokers area's URLs in one place, so moving the pages (e.g. under a cluster's path) changes one file.
export const BROKERS_HREF = "/brokers";
export const brokerHref = (nodeId: number) => `${BROKERS_HREF}/${nodeId}`;
export const topicHref = (topic: string) => `/topics/${encodeURIComponent(topic)}`;
