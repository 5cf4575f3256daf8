//===- Diff.cpp - kmark diff: check the lines a patch changes -------------===//
//
// kmark diff -p BUILD < change.patch: re-parses the TUs the patch touches
// (its main files, and the TUs that read a header it changes) into a
// temporary directory, and reports the findings on the changed lines
// against the tree's index with those TUs' fresh facts.
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
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

int diffMain(const char *Argv0) {
  int Status;
  std::optional<Setup> S = setup(Argv0, Status);
  if (!S)
    return Status;
  const KernelModel *Model = loadDriverModel(Argv0);
  auto Input = llvm::MemoryBuffer::getSTDIN();
  if (!Input)
    return fail("cannot read the patch from standard input");
  auto Changed = parsePatch((*Input)->getBuffer(), Strip);

  // The tree's index, as the base.
  auto Base = std::make_unique<FactSet>();
  if (llvm::Error E = readFactsFile(S->IndexPath, FactsKind::Index, *Base)) {
    llvm::errs() << "kmark: warning: " << llvm::toString(std::move(E))
                 << "; run 'kmark run' on the base tree first; checking the "
                    "patch with its own TUs only\n";
    Base = std::make_unique<FactSet>();
  }
  // TUs the patch touches: changed main files, and TUs that read a changed
  // header.
  llvm::StringSet<> ChangedFiles;
  for (auto &[F, Ranges] : Changed)
    ChangedFiles.insert(F);
  llvm::StringSet<> Touched;
  for (const TUEntry &TU : Base->TUs)
    for (llvm::StringRef F : TU.Files)
      if (ChangedFiles.contains(F))
        Touched.insert(TU.MainFile);
  std::vector<CompileEntry> ToParse;
  for (const CompileEntry &E : S->Entries) {
    std::string Main = canonicalPath(E.File, E.Directory, S->Root);
    if (ChangedFiles.contains(Main) || Touched.contains(Main))
      ToParse.push_back(E);
  }
  llvm::SmallString<128> Tmp;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueDirectory("kmark-diff", Tmp))
    return fail("cannot create a temporary directory: " + EC.message());
  RunOptions RO = runOptions(*S);
  RO.ShardDir = std::string(Tmp);
  std::vector<TUResult> Parsed = extractAll(ToParse, RO);
  reportSkipped(Parsed);
  unsigned Bad = 0;
  size_t NumShards = 0;
  std::unique_ptr<FactSet> Fresh =
      mergeShards({std::string(Tmp)}, S->Root, Bad, NumShards);
  (void)llvm::sys::fs::remove_directories(Tmp);

  Index Idx({Base.get(), Fresh.get()});
  std::vector<const Access *> Candidates;
  for (const FileFacts *F : Idx.files()) {
    auto It = Changed.find(F->Path.str());
    if (It == Changed.end())
      continue;
    for (const Access &A : F->Accesses)
      if (A.Mark == Marking::Plain)
        for (auto [Lo, Hi] : It->second)
          if (A.Line >= Lo && A.Line <= Hi) {
            Candidates.push_back(&A);
            break;
          }
  }
  Analyzer An(Idx, *Model);
  SourceCache Sources(S->Root);
  std::vector<Finding> Findings =
      selectFindings(An.analyze(Candidates, S->Threshold), S->Threshold,
                     Sources);
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: the patch touches {0} files; {1} "
                                  "translation units re-parsed\n",
                                  Changed.size(), Parsed.size());
  return emit(Findings, Sources, S->Root);
}

} // namespace kmark::driver
