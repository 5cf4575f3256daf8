//===- Driver.h - Running clang-tidy with kmark over a compile database ---===//

#ifndef KMARK_TOOLS_DRIVER_H
#define KMARK_TOOLS_DRIVER_H

#include "kmark/Baseline.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/ADT/ArrayRef.h"
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

/// Findings at or above the threshold that no NOLINT comment suppresses,
/// grouped by field, then by place.
std::vector<Finding> selectFindings(std::vector<Finding> All,
                                    unsigned Threshold, SourceCache &Sources);

/// kmark check's arguments, as kbuild passes them: $(CHECKFLAGS) and the
/// compiler's flags, the file, and kmark's own options spelled --kmark-*
/// (no compiler takes those).
struct CheckArgs {
  std::vector<std::string> CompilerArgs; ///< sparse-only flags dropped
  std::vector<std::string> Files;
  std::string Index, ShardDir, MinConfidence, Model, Baseline;
};
CheckArgs parseCheckArgs(llvm::ArrayRef<std::string> Args);

struct CheckOptions {
  std::string Root; ///< where make runs: the tree's top
  unsigned Threshold = 50;
  const Baseline *Base = nullptr; ///< findings not to print
};

/// Parses each file with the compiler's flags and prints its findings on
/// standard error; 0 whatever happens (an internal error is printed).
int runCheck(const CheckArgs &A, const CheckOptions &C,
             const std::string &ModelPath);

} // namespace kmark::driver

#endif // KMARK_TOOLS_DRIVER_H
