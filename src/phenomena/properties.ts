/** The seven properties of the mission, in order: the tour's stops and the lab's tabs are built from this list. */
export interface PropertyInfo {
  /** The `property` of its experiments. */
  id: string;
  number: number;
  /** Short name, e.g. "Black box". */
  name: string;
  /** One line: what the property shows. */
  title: string;
}

export const PROPERTIES: PropertyInfo[] = [
  { id: "visualization", number: 1, name: "Black box", title: "Look inside: units, directions, what a unit wants" },
  { id: "adversarial", number: 2, name: "Dumb errors", title: "Adversarial examples: imperceptible changes flip predictions" },
  { id: "loss-landscape", number: 3, name: "Strangely non-convex", title: "Strangely non-convex, yet the straight path meets no obstacle" },
  { id: "sharpness", number: 4, name: "Best when badly trained", title: "Large batches find sharp minima; sharpness is not invariant" },
  { id: "memorization", number: 5, name: "Memorize and compress", title: "They fit random labels, yet distil and prune" },
  { id: "initialization", number: 6, name: "Initialization matters", title: "Init scale and the first examples shape the network" },
  { id: "forgetting", number: 7, name: "They forget", title: "Catastrophic forgetting, and what helps" },
];
