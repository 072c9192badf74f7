// Micro-benchmarks of the repair's text work: tokenizing and rewriting stored
// schema SQL. Built with -DSQLMEND_BUILD_BENCH=ON; run .build/<dir>/micro_bench.
#include <benchmark/benchmark.h>

#include <string>

#include "schema/rewriter.h"
#include "sql/tokenizer.h"

namespace {

std::string WideTable(int columns) {
  std::string sql = "CREATE TABLE \"orders\"(id INTEGER PRIMARY KEY";
  for (int i = 0; i < columns; ++i) {
    sql += ", c" + std::to_string(i) + " INTEGER REFERENCES \"users__old\"(id) ON DELETE CASCADE"
           " DEFAULT 'users__old' /* note */";
  }
  return sql + ")";
}

void BM_Tokenize(benchmark::State& state) {
  std::string sql = WideTable(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(sqlmend::sql::Tokenize(sql));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sql.size()));
}
BENCHMARK(BM_Tokenize)->Arg(10)->Arg(1000);

void BM_RewriteReferences(benchmark::State& state) {
  std::string sql = WideTable(static_cast<int>(state.range(0)));
  sqlmend::schema::RenameMap renames{{"users__old", "users"}};
  for (auto _ : state) benchmark::DoNotOptimize(sqlmend::schema::RewriteReferences(sql, renames));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sql.size()));
}
BENCHMARK(BM_RewriteReferences)->Arg(10)->Arg(1000);

}  // namespace
