import { defineConfig } from "vitest/config";

export const vitestConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});

// biome-ignore lint/style/noDefaultExport: Vitest loads its config from the default export.
export default vitestConfig;
