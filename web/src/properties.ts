/** The lab's tabs: the seven properties of the mission, in order, then the baseline. */
export const PROPERTIES: { id: string; label: string; title: string }[] = [
  { id: "visualization", label: "1 · Black box", title: "Look inside: units, directions, what a unit wants" },
  { id: "adversarial", label: "2 · Dumb errors", title: "Adversarial examples: imperceptible changes flip predictions" },
  { id: "loss-landscape", label: "3 · Non-convex", title: "Strangely non-convex, yet the straight path meets no obstacle" },
  { id: "sharpness", label: "4 · Flat & sharp", title: "Large batches find sharp minima; sharpness is not invariant" },
  { id: "memorization", label: "5 · Memorize & compress", title: "They fit random labels, yet distil and prune" },
  { id: "initialization", label: "6 · Initialization", title: "Init scale and the first examples shape the network" },
  { id: "forgetting", label: "7 · They forget", title: "Catastrophic forgetting, and what helps" },
  { id: "foundation", label: "Baseline", title: "A plain classifier, the reference every property departs from" },
];
