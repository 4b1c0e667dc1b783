/** Claims as tests: property "baseline" (see test/support/claims-at-quick-scale.ts). */
import { baselineProperty } from "../../src/phenomena/baseline/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(baselineProperty);
