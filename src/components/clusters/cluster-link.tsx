"use client";

// A link to a page of the current cluster: `href` is the path within it ("/topics/orders").
import Link from "next/link";
import type { ComponentProps } from "react";
import { clusterPath } from "~/lib/cluster-paths";
import { useCluster } from "./cluster-context";

export function ClusterLink({ href, ...rest }: Omit<ComponentProps<typeof Link>, "href"> & { href: string }) {
  const { name } = useCluster();
  return <Link href={clusterPath(name, href)} {...rest} />;
}
