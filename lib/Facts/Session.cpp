//===- Session.cpp - Extraction and findings of one TU at a time ----------===//

#include "kmark/Session.h"

#include "kmark/Serialization.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <dlfcn.h>

namespace kmark {

static void makeAbsolute(llvm::StringRef WorkingDir,
                         llvm::SmallVectorImpl<char> &Path) {
  if (llvm::sys::path::is_absolute(Path) || WorkingDir.empty())
    return;
  llvm::SmallString<256> Abs(WorkingDir);
  llvm::sys::path::append(Abs, llvm::StringRef(Path.data(), Path.size()));
  Path.assign(Abs.begin(), Abs.end());
}

/// kbuild's name of the module a TU is built into, KBUILD_MODNAME
/// (`-DKBUILD_MODNAME='"3c59x"'`), without its quotes.
static std::string moduleName(clang::Preprocessor &PP) {
  const clang::MacroInfo *MI =
      PP.getMacroInfo(PP.getIdentifierInfo("KBUILD_MODNAME"));
  if (!MI || MI->getNumTokens() != 1)
    return "";
  const clang::Token &T = MI->getReplacementToken(0);
  if (!T.is(clang::tok::string_literal) || !T.getLiteralData())
    return "";
  llvm::StringRef S(T.getLiteralData(), T.getLength());
  if (S.size() < 2)
    return "";
  S = S.drop_front().drop_back();
  // An object linked into several modules: "a:b", none of them alone.
  return S.contains(':') ? "" : S.str();
}

/// The path of this plugin, where its default kernel model lies.
static std::string pluginPath() {
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&pluginPath), &Info) && Info.dli_fname)
    return Info.dli_fname;
  return "";
}

const KernelModel *Session::model(const SessionOptions &Opts,
                                   llvm::StringRef WorkingDir,
                                   std::string &Error) {
  std::vector<std::string> Files;
  Files.push_back(Opts.ModelFile.empty() ? defaultModelPath(pluginPath())
                                         : Opts.ModelFile);
  llvm::append_range(Files, Opts.ModelExtensions);
  for (std::string &F : Files) {
    llvm::SmallString<256> P(F);
    makeAbsolute(WorkingDir, P);
    F = std::string(P);
  }
  if (Files != ModelFiles) {
    ModelFiles = Files;
    Model.reset();
    ModelError.clear();
    llvm::Expected<KernelModel> M = loadModel(Files);
    if (M)
      Model = std::make_unique<KernelModel>(std::move(*M));
    else
      ModelError = llvm::toString(M.takeError());
  }
  Error = ModelError;
  return Model.get();
}

void Session::beginTU(clang::Preprocessor &PP, const KernelModel &M) {
  if (CurrentPP == &PP)
    return;
  CurrentPP = &PP;
  CurrentCtx = nullptr;
  Marks = std::make_unique<MacroMarks>();
  PP.addPPCallbacks(
      makeMacroRecorder(PP.getSourceManager(), PP.getLangOpts(), M, *Marks));
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
  IndexBuffer.reset();
  TreeDigests.clear();
  auto Fail = [&](llvm::Error E) {
    llvm::errs() << "kmark: warning: cannot use the index: "
                 << llvm::toString(std::move(E))
                 << "; checking with this translation unit's facts only "
                    "(run 'kmark' to rebuild the index)\n";
    IndexBuffer.reset();
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buf) {
    Fail(llvm::createStringError(Buf.getError(),
                                 "cannot read '" + Path +
                                     "': " + Buf.getError().message()));
    return;
  }
  // Only the file table now: which header versions the index knows, so
  // extraction can skip them.  The facts are decoded per TU, for the
  // fields the TU touches (indexFor).
  DecodeOptions Table;
  Table.TableOnly = true;
  Table.ZeroCopy = true;
  FactSet Files;
  if (llvm::Error E = decodeFacts((*Buf)->getBuffer(), FactsKind::Index, Files,
                                  Table)) {
    Fail(llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + Path + "': " +
                                     llvm::toString(std::move(E))));
    return;
  }
  IndexBuffer = std::move(*Buf);
  for (const FileFacts &F : Files.Files)
    if (!F.External)
      TreeDigests[F.Path.str()] = F.Digest;
}

std::unique_ptr<FactSet> Session::indexFor(const llvm::StringSet<> &Fields) {
  if (!IndexBuffer)
    return nullptr;
  auto Set = std::make_unique<FactSet>();
  DecodeOptions O;
  O.Fields = &Fields;
  O.ZeroCopy = true; // IndexBuffer lives as long as the session
  if (llvm::Error E = decodeFacts(IndexBuffer->getBuffer(), FactsKind::Index,
                                  *Set, O)) {
    llvm::errs() << "kmark: warning: cannot use the index: "
                 << llvm::toString(std::move(E)) << "\n";
    IndexBuffer.reset();
    return nullptr;
  }
  return Set;
}

