/** Claims as tests: property "linear-probes" (see test/support/claims-at-quick-scale.ts). */
import { linearProbesProperty } from "../../src/phenomena/linear-probes/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(linearProbesProperty);
