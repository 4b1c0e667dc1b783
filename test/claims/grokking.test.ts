/** Claims as tests: property "grokking" (see test/support/claims-at-quick-scale.ts). */
import { grokkingProperty } from "../../src/phenomena/grokking/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(grokkingProperty);
