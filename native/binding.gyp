{
  "targets": [
    {
      "target_name": "quirklab_native",
      "sources": ["src/addon.cc", "src/gemm.cc", "src/ops.cc", "src/pool.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off", "-Wall", "-Wno-unused-function"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++14", "-std=gnu++17"],
      "cflags!": ["-fno-exceptions"],
      "ldflags": ["-pthread"]
    }
  ]
}
