import { describe, expect, it } from "vitest";
import { DivergenceError } from "../../src/core/errors.js";
import { selectByValidation } from "../../src/training/select-by-validation.js";

describe("choosing a hyperparameter by validation error", () => {
  it("keeps the candidate with the lowest error, the first of them on a tie, and reports every candidate in grid order", async () => {
    const table: Record<number, number> = { 0.1: 0.3, 0.3: 0.12, 1: 0.12 };
    const tried: number[] = [];
    const choice = await selectByValidation([0.1, 0.3, 1], async (lr) => (tried.push(lr), table[lr]!));
    expect(tried).toEqual([0.1, 0.3, 1]);
    expect(choice.best).toBe(0.3);
    expect(choice.errors).toEqual([
      { value: 0.1, validationError: 0.3 },
      { value: 0.3, validationError: 0.12 },
      { value: 1, validationError: 0.12 },
    ]);
  });

  it("a diverged or NaN candidate counts as the worst; any other failure stops the choice", async () => {
    const diverged = await selectByValidation([1, 0.1, 0.01], async (lr) => {
      if (lr === 1) throw new DivergenceError(1, 3, Number.NaN);
      return lr === 0.1 ? Number.NaN : 0.5;
    });
    expect(diverged.best).toBe(0.01);
    expect(diverged.errors.map((e) => e.validationError)).toEqual([Infinity, Infinity, 0.5]);
    await expect(selectByValidation([0.1], async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    await expect(selectByValidation([], async () => 0)).rejects.toThrow(RangeError);
  });
});
