//===- Merge.cpp - kmark merge: merge shards into an index ----------------===//
//
// kmark merge -o INDEX SHARD|DIR...: merges shards (and the header shards
// they refer to) into an index, without parsing; the exit status is 2 when
// a shard could not be read.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "kmark/Serialization.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace kmark::driver {

int mergeMain() {
  unsigned Bad = 0;
  size_t NumShards = 0;
  auto Start = std::chrono::steady_clock::now();
  std::unique_ptr<FactSet> Merged =
      mergeShards(MergeInputs, absolutePath("."), Bad, NumShards);
  if (llvm::Error E = writeFileAtomically(
          MergeOut, encodeFacts(FactsKind::Index, *Merged)))
    return fail(llvm::toString(std::move(E)));
  double Secs = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - Start)
                    .count();
  llvm::errs() << llvm::formatv("kmark: merged {0} shards ({1} unreadable) "
                                "into {2}: {3} files, {4:f2}s\n",
                                NumShards, Bad, MergeOut,
                                Merged->Files.size(), Secs);
  return Bad ? 2 : 0;
}

} // namespace kmark::driver
