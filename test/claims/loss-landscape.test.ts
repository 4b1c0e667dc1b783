/** Claims as tests: property "loss-landscape" (see test/support/claims-at-quick-scale.ts). */
import { lossLandscapeProperty } from "../../src/phenomena/loss-landscape/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(lossLandscapeProperty);
