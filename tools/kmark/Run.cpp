//===- Run.cpp - kmark run: check a tree ----------------------------------===//
//
// kmark run -p BUILD [PATH...]: parses every TU of the compile database whose
// shard is stale, each in a child `kmark extract`, merges the tree's shards
// into its index under a lock, and reports the findings below the paths.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "kmark/Index.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"
#include "kmark/Serialization.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace kmark::driver {

namespace {

/// An exclusive lock on a file, released on destruction: two runs that
/// share an index directory merge one after the other.
class FileLock {
public:
  explicit FileLock(llvm::StringRef Path) {
    FD = ::open(Path.str().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (FD >= 0)
      ::flock(FD, LOCK_EX);
  }
  ~FileLock() {
    if (FD >= 0) {
      ::flock(FD, LOCK_UN);
      ::close(FD);
    }
  }
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

private:
  int FD = -1;
};

} // namespace

int runMain(const char *Argv0) {
  int Status;
  std::optional<Setup> S = setup(Argv0, Status);
  if (!S)
    return Status;
  const KernelModel *Model = loadDriverModel(Argv0);
  auto Start = std::chrono::steady_clock::now();

  std::vector<std::string> Dirs;
  for (const std::string &P : Paths)
    Dirs.push_back(canonicalPath(absolutePath(P), "", S->Root));
  std::vector<CompileEntry> Selected;
  for (const std::string &F : S->DB->files()) {
    llvm::StringRef Ext = llvm::sys::path::extension(F);
    if (Ext != ".c" && Ext != ".cc" && Ext != ".cpp" && Ext != ".cxx")
      continue;
    if (underAny(canonicalPath(F, "", S->Root), Dirs))
      Selected.push_back(S->DB->entry(F));
  }
  if (Selected.empty())
    return fail("no translation unit of " + S->Root +
                "/compile_commands.json is below the given paths");

  // Parse what is stale.
  std::vector<CompileEntry> ToParse;
  std::vector<TUResult> Results;
  for (const CompileEntry &E : Selected) {
    std::string Main = canonicalPath(E.File, E.Directory, S->Root);
    if (!Force &&
        shardIsFresh(shardPathFor(S->ShardDir, Main), S->Root, S->Self)) {
      TUResult R;
      R.File = E.File;
      R.Ok = R.UpToDate = true;
      Results.push_back(R);
    } else {
      ToParse.push_back(E);
    }
  }
  RunOptions RO = runOptions(*S);
  std::vector<TUResult> Parsed = extractAll(ToParse, RO);
  reportSkipped(Parsed);
  auto Parse = std::chrono::steady_clock::now();

  // Merge every shard of the tree, not only the selected ones: evidence
  // comes from anywhere.
  unsigned Bad = 0;
  size_t NumShards = 0;
  std::unique_ptr<FactSet> Merged;
  {
    FileLock Lock(S->IndexDir + "/lock");
    Merged = mergeShards({S->ShardDir}, S->Root, Bad, NumShards);
    if (llvm::Error E = writeFileAtomically(
            S->IndexPath, encodeFacts(FactsKind::Index, *Merged)))
      return fail(llvm::toString(std::move(E)));
  }
  auto Merge = std::chrono::steady_clock::now();

  Index Idx({Merged.get()});
  llvm::StringSet<> Mains;
  for (const CompileEntry &E : Selected)
    Mains.insert(canonicalPath(E.File, E.Directory, S->Root));
  Analyzer An(Idx, *Model);
  SourceCache Sources(S->Root);
  std::vector<Finding> Findings = selectFindings(
      An.analyze(candidatesIn(Idx, Mains, Dirs, Headers), S->Threshold),
      S->Threshold,
      Sources);
  auto Analyze = std::chrono::steady_clock::now();

  unsigned Failed = 0, Fresh = 0;
  double CPU = 0;
  for (const TUResult &R : Parsed) {
    Failed += !R.Ok;
    CPU += R.CPUSeconds;
  }
  for (const TUResult &R : Results)
    Fresh += R.UpToDate;
  auto Secs = [](auto A, auto B) {
    return std::chrono::duration<double>(B - A).count();
  };
  if (!StatsFile.empty()) {
    llvm::json::Array TUs;
    for (const TUResult &R : Parsed)
      TUs.push_back(llvm::json::Object{{"file", R.File},
                                       {"ok", R.Ok},
                                       {"cpu", R.CPUSeconds},
                                       {"wall", R.WallSeconds},
                                       {"rss_kib", R.PeakRSSKiB}});
    uint64_t IndexSize = 0;
    (void)llvm::sys::fs::file_size(S->IndexPath, IndexSize);
    llvm::json::Object Stats{{"tus", std::move(TUs)},
                             {"parse_wall", Secs(Start, Parse)},
                             {"merge_wall", Secs(Parse, Merge)},
                             {"analyze_wall", Secs(Merge, Analyze)},
                             {"index_bytes", IndexSize},
                             {"shards", NumShards},
                             {"accesses", Idx.numAccesses()}};
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Stats)));
    if (llvm::Error E = writeFileAtomically(StatsFile, Text))
      return fail(llvm::toString(std::move(E)));
  }
  if (!Quiet)
    llvm::errs() << llvm::formatv(
        "kmark: {0} translation units: {1} parsed ({2} skipped), {3} up to "
        "date; parse {4:f1}s wall {5:f1}s CPU, merge of {6} shards {7:f2}s, "
        "analysis {8:f2}s\n",
        Selected.size(), Parsed.size(), Failed, Fresh, Secs(Start, Parse), CPU,
        NumShards, Secs(Parse, Merge), Secs(Merge, Analyze));
  return emit(Findings, Sources, S->Root);
}

} // namespace kmark::driver
