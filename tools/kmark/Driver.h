//===- Driver.h - Running clang-tidy with kmark over a compile database ---===//

#ifndef KMARK_TOOLS_DRIVER_H
#define KMARK_TOOLS_DRIVER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kmark::driver {

/// One entry of compile_commands.json.
struct CompileEntry {
  std::string File;      ///< absolute
  std::string Directory; ///< absolute
};

/// Reads BuildDir/compile_commands.json.
llvm::Expected<std::vector<CompileEntry>> loadDatabase(llvm::StringRef BuildDir);

/// How one TU went.
struct TUResult {
  std::string File;
  bool Ok = false;
  bool UpToDate = false; ///< its shard was reused, no parse
  std::string Why;       ///< why it was skipped
  double CPUSeconds = 0, WallSeconds = 0;
  uint64_t PeakRSSKiB = 0;
};

struct RunOptions {
  std::string ClangTidy, Plugin, BuildDir, ShardDir;
  std::vector<std::string> CheckOptions; ///< "Key: value" YAML pairs
  unsigned Jobs = 1;
  bool Quiet = false;
};

/// Path of the shard clang-tidy writes for a TU's main file, given the path
/// kmark records for it.
std::string shardPathFor(llvm::StringRef ShardDir, llvm::StringRef MainFile);

/// Whether the shard of Entry is newer than every file it was made from.
bool shardIsFresh(llvm::StringRef ShardPath, llvm::StringRef Root,
                  llvm::StringRef Plugin);

/// Runs clang-tidy with the kmark plugin on each entry, Jobs at a time, with
/// a progress line; each TU writes its shard.  A TU that fails is reported
/// and skipped.
std::vector<TUResult> runClangTidy(const std::vector<CompileEntry> &Entries,
                                   const RunOptions &Opts);

} // namespace kmark::driver

#endif // KMARK_TOOLS_DRIVER_H
