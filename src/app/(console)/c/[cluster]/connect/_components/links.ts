// The Connect area's paths within the current cluster (ClusterLink prefixes /c/<cluster>).
export const CONNECT_HREF = "/connect";
export const connectorHref = (connect: string, connector: string) => `${CONNECT_HREF}/${encodeURIComponent(connect)}/${encodeURIComponent(connector)}`;
export const dlqHref = (topic: string) => `/dlq?topic=${encodeURIComponent(topic)}`;
