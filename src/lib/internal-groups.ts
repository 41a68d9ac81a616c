// Consumer groups Signalbox itself creates to read records (sampling, browsing). They are not part
// of the system being watched, so the topology never draws them.
export const INTERNAL_GROUP_PREFIX = "signalbox-internal-";
