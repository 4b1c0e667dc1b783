/** Claims as tests: property "lottery-tickets" (see test/support/claims-at-quick-scale.ts). */
import { lotteryTicketsProperty } from "../../src/phenomena/lottery-tickets/index.js";
import { claimsAtQuickScale } from "../support/claims-at-quick-scale.js";

claimsAtQuickScale(lotteryTicketsProperty);