void Session::writeShard(const SessionOptions &Opts,
                         llvm::StringRef WorkingDir) {
  if (TUFacts->TUs.empty())
    return;
  llvm::SmallString<256> Dir(Opts.ShardDir);
  makeAbsolute(WorkingDir, Dir);
  llvm::SmallString<256> HeaderDir(Dir);
  llvm::sys::path::append(HeaderDir, "headers");
  // Headers go to their own content-addressed shards, written once for the
  // tree; the TU's shard refers to them.  Merging then reads each header's
  // facts once, however many TUs include it.
  std::vector<FileFacts> Stubs;
  Stubs.reserve(TUFacts->Files.size());
  std::vector<const FileFacts *> Parts;
  for (const FileFacts &F : TUFacts->Files) {
    if (&F == &TUFacts->Files.front() || F.External) {
      Parts.push_back(&F);
      continue;
    }
    llvm::SmallString<256> H(HeaderDir);
    llvm::sys::path::append(H,
                            headerShardFileName(F.Path, F.Digest, F.Variant));
    if (!llvm::sys::fs::exists(H))
      if (llvm::Error E = writeFileAtomically(
              H, encodeFacts(FactsKind::Shard, {&F}, {})))
        llvm::errs() << "kmark: error: cannot write a header shard: "
                     << llvm::toString(std::move(E)) << "\n";
    Stubs.emplace_back();
    Stubs.back().Path = F.Path;
    Stubs.back().Digest = F.Digest;
    Stubs.back().External = true;
    Stubs.back().Variant = F.Variant;
    Parts.push_back(&Stubs.back());
  }
  llvm::sys::path::append(Dir, shardFileName(TUFacts->TUs.front().MainFile));
  if (llvm::Error E = writeFileAtomically(
          Dir, encodeFacts(FactsKind::Shard, Parts, TUFacts->TUs)))
    llvm::errs() << "kmark: error: cannot write the shard: "
                 << llvm::toString(std::move(E)) << "\n";
}

const std::vector<Finding> &Session::findings(clang::ASTContext &Ctx,
                                              const SessionOptions &Opts) {
  if (CurrentCtx == &Ctx)
    return Findings;
  CurrentCtx = &Ctx;
  Findings.clear();
  View.reset();
  TUFacts = std::make_unique<FactSet>();
  if (!Model)
    return Findings; // no kernel model: the checks said why
  if (!Marks)
    Marks = std::make_unique<MacroMarks>();

  const clang::SourceManager &SM = Ctx.getSourceManager();
  std::string WorkingDir;
  if (auto CWD =
          SM.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory())
    WorkingDir = *CWD;

  // Headers whose facts are known already are not walked again: those with
  // a header shard when writing shards, those in the tree's index when
  // checking against it.
  ExtractOptions Extract;
  Extract.Model = Model.get();
  // kbuild defines MODULE for modules; headers differ between the two
  // builds, so their facts are kept per variant.
  uint8_t Variant = CurrentPP && CurrentPP->isMacroDefined("MODULE") ? 1 : 0;
  if (Variant)
    Extract.Module = moduleName(*CurrentPP);
  std::string HeaderDir;
  if (!Opts.ShardDir.empty()) {
    llvm::SmallString<256> D(Opts.ShardDir);
    makeAbsolute(WorkingDir, D);
    llvm::sys::path::append(D, "headers");
    HeaderDir = std::string(D);
    Extract.Known = [&HeaderDir, Variant](llvm::StringRef Path,
                                          uint64_t Digest) {
      llvm::SmallString<256> H(HeaderDir);
      llvm::sys::path::append(H, headerShardFileName(Path, Digest, Variant));
      return llvm::sys::fs::exists(H);
    };
  } else if (Opts.EmitDiagnostics) {
    loadIndex(Opts, WorkingDir);
    if (IndexBuffer)
      Extract.Known = [this](llvm::StringRef Path, uint64_t Digest) {
        auto It = TreeDigests.find(Path);
        return It != TreeDigests.end() && It->second == Digest;
      };
  }
  extractFacts(Ctx, *Marks, Extract, *TUFacts);
  for (FileFacts &F : TUFacts->Files)
    F.Variant = Variant;

  if (!Opts.ShardDir.empty())
    writeShard(Opts, WorkingDir);
  if (!Opts.EmitDiagnostics)
    return Findings;
  loadIndex(Opts, WorkingDir);
  std::vector<const Access *> Candidates;
  llvm::StringSet<> Fields;
  for (const FileFacts &F : TUFacts->Files) {
    if (&F != &TUFacts->Files.front() && !Opts.CheckHeaders)
      break;
    for (const Access &A : F.Accesses)
      if (A.Mark == Marking::Plain) {
        Candidates.push_back(&A);
        Fields.insert(A.Field);
      }
  }
  TreeIndex = indexFor(Fields);
  std::vector<const FactSet *> Layers;
  if (TreeIndex)
    Layers.push_back(TreeIndex.get());
  Layers.push_back(TUFacts.get());
  View = std::make_unique<Index>(Layers);
  Analyzer An(*View, *Model);
  Findings = An.analyze(Candidates, Threshold);
  return Findings;
}

} // namespace kmark
