/** Claims as tests: property "memorization" (see test/support/claims-at-quick-scale.ts). */
import { memorizationProperty } from "../../src/phenomena/memorization/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(memorizationProperty);
