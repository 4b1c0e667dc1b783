/** Claims as tests: property "adversarial" (see test/support/claims-at-quick-scale.ts). */
import { adversarialProperty } from "../../src/phenomena/adversarial/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(adversarialProperty);
