/** Claims as tests: property "forgetting" (see test/support/claims-at-quick-scale.ts). */
import { forgettingProperty } from "../../src/phenomena/forgetting/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(forgettingProperty);
