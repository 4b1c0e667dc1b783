/** Claims as tests: property "edge-of-stability" (see test/support/claims-at-quick-scale.ts). */
import { edgeOfStabilityProperty } from "../../src/phenomena/edge-of-stability/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(edgeOfStabilityProperty);
