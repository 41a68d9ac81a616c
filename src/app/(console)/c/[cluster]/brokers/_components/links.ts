// The brokers area's paths within the current cluster (ClusterLink prefixes /c/<cluster>).
export const BROKERS_HREF = "/brokers";
export const brokerHref = (nodeId: number) => `${BROKERS_HREF}/${nodeId}`;
export const topicHref = (topic: string) => `/topics/${encodeURIComponent(topic)}`;
