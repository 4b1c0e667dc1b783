import type { FigureSpec } from "../experiment.js";
import type { SequenceDetails } from "./specs.js";

export function permutedFigures(details: SequenceDetails | undefined): FigureSpec[] {
  if (!details) return [];
  const strategies = Object.entries(details);
  const figures: FigureSpec[] = [
    {
      kind: "line",
      id: "forgetting-task1",
      title: "Accuracy on task 1 as later tasks are learned",
      caption: "Naive SGD overwrites task 1; EWC, replay and joint training keep it.",
      x: "tasks trained",
      y: "task-1 test accuracy",
      yDomain: [0, 1],
      series: strategies.map(([name, d]) => ({ name, points: d.R.map((row, i) => [i + 1, row[0]!] as [number, number]) })),
    },
  ];
  for (const [name, d] of strategies) {
    const tasks = d.R.length;
    figures.push({
      kind: "heatmap",
      id: `forgetting-matrix-${name}`,
      title: `Accuracy matrix, ${name}: row = after training task i, column = test on task j`,
      x: "tested on task",
      y: "after task",
      columns: Array.from({ length: tasks }, (_, j) => String(j + 1)),
      rows: Array.from({ length: tasks }, (_, i) => String(i + 1)),
      values: d.R,
      domain: [0, 1],
    });
    // every task's test accuracy from the moment it is learned to the end of the sequence (at most 10 drawn)
    const shown = Array.from({ length: Math.min(tasks, 10) }, (_, k) => Math.round((k * (tasks - 1)) / Math.max(1, Math.min(tasks, 10) - 1)));
    figures.push({
      kind: "line",
      id: `forgetting-curves-${name}`,
      title: `${name}: each task's test accuracy across the sequence`,
      caption: "One line per task, starting when it is trained: a falling line is forgetting.",
      x: "tasks trained",
      y: "test accuracy",
      yDomain: [0, 1],
      series: [...new Set(shown)].map((j) => ({ name: `task ${j + 1}`, points: d.R.slice(j).map((row, k) => [j + k + 1, row[j]!] as [number, number]) })),
    });
  }
  return figures;
}
