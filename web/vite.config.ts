import { defineConfig } from "vite";

// The lab is static files: `base: "./"` lets it be served from any folder (quirklab lab, a file server, GitHub Pages).
export default defineConfig({
  root: __dirname,
  base: "./",
  publicDir: "public",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // tfjs lives in the worker chunk only (1.3 MB); the page's first chunk stays without it
    chunkSizeWarningLimit: 3000,
    target: "es2022",
    rollupOptions: {
      onwarn(warning, warn) {
        // zod 4 ships comments Rollup cannot place; harmless, and noise in every build
        if (warning.code === "INVALID_ANNOTATION") return;
        warn(warning);
      },
    },
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
