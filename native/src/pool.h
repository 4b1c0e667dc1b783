// A persistent thread pool for 2-core machines: workers spin briefly before sleeping, so the many short parallel
// regions of a training step do not pay a wake-up each. Tasks write disjoint outputs, so results never depend on
// which thread ran which task.
#pragma once
#include <functional>

namespace ql {

void pool_set_threads(int n);  // total threads including the caller; clamped to [1, 64]
int pool_threads();
// Runs fn(task) for task in [0, tasks) across the pool; returns when all are done.
void parallel_for(int tasks, const std::function<void(int)>& fn);

}  // namespace ql
