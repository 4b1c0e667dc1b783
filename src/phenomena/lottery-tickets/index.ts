/** Property 9 (beyond the seven): sparse subnetworks that train. */
import { defineProperty } from "../property.js";
import { lotteryTicket } from "./lottery-ticket.js";
import { rewinding } from "./rewinding.js";

export const lotteryTicketsProperty = defineProperty({
  id: "lottery-tickets",
  number: 9,
  name: "Lottery tickets",
  title: "A dense network hides a sparse one that trains as well, from the same initial values",
  question: "If a tenth of the weights suffices, why train all of them — and why can't the small net be trained from scratch?",
  group: "beyond",
  tourExperiment: "lottery-ticket",
  experiments: [lotteryTicket, rewinding],
});
