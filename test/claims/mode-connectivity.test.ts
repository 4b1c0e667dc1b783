/** Claims as tests: property "mode-connectivity" (see test/support/claims-at-quick-scale.ts). */
import { modeConnectivityProperty } from "../../src/phenomena/mode-connectivity/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(modeConnectivityProperty);
