//===- KmarkSession.cpp - State the kmark checks share in one process -----===//

#include "KmarkSession.h"

#include "kmark/Serialization.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

namespace kmark::tidy {

static void makeAbsolute(llvm::StringRef WorkingDir,
                         llvm::SmallVectorImpl<char> &Path) {
  if (llvm::sys::path::is_absolute(Path) || WorkingDir.empty())
    return;
  llvm::SmallString<256> Abs(WorkingDir);
  llvm::sys::path::append(Abs, llvm::StringRef(Path.data(), Path.size()));
  Path.assign(Abs.begin(), Abs.end());
}

void Session::beginTU(clang::Preprocessor &PP) {
  if (CurrentPP == &PP)
    return;
  CurrentPP = &PP;
  CurrentCtx = nullptr;
  Marks = std::make_unique<MacroMarks>();
  PP.addPPCallbacks(makeMacroRecorder(PP.getSourceManager(), *Marks));
}

void Session::loadIndex(const SessionOptions &Opts,
                        llvm::StringRef WorkingDir) {
  if (Opts.IndexFile.empty())
    return;
  llvm::SmallString<256> Path(Opts.IndexFile);
  makeAbsolute(WorkingDir, Path);
  if (IndexTried && LoadedIndexPath == Path)
    return;
  IndexTried = true;
  LoadedIndexPath = std::string(Path);
  auto Set = std::make_unique<FactSet>();
  if (llvm::Error E = readFactsFile(Path, FactsKind::Index, *Set)) {
    llvm::errs() << "kmark: warning: cannot use the index: "
                 << llvm::toString(std::move(E))
                 << "; checking with this translation unit's facts only "
                    "(run 'kmark' to rebuild the index)\n";
    TreeIndex.reset();
    return;
  }
  TreeIndex = std::move(Set);
}

const std::vector<Finding> &Session::findings(clang::ASTContext &Ctx,
                                              const SessionOptions &Opts) {
  if (CurrentCtx == &Ctx)
    return Findings;
  CurrentCtx = &Ctx;
  Findings.clear();
  View.reset();
  TUFacts = std::make_unique<FactSet>();
  if (!Marks)
    Marks = std::make_unique<MacroMarks>();
  extractFacts(Ctx, *Marks, Opts.Extract, *TUFacts);

  const clang::SourceManager &SM = Ctx.getSourceManager();
  std::string WorkingDir;
  if (auto CWD =
          SM.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory())
    WorkingDir = *CWD;

  if (!Opts.ShardDir.empty() && !TUFacts->TUs.empty()) {
    llvm::StringRef Main = TUFacts->TUs.front().MainFile;
    llvm::SmallString<256> Path(Opts.ShardDir);
    makeAbsolute(WorkingDir, Path);
    llvm::sys::path::append(Path, shardFileName(Main));
    if (llvm::Error E = writeFileAtomically(
            Path, encodeFacts(FactsKind::Shard, *TUFacts)))
      llvm::errs() << "kmark: error: cannot write the shard: "
                   << llvm::toString(std::move(E)) << "\n";
  }

  if (!Opts.EmitDiagnostics)
    return Findings;
  loadIndex(Opts, WorkingDir);
  std::vector<const FactSet *> Layers;
  if (TreeIndex)
    Layers.push_back(TreeIndex.get());
  Layers.push_back(TUFacts.get());
  View = std::make_unique<Index>(Layers);

  std::vector<const Access *> Candidates;
  for (const FileFacts &F : TUFacts->Files) {
    if (&F != &TUFacts->Files.front() && !Opts.CheckHeaders)
      break;
    for (const Access &A : F.Accesses)
      if (A.Mark == Marking::Plain)
        Candidates.push_back(&A);
  }
  Analyzer An(*View, Opts.Rules);
  Findings = An.analyze(Candidates);
  return Findings;
}

} // namespace kmark::tidy
