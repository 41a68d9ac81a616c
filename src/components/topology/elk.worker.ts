// The ELK layout engine, run in a Web Worker (layout.ts starts it on the first layout that needs
// it). elkjs's worker script answers the messages of its API (elk-api.js) on `self` when loaded.
import "elkjs/lib/elk-worker.min.js";
