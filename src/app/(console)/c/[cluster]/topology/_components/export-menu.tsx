"use client";

// Export the graph as drawn (PNG, SVG) or as data (the JSON of GET /api/topology.json).
import { useCluster } from "~/components/clusters/cluster-context";
import { getNodesBounds, getViewportForBounds, useReactFlow } from "@xyflow/react";
import { toPng, toSvg } from "html-to-image";
import { useState } from "react";

const PADDING = 40;
const MAX_SIDE = 8000;

function download(dataUrl: string, filename: string) {
  const a = document.createElement("a");
  a.href = dataUrl;
  a.download = filename;
  a.click();
}

export function ExportMenu({ cluster }: { cluster: string }) {
  const pageCluster = useCluster().name;
  const flow = useReactFlow();
  const [busy, setBusy] = useState<"png" | "svg" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function exportImage(kind: "png" | "svg") {
    const viewport = document.querySelector<HTMLElement>(".tp-canvas .react-flow__viewport");
    const nodes = flow.getNodes();
    if (!viewport || nodes.length === 0) return;
    setBusy(kind);
    setError(null);
    // Off-screen nodes are not rendered (onlyRenderVisibleElements): show them all while capturing.
    const before = flow.getViewport();
    await flow.fitView({ duration: 0 });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    try {
      // Render the whole graph, not just what is on screen: fit its bounds into the image.
      const bounds = getNodesBounds(nodes);
      const scale = Math.min(1, MAX_SIDE / Math.max(bounds.width + PADDING * 2, bounds.height + PADDING * 2));
      const width = Math.ceil((bounds.width + PADDING * 2) * scale);
      const height = Math.ceil((bounds.height + PADDING * 2) * scale);
      const fit = getViewportForBounds(bounds, width, height, 0.01, 2, PADDING / Math.max(width, height));
      const options = {
        backgroundColor: "#0f1419",
        width,
        height,
        style: { width: `${width}px`, height: `${height}px`, transform: `translate(${fit.x}px, ${fit.y}px) scale(${fit.zoom})` },
      };
      const url = kind === "png" ? await toPng(viewport, options) : await toSvg(viewport, options);
      download(url, `signalbox-topology-${cluster}.${kind}`);
    } catch (e) {
      setError(`Could not export ${kind.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      void flow.setViewport(before);
      setBusy(null);
    }
  }

  return (
    <div className="tp-export" data-testid="topology-export">
      <span className="muted small">Export</span>
      <button onClick={() => void exportImage("png")} disabled={busy !== null} data-testid="export-png">
        {busy === "png" ? "…" : "PNG"}
      </button>
      <button onClick={() => void exportImage("svg")} disabled={busy !== null} data-testid="export-svg">
        {busy === "svg" ? "…" : "SVG"}
      </button>
      <a className="tp-link-button" href={`/api/topology.json?cluster=${encodeURIComponent(pageCluster)}`} download={`signalbox-topology-${cluster}.json`} data-testid="export-json">
        JSON
      </a>
      {error && (
        <span className="error-text small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
