//===- Common.h - What the driver's commands share ------------------------===//
//
// The helpers several commands use, which read the options of Options.h:
// errors and paths, the kernel model, the baseline, the outputs (text,
// export-fixes YAML, SARIF, patches), a tree's setup for run and diff, the
// index for the commands that read one; and each command's entry point, one
// file each.  What reads no option is in Driver.h, in kmarkDriverLib.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_TOOLS_COMMON_H
#define KMARK_TOOLS_COMMON_H

#include "Driver.h"

#include "kmark/Baseline.h"
#include "kmark/Facts.h"
#include "kmark/Index.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#ifndef KMARK_VERSION
#define KMARK_VERSION "0.0.0"
#endif

namespace kmark::driver {

/// Prints "kmark: error: Msg"; returns 2, the exit status of an error.
int fail(const llvm::Twine &Msg);

/// P made absolute, without . or .. components.
std::string absolutePath(llvm::StringRef P);

/// The plugin next to this executable's build or install location.
std::string findPlugin(const char *Argv0);

/// Merges every shard (*.kms) under the inputs and the header shards they
/// refer to; reports what could not be read.
std::unique_ptr<FactSet> mergeShards(const std::vector<std::string> &Inputs,
                                     llvm::StringRef Root, unsigned &Bad,
                                     size_t &NumShards);

/// The kernel model: the file beside the plugin, or --model, extended by
/// every --model-extension.  Read once; a model that cannot be read is an
/// error (exit status 2), never an empty model.
const KernelModel *loadDriverModel(const char *Argv0);

/// Sets the options the command line left alone from the kmark options of
/// Root/.clang-tidy (TreeConfig.h), as the plugin reads them; 2 after an
/// error message when that file is bad.
int applyTreeConfig(llvm::StringRef Root);

/// Writes the patches as git format-patch mails into --patches.
int writePatches(std::vector<Patch> &Patches);

/// The baseline --baseline names, read before any work is done.
extern std::optional<Baseline> LoadedBaseline;

/// Reads --baseline if given; false (and a message) if it cannot be used.
bool loadBaselineOrFail();

/// Writes --export-fixes and --sarif when asked; 0, or 2 on an error.
/// SARIF gets every finding, baselined ones marked so.
int writeFixesAndSarif(llvm::ArrayRef<Finding> Findings, SourceCache &Sources,
                       llvm::StringRef MainSourceFile,
                       llvm::ArrayRef<Finding> ForSarif = {});

/// Writes the outputs the options ask for; returns the exit status.
int emit(std::vector<Finding> &All, SourceCache &Sources,
         llvm::StringRef MainSourceFile);

/// The plain accesses of the main files Files, and with WithHeaders of the
/// headers below Dirs: what a run or a report checks.
std::vector<const Access *> candidatesIn(const Index &Idx,
                                         const llvm::StringSet<> &Files,
                                         const std::vector<std::string> &Dirs,
                                         bool WithHeaders);

/// A tree as kmark run and kmark diff see it: its compile database, where
/// its shards and index are, the threshold.
struct Setup {
  std::string Root, IndexDir, ShardDir, IndexPath;
  std::string Self; ///< this executable: it extracts each TU's facts
  std::unique_ptr<CompileDatabase> DB;
  unsigned Threshold = MediumConfidence;
};

/// Reads -p's compile database and the model, and drops the shards another
/// kmark or another model made; nullopt (and Status) on an error.
std::optional<Setup> setup(const char *Argv0, int &Status);

/// How extractAll runs the tree's TUs: -j, --quiet, the driver's model.
RunOptions runOptions(const Setup &S);

/// Says which TUs were skipped, and why.
void reportSkipped(const std::vector<TUResult> &Results);

/// Reads --index; nullptr (and Status) on an error.
std::unique_ptr<FactSet> loadIndexOrFail(int &Status);

// The commands, one file each (check and extract: Check.cpp; report and
// baseline: Report.cpp).  Each returns kmark's exit status.
int runMain(const char *Argv0);
int diffMain(const char *Argv0);
int mergeMain();
int queryMain(const char *Argv0);
int reportMain(const char *Argv0);
int baselineMain(const char *Argv0);
int dumpMain(const char *Argv0);
int kcsanMain(const char *Argv0);
/// kmark check [--kmark-OPTION=VALUE...] COMPILER-FLAGS... FILE.c
int checkMain(const char *Argv0, llvm::ArrayRef<std::string> Args);
/// kmark run's child for one TU: not for people.
int extractMain(const char *Argv0, llvm::ArrayRef<std::string> Args);

} // namespace kmark::driver

#endif // KMARK_TOOLS_COMMON_H
