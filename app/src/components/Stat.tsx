import type { ReactNode } from "react";

/** One labelled figure of a `<dl className="stats">`. */
export function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
