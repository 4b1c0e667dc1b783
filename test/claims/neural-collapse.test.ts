/** Claims as tests: property "neural-collapse" (see test/support/claims-at-quick-scale.ts). */
import { neuralCollapseProperty } from "../../src/phenomena/neural-collapse/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(neuralCollapseProperty);
