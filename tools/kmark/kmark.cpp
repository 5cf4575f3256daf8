//===- kmark.cpp - The kmark driver ---------------------------------------===//
//
// Runs the kmark checks over a compile database the way kernel CI needs:
// every TU parsed once, in-process by a child `kmark extract` (in parallel,
// with a progress line), the shards merged into the tree's index without
// parsing, then the findings reported as text, export-fixes YAML, SARIF and
// patches.  The extraction is the plugin's library, without clang-tidy.
//
//   kmark run   -p BUILD [PATH...]        check a tree or part of it
//   kmark diff  -p BUILD < change.patch   check only the lines a patch changes
//   kmark merge -o INDEX SHARD|DIR...     merge shards into an index
//   kmark query FIELD                     all accesses of a field, as evidence
//   kmark report [PATH...]                findings from an existing index
//
// Exit status: 0 no findings at or above the threshold, 1 findings, 2 error.
//
// This file holds main(); each command is in its own file (Run.cpp,
// Diff.cpp, ...), the options in Options.cpp, what the commands share in
// Common.cpp, and what reads no option in kmarkDriverLib (Driver.h).
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

using namespace kmark::driver;
namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc > 1 && llvm::StringRef(argv[1]) == "check")
    return checkMain(argv[0], std::vector<std::string>(argv + 2, argv + argc));
  if (argc > 1 && llvm::StringRef(argv[1]) == "extract")
    return extractMain(argv[0],
                       std::vector<std::string>(argv + 2, argv + argc));
  cl::HideUnrelatedOptions(Cat);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "kmark " << KMARK_VERSION << " (clang-tidy plugin for LLVM "
       << KMARK_LLVM_VERSION_STRING << ")\n";
  });
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "kmark: find inconsistent access marking (READ_ONCE/WRITE_ONCE) "
          "in kernel code\n",
          &llvm::errs()))
    return 2;
  // Every command that reads a tree reads its .clang-tidy, so run, diff,
  // report, query, dump, kcsan, baseline and the editor agree.
  if (!MergeCmd)
    if (int Status = applyTreeConfig((RunCmd || DiffCmd || KcsanCmd)
                                         ? BuildPath
                                         : RootDir))
      return Status;
  if ((RunCmd || DiffCmd || ReportCmd) && !loadBaselineOrFail())
    return 2;
  if (BaselineCmd)
    return baselineMain(argv[0]);
  if (RunCmd)
    return runMain(argv[0]);
  if (DiffCmd)
    return diffMain(argv[0]);
  if (MergeCmd)
    return mergeMain();
  if (QueryCmd)
    return queryMain(argv[0]);
  if (ReportCmd)
    return reportMain(argv[0]);
  if (DumpCmd)
    return dumpMain(argv[0]);
  if (KcsanCmd)
    return kcsanMain(argv[0]);
  llvm::errs() << "kmark: give a subcommand: run, diff, merge, query, report, "
                  "baseline, check, dump or kcsan (see kmark --help)\n";
  return 2;
}
