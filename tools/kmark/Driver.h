//===- Driver.h - Parsing each TU of a compile database once --------------===//

#ifndef KMARK_TOOLS_DRIVER_H
#define KMARK_TOOLS_DRIVER_H

#include "kmark/Baseline.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace kmark::driver {

/// One entry of compile_commands.json.
struct CompileEntry {
  std::string File;      ///< absolute
  std::string Directory; ///< absolute
  std::vector<std::string> Command; ///< the compiler's argv
};

/// Reads BuildDir/compile_commands.json with clang's JSON compile database.
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
  std::string Self; ///< this kmark, run as `kmark extract` per TU
  std::string ShardDir;
  std::vector<std::string> Models; ///< the kernel model and its extensions
  unsigned Jobs = 1;
  bool Quiet = false;
};

/// Path of the shard clang-tidy writes for a TU's main file, given the path
/// kmark records for it.
std::string shardPathFor(llvm::StringRef ShardDir, llvm::StringRef MainFile);

/// Whether the shard of Entry is newer than every file it was made from
/// and than the extractor (Extractor: the file holding it).
bool shardIsFresh(llvm::StringRef ShardPath, llvm::StringRef Root,
                  llvm::StringRef Extractor);

/// Extracts each entry's facts into its shard, Jobs at a time, each in a
/// child `kmark extract` (a crash loses one TU, not the run), with a
/// progress line.  A TU that fails is reported and skipped.
std::vector<TUResult> extractAll(const std::vector<CompileEntry> &Entries,
                                 const RunOptions &Opts);

/// kmark extract's arguments: --shard-dir=DIR --directory=DIR --file=FILE
/// [--model=FILE]... -- COMPILER ARGS...
struct ExtractArgs {
  std::string ShardDir, Directory, File;
  std::vector<std::string> Models;
  std::vector<std::string> Command;
};
/// Says what is wrong in Error when the arguments are incomplete.
std::optional<ExtractArgs> parseExtractArgs(llvm::ArrayRef<std::string> Args,
                                            std::string &Error);

/// Parses one TU in-process and writes its shard; clang's diagnostics go to
/// standard error.  0 when the TU parsed without error.
int runExtract(const ExtractArgs &A);

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
