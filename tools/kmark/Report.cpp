//===- Report.cpp - kmark report and kmark baseline -----------------------===//
//
// kmark report [PATH...]: the findings of an existing index, without
// parsing, leaving out those in files changed since they were indexed.
// kmark baseline -o FILE [PATH...]: the same findings, written as a
// baseline that later runs given --baseline do not report.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "kmark/Baseline.h"
#include "kmark/Index.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"
#include "kmark/Serialization.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace kmark::driver {

namespace {

/// Leaves out the findings in files that changed since the index recorded
/// them, saying so: their offsets are stale, and an edit there would land
/// in the wrong place.
void dropStale(std::vector<Finding> &Findings, const Index &Idx,
               SourceCache &Sources) {
  llvm::StringMap<bool> Stale;
  for (const Finding &F : Findings)
    Stale.try_emplace(F.Site->File, false);
  if (Stale.empty())
    return;
  llvm::StringMap<std::vector<uint64_t>> Known;
  for (const FileFacts *F : Idx.files())
    if (Stale.contains(F->Path))
      Known[F->Path].push_back(F->Digest);
  for (auto &[Path, IsStale] : Stale) {
    uint64_t Now = fileDigest(Sources.absolute(Path));
    IsStale = !llvm::is_contained(Known[Path], Now);
  }
  std::map<std::string, unsigned> Dropped;
  llvm::erase_if(Findings, [&](const Finding &F) {
    if (!Stale.lookup(F.Site->File))
      return false;
    ++Dropped[F.Site->File.str()];
    return true;
  });
  for (const auto &[Path, N] : Dropped)
    llvm::errs() << llvm::formatv(
        "kmark: warning: {0} changed since it was indexed: its {1} finding{2} "
        "left out (kmark run parses it again)\n",
        Path, N, N == 1 ? " is" : "s are");
}

/// The index --index and its findings at --min-confidence below the given
/// paths, with NOLINT applied.
struct IndexFindings {
  std::unique_ptr<FactSet> Set;
  std::optional<Index> Idx;
  std::string Root;
  std::vector<Finding> Findings;
};

/// Fills R; false (and Status) on an error.
bool indexFindings(const char *Argv0, IndexFindings &R, int &Status) {
  Status = 2;
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return false;
  std::optional<unsigned> T = parseConfidence(MinConfidence);
  if (!T) {
    fail("invalid --min-confidence '" + MinConfidence + "'");
    return false;
  }
  R.Set = loadIndexOrFail(Status);
  if (!R.Set)
    return false;
  R.Root = absolutePath(RootDir);
  const Index &Idx = R.Idx.emplace(std::vector<const FactSet *>{R.Set.get()});
  std::vector<std::string> Dirs;
  for (const std::string &P : Paths)
    Dirs.push_back(canonicalPath(absolutePath(P), "", R.Root));
  llvm::StringSet<> Mains;
  for (const TUEntry *TU : Idx.tus())
    if (underAny(TU->MainFile, Dirs))
      Mains.insert(TU->MainFile);
  Analyzer An(Idx, *Model);
  SourceCache Sources(R.Root);
  Status = 0;
  R.Findings = selectFindings(
      An.analyze(candidatesIn(Idx, Mains, Dirs, Headers), *T), *T, Sources);
  dropStale(R.Findings, Idx, Sources);
  return true;
}

} // namespace

int reportMain(const char *Argv0) {
  IndexFindings R;
  int Status = 0;
  if (!indexFindings(Argv0, R, Status))
    return Status;
  SourceCache Sources(R.Root);
  return emit(R.Findings, Sources, R.Root);
}

/// kmark baseline: the findings report would print, written as a baseline
/// (an existing one is updated: its reasons stay, entries no longer found
/// go).
int baselineMain(const char *Argv0) {
  std::optional<Baseline> Old;
  if (llvm::sys::fs::exists(BaselineOut)) {
    BaselineFile = BaselineOut;
    if (!loadBaselineOrFail())
      return 2;
    Old = std::move(LoadedBaseline);
    LoadedBaseline.reset();
  }
  IndexFindings R;
  int Status = 0;
  if (!indexFindings(Argv0, R, Status))
    return Status;
  Baseline B = Baseline::of(R.Findings, Old ? &*Old : nullptr, BaselineReason);
  if (llvm::Error E = writeFileAtomically(BaselineOut, B.text()))
    return fail(llvm::toString(std::move(E)));
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: wrote {0} finding{1} to {2}\n",
                                  B.entries().size(),
                                  B.entries().size() == 1 ? "" : "s",
                                  BaselineOut);
  return 0;
}

} // namespace kmark::driver
