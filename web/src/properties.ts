/**
 * The lab's tabs: the seven properties of the mission (the tour's list), those found since, the baseline, then the
 * tools (Inspect your model); from the property modules.
 */
import { PROPERTY_MODULES } from "../../src/phenomena/properties.js";

const tab = (m: (typeof PROPERTY_MODULES)[number]) => ({ id: m.id, label: m.group === "foundation" || m.group === "tool" ? m.name : `${m.number} · ${m.name}`, title: m.title });

export const PROPERTIES: { id: string; label: string; title: string }[] = [
  ...PROPERTY_MODULES.filter((m) => m.group === "seven").map(tab),
  ...PROPERTY_MODULES.filter((m) => m.group === "beyond").map(tab),
  ...PROPERTY_MODULES.filter((m) => m.group === "foundation").map(tab),
  ...PROPERTY_MODULES.filter((m) => m.group === "tool").map(tab),
];
