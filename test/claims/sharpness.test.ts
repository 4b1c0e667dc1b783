/** Claims as tests: property "sharpness" (see test/support/claims-at-quick-scale.ts). */
import { sharpnessProperty } from "../../src/phenomena/sharpness/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(sharpnessProperty);
