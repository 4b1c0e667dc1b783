#include "pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QL_PAUSE() _mm_pause()
#else
#define QL_PAUSE() std::this_thread::yield()
#endif

namespace ql {
namespace {

// Set while a thread runs tasks of a parallel region (workers: always): a region opened inside one (a convolution's
// per-image GEMM) runs inline instead of asking the pool, which is busy with the outer region and whose caller lock
// this thread may already hold.
thread_local bool t_in_region = false;

// Job protocol: the caller bumps `job`, publishes tasks and fn, then opens the ticket counter `next` whose high
// 32 bits carry the job number. A thread claims a ticket only if it belongs to the job it woke for (checked before
// the claiming compare-and-swap), so a late worker can never drop, repeat or mix tasks of two jobs.
struct Pool {
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<uint32_t> job{0};
  std::atomic<uint64_t> next{0};
  std::atomic<int> tasks{0};
  std::atomic<const std::function<void(int)>*> fn{nullptr};
  std::atomic<int> done{0};
  std::atomic<bool> stopping{false};
  int threads = 1;
  // One caller at a time owns the workers: JS worker threads (--seeds) share this process-wide pool, and a caller
  // that finds it busy runs its tasks inline, which gives the same results.
  std::mutex caller;

  void drain(uint32_t my_job) {
    for (;;) {
      // Claim a ticket by compare-and-swap, never by a blind fetch_add: a thread still finishing the previous job
      // would otherwise consume (and drop) the first ticket of the next one, and the caller would wait forever.
      uint64_t ticket = next.load(std::memory_order_acquire);
      const uint32_t ticket_job = static_cast<uint32_t>(ticket >> 32);
      if (ticket_job != my_job) {
        // the caller bumped `job` but has not opened this job's tickets yet: wait for them
        if (static_cast<int32_t>(ticket_job - my_job) < 0 && !stopping.load(std::memory_order_acquire)) {
          QL_PAUSE();
          continue;
        }
        return;
      }
      const int index = static_cast<int>(ticket & 0xffffffffu);
      const int total = tasks.load(std::memory_order_acquire);
      if (job.load(std::memory_order_acquire) != my_job || index >= total) return;
      if (!next.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
      (*fn.load(std::memory_order_acquire))(index);
      done.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void worker_loop() {
    t_in_region = true;
    uint32_t seen = job.load(std::memory_order_acquire);
    for (;;) {
      // spin about 2 ms before sleeping: a training step launches many short parallel regions back to back
      auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(2000);
      bool got = false;
      while (!got && std::chrono::steady_clock::now() < until) {
        for (int i = 0; i < 64; i++) {
          if (job.load(std::memory_order_acquire) != seen || stopping.load(std::memory_order_acquire)) {
            got = true;
            break;
          }
          QL_PAUSE();
        }
      }
      if (!got) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return job.load(std::memory_order_acquire) != seen || stopping.load(); });
      }
      if (stopping.load()) return;
      seen = job.load(std::memory_order_acquire);
      drain(seen);
    }
  }

  void resize(int n) {
    if (n < 1) n = 1;
    if (n > 64) n = 64;
    if (n == threads && static_cast<int>(workers.size()) == n - 1) return;
    stop();
    threads = n;
    stopping = false;
    for (int i = 0; i < n - 1; i++) workers.emplace_back([this] { worker_loop(); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (auto& w : workers) w.join();
    workers.clear();
  }

  ~Pool() { stop(); }
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void pool_set_threads(int n) {
  Pool& p = pool();
  std::lock_guard<std::mutex> owner(p.caller);
  p.resize(n);
}
int pool_threads() { return pool().threads; }

namespace {
struct RegionFlag {
  bool saved = t_in_region;
  RegionFlag() { t_in_region = true; }
  ~RegionFlag() { t_in_region = saved; }
};
}  // namespace

void parallel_for(int tasks, const std::function<void(int)>& fn) {
  Pool& p = pool();
  if (tasks <= 0) return;
  if (t_in_region) {
    for (int t = 0; t < tasks; t++) fn(t);
    return;
  }
  std::unique_lock<std::mutex> owner(p.caller, std::try_to_lock);
  if (!owner.owns_lock() || tasks == 1 || p.workers.empty()) {
    RegionFlag flag;
    for (int t = 0; t < tasks; t++) fn(t);
    return;
  }
  RegionFlag flag;
  uint32_t my_job;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    my_job = p.job.fetch_add(1, std::memory_order_acq_rel) + 1;
    p.tasks.store(tasks, std::memory_order_release);
    p.fn.store(&fn, std::memory_order_release);
    p.done.store(0, std::memory_order_release);
    p.next.store(static_cast<uint64_t>(my_job) << 32, std::memory_order_release);
  }
  p.wake.notify_all();
  p.drain(my_job);
  while (p.done.load(std::memory_order_acquire) < tasks) QL_PAUSE();
}

}  // namespace ql
