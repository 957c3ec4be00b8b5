/**
 * The dashboard (Vite + React + wagmi). What it talks to comes from `config.json` in the public
 * folder (OA_APP_PUBLIC, default `.stack/public`, written by `npm run stack`): the deployment
 * record, the indexer's URL, the node's RPC URL and where report documents are served.
 */
import { resolve } from "node:path";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = import.meta.dirname;

export default defineConfig({
  root,
  publicDir: resolve(process.env.OA_APP_PUBLIC ?? resolve(root, "..", ".stack", "public")),
  plugins: [react()],
  // The SDK from this repository, imported as an integrator would ("openattribution").
  resolve: { alias: [{ find: /^openattribution$/, replacement: resolve(root, "..", "sdk", "index.ts") }] },
  build: {
    outDir: resolve(process.env.OA_APP_OUT ?? resolve(root, "..", ".stack", "app-dist")),
    emptyOutDir: true,
    // One bundle: React, wagmi, viem and the SDK are about 0.9 MB minified (0.3 MB gzipped).
    chunkSizeWarningLimit: 1_200,
  },
  server: { host: "127.0.0.1", port: Number(process.env.OA_APP_PORT ?? 5173), strictPort: true },
  preview: { host: "127.0.0.1", port: Number(process.env.OA_APP_PORT ?? 5173), strictPort: true },
});
