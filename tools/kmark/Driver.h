//===- Driver.h - The driver's part that reads no option ------------------===//
//
// kmarkDriverLib, which the kmark executable and the unit tests link: the
// compile database and the per-TU children that parse it (Driver.cpp), the
// argument lists of kmark extract and kmark check (Driver.cpp), and what a
// command selects: files, a patch's lines, findings (Select.cpp).  None of
// it reads a command-line option; the commands are in the executable.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_TOOLS_DRIVER_H
#define KMARK_TOOLS_DRIVER_H

#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clang::tooling {
class JSONCompilationDatabase;
} // namespace clang::tooling

namespace kmark::driver {

/// One entry of compile_commands.json.
struct CompileEntry {
  std::string File;      ///< absolute
  std::string Directory; ///< absolute
  std::vector<std::string> Command; ///< the compiler's argv
};

/// BuildDir/compile_commands.json, read with clang's JSON compile database.
/// Listing its files is cheap; a file's command is split from its text only
/// when asked for, so `kmark diff` on a tree of thousands of TUs pays for
/// the one or two it parses.
class CompileDatabase {
public:
  CompileDatabase();
  ~CompileDatabase();
  CompileDatabase(const CompileDatabase &) = delete;
  CompileDatabase &operator=(const CompileDatabase &) = delete;

  static llvm::Expected<std::unique_ptr<CompileDatabase>>
  load(llvm::StringRef BuildDir);

  /// Every file with a command: absolute, without `.` or `..`.
  const std::vector<std::string> &files() const { return Files; }
  /// The entry of one of files(): its directory and command.
  CompileEntry entry(llvm::StringRef File) const;

private:
  std::string BuildDir;
  std::unique_ptr<clang::tooling::JSONCompilationDatabase> DB;
  std::vector<std::string> Files;
  llvm::StringMap<std::string> Spelled; ///< file -> as the database has it
};

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

/// kmark check's arguments, as kbuild passes them: $(CHECKFLAGS) and the
/// compiler's flags, the file, and kmark's own options spelled --kmark-*
/// (no compiler takes those).
struct CheckArgs {
  std::vector<std::string> CompilerArgs; ///< sparse-only flags dropped
  std::vector<std::string> Files;
  std::string Index, ShardDir, MinConfidence, Model, Baseline;
  std::vector<std::string> ModelExtensions; ///< from the tree's .clang-tidy
};
CheckArgs parseCheckArgs(llvm::ArrayRef<std::string> Args);

/// Findings at or above the threshold that no NOLINT comment suppresses,
/// grouped by field, then by place.
std::vector<Finding> selectFindings(std::vector<Finding> All,
                                    unsigned Threshold, SourceCache &Sources);

/// Whether File is below one of Prefixes (or Prefixes is empty): both are
/// paths as the index records them.
bool underAny(llvm::StringRef File, const std::vector<std::string> &Prefixes);

/// Changed line ranges per file, from a unified diff: the new file's lines
/// of each hunk, first and last, with StripN leading path components
/// stripped (like patch -p).  A deleted file has none.
std::map<std::string, std::vector<std::pair<unsigned, unsigned>>>
parsePatch(llvm::StringRef Text, unsigned StripN);

} // namespace kmark::driver

#endif // KMARK_TOOLS_DRIVER_H
