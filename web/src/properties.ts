/** The lab's tabs: the seven properties of the mission (the tour's list), then the baseline. */
import { PROPERTIES as MISSION } from "../../src/phenomena/properties.js";

export const PROPERTIES: { id: string; label: string; title: string }[] = [
  ...MISSION.map((p) => ({ id: p.id, label: `${p.number} · ${p.name}`, title: p.title })),
  { id: "foundation", label: "Baseline", title: "A plain classifier, the reference every property departs from" },
];
