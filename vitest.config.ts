import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // 2 cores: more parallel files only fight over them
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
