/** Claims as tests: property "initialization" (see test/support/claims-at-quick-scale.ts). */
import { initializationProperty } from "../../src/phenomena/initialization/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(initializationProperty);
