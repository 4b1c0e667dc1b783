/**
 * The addition table of the integers modulo m as a classification set (Power et al. 2022's algorithmic data): every
 * pair (a, b) is one example, its input the one-hot code of a followed by the one-hot code of b (2m features), its
 * label (a + b) mod m. Example k is the pair (floor(k / m), k mod m), so a run's subset indices name the pairs.
 */
import { ConfigError } from "../core/errors.js";
import { makeDataset, type Dataset } from "./dataset.js";

export function modularAdditionTable(modulus: number): Dataset {
  if (!Number.isInteger(modulus) || modulus < 2) throw new ConfigError(`modulus must be an integer >= 2, got ${modulus}`, "Power et al. used the prime 97");
  const n = modulus * modulus;
  const width = 2 * modulus;
  const x = new Float32Array(n * width);
  const y = new Int32Array(n);
  for (let a = 0; a < modulus; a++) {
    for (let b = 0; b < modulus; b++) {
      const k = a * modulus + b;
      x[k * width + a] = 1;
      x[k * width + modulus + b] = 1;
      y[k] = (a + b) % modulus;
    }
  }
  return makeDataset(`modular-addition/${modulus}`, x, y, [width], modulus);
}
