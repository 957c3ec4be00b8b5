import { useState } from "react";
import { getAddress, isAddress } from "viem";

import { shortHex } from "../format.ts";

/** An address or hash shortened, with a button that copies it whole. */
export function Hex({ value: raw, href }: { value: string; href?: string }) {
  const [copied, setCopied] = useState(false);
  // The indexer stores addresses in lower case: show them checksummed.
  const value = raw.length === 42 && isAddress(raw, { strict: false }) ? getAddress(raw) : raw;
  const copy = async () => {
    await navigator.clipboard?.writeText(value).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1_200);
  };
  return (
    <span className="hex" title={value}>
      {href ? <a href={href}>{shortHex(value)}</a> : shortHex(value)}
      <button type="button" className="copy" onClick={copy} aria-label={`copy ${value}`}>
        {copied ? "copied" : "copy"}
      </button>
    </span>
  );
}
