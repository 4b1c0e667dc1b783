/** Claims as tests: property "double-descent" (see test/support/claims-at-quick-scale.ts). */
import { doubleDescentProperty } from "../../src/phenomena/double-descent/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(doubleDescentProperty);
