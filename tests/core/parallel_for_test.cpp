#include "layerwatt/core/parallel_for.hpp"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace parallel_for_test {

using layerwatt::parallel_for;

TEST(ParallelFor, RunsEveryTaskOnceWhateverTheThreads) {
  for (const unsigned threads : {0u, 1u, 2u, 7u}) {
    std::vector<int> runs(25, 0);
    parallel_for(runs.size(), threads, [&](std::size_t i) { ++runs[i]; });
    for (const int r : runs) EXPECT_EQ(r, 1) << threads << " threads";
  }
  parallel_for(0, 2, [](std::size_t) { FAIL(); });
}

TEST(ParallelFor, RethrowsATasksException) {
  EXPECT_THROW(parallel_for(10, 2,
                            [](std::size_t i) {
                              if (i == 3) throw std::runtime_error("task 3");
                            }),
               std::runtime_error);
}

}  // namespace parallel_for_test
