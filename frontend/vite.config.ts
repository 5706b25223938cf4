/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app on :5173 and forwards the API to a running
// `integra serve` on :8080; `npm run build` writes dist/, which the server
// serves itself.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/graphql": "http://127.0.0.1:8080",
      "/calendar": "http://127.0.0.1:8080",
      "/health": "http://127.0.0.1:8080",
    },
  },
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
