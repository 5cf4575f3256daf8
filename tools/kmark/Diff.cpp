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

  // The tree's index, as the base, mapped once and decoded twice, each time
  // only in part: first without accesses (the TU list, functions, calls),
  // then with the accesses of the fields the patch's lines touch, as the
  // plugin reads it for one TU.  Decoding and indexing every access of a
  // tree would cost more than the parse.
  std::unique_ptr<llvm::MemoryBuffer> IndexBuffer;
  auto Decode = [&](const llvm::StringSet<> *Fields) {
    auto Set = std::make_unique<FactSet>();
    if (!IndexBuffer)
      return Set;
    DecodeOptions O;
    O.Fields = Fields;
    O.ZeroCopy = true; // IndexBuffer outlives the sets
    if (llvm::Error E = decodeFacts(IndexBuffer->getBuffer(),
                                    FactsKind::Index, *Set, O)) {
      llvm::errs() << "kmark: warning: '" << S->IndexPath
                   << "': " << llvm::toString(std::move(E))
                   << "; run 'kmark run' on the base tree first; checking "
                      "the patch with its own TUs only\n";
      IndexBuffer.reset();
      return std::make_unique<FactSet>();
    }
    return Set;
  };
  if (auto Buf = llvm::MemoryBuffer::getFile(S->IndexPath))
    IndexBuffer = std::move(*Buf);
  else
    llvm::errs() << "kmark: warning: cannot read '" << S->IndexPath
                 << "': " << Buf.getError().message()
                 << "; run 'kmark run' on the base tree first; checking the "
                    "patch with its own TUs only\n";
  // TUs the patch touches: changed main files, and TUs that read a changed
  // header; the index's TU list is read only when the patch changes a file
  // that is no TU's main file.
  llvm::StringSet<> ChangedFiles;
  for (auto &[F, Ranges] : Changed)
    ChangedFiles.insert(F);
  llvm::StringSet<> Mains;
  for (const std::string &F : S->DB->files())
    Mains.insert(canonicalPath(F, "", S->Root));
  bool OnlyMains = llvm::all_of(
      ChangedFiles, [&](const auto &F) { return Mains.contains(F.getKey()); });
  const llvm::StringSet<> NoFields;
  std::unique_ptr<FactSet> Base =
      OnlyMains ? std::make_unique<FactSet>() : Decode(&NoFields);
  llvm::StringSet<> Touched;
  for (const TUEntry &TU : Base->TUs)
    for (llvm::StringRef F : TU.Files)
      if (ChangedFiles.contains(F))
        Touched.insert(TU.MainFile);
  std::vector<CompileEntry> ToParse;
  for (const std::string &F : S->DB->files()) {
    std::string Main = canonicalPath(F, "", S->Root);
    if (ChangedFiles.contains(Main) || Touched.contains(Main))
      ToParse.push_back(S->DB->entry(F));
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

  // The fields of the plain accesses on changed lines; every field when a
  // changed file the index knows was not re-parsed (its accesses are only
  // in the index).
  llvm::StringSet<> Fields;
  bool Everything = false;
  for (auto &[Path, Ranges] : Changed) {
    const FileFacts *F = nullptr;
    for (const FileFacts &X : Fresh->Files)
      if (X.Path == Path)
        F = &X;
    if (!F) {
      // A TU that did not parse, or a file the index knows (its accesses
      // are there); else not a source at all.
      Everything |= Mains.contains(Path) ||
                    llvm::any_of(Base->Files, [&, &Path = Path](
                                                  const FileFacts &X) {
                      return X.Path == Path;
                    });
      continue;
    }
    for (const Access &A : F->Accesses)
      if (A.Mark == Marking::Plain)
        for (auto [Lo, Hi] : Ranges)
          if (A.Line >= Lo && A.Line <= Hi)
            Fields.insert(A.Field);
  }
  Base = Decode(Everything ? nullptr : &Fields);

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
