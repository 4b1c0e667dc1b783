/** Claims as tests: property "visualization" (see test/support/claims-at-quick-scale.ts). */
import { visualizationProperty } from "../../src/phenomena/visualization/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(visualizationProperty);
