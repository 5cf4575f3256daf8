//===- KmarkCheck.cpp - What the kmark checks have in common --------------===//

#include "KmarkCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace kmark::tidy {

namespace {

std::vector<std::string> splitList(llvm::StringRef S) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  S.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Out.push_back(P.trim().str());
  return Out;
}

std::string joinList(const std::vector<std::string> &L) {
  return llvm::join(L, ";");
}

} // namespace

KmarkCheck::KmarkCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context, CheckKind Kind,
                       std::shared_ptr<Session> S)
    : ClangTidyCheck(Name, Context), Kind(Kind), S(std::move(S)),
      MinConfidenceText(
          Options.getLocalOrGlobal("MinConfidence", "medium").str()) {
  Opts.IndexFile = Options.getLocalOrGlobal("IndexFile", "").str();
  Opts.ShardDir = Options.getLocalOrGlobal("ShardDir", "").str();
  Opts.CheckHeaders = Options.getLocalOrGlobal("CheckHeaders", false);
  Opts.EmitDiagnostics = Options.getLocalOrGlobal("EmitDiagnostics", true);
  Opts.ModelFile = Options.getLocalOrGlobal("KernelModel", "").str();
  Opts.ModelExtensions =
      splitList(Options.getLocalOrGlobal("KernelModelExtensions", ""));
  if (std::optional<unsigned> C = parseConfidence(MinConfidenceText)) {
    MinConfidence = *C;
  } else {
    configurationDiag("invalid value '%0' for %1.MinConfidence: expected "
                      "low, medium, high or a number from 0 to 100; using "
                      "medium")
        << MinConfidenceText << Name;
    MinConfidence = MediumConfidence;
  }
  this->S->noteThreshold(MinConfidence);
}

void KmarkCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &O) {
  Options.store(O, "MinConfidence", MinConfidenceText);
  Options.store(O, "IndexFile", Opts.IndexFile);
  Options.store(O, "ShardDir", Opts.ShardDir);
  Options.store(O, "CheckHeaders", Opts.CheckHeaders);
  Options.store(O, "EmitDiagnostics", Opts.EmitDiagnostics);
  Options.store(O, "KernelModel", Opts.ModelFile);
  Options.store(O, "KernelModelExtensions", joinList(Opts.ModelExtensions));
}

void KmarkCheck::registerPPCallbacks(const SourceManager &SM,
                                     Preprocessor *PP,
                                     Preprocessor * /*ModuleExpanderPP*/) {
  std::string WorkingDir;
  if (auto CWD =
          SM.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory())
    WorkingDir = *CWD;
  std::string Error;
  const KernelModel *M = S->model(Opts, WorkingDir, Error);
  if (!M) {
    configurationDiag("%0; %1 reports nothing", DiagnosticIDs::Error)
        << Error << getID();
    return;
  }
  S->beginTU(*PP, *M);
}

void KmarkCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void KmarkCheck::check(const MatchFinder::MatchResult &Result) {
  if (!S->hasModel())
    return;
  for (const Finding &F : S->findings(*Result.Context, Opts))
    if (F.Check == Kind && F.Confidence >= MinConfidence)
      report(*Result.Context, F);
}

namespace {

/// The FileID of a file named as kmark records paths, loading it into the
/// SourceManager if the TU did not read it (evidence in another file).
FileID fileFor(SourceManager &SM, llvm::StringRef Path) {
  FileManager &FM = SM.getFileManager();
  llvm::SmallString<256> Abs(Path);
  if (!llvm::sys::path::is_absolute(Abs))
    if (auto CWD = FM.getVirtualFileSystem().getCurrentWorkingDirectory()) {
      Abs = *CWD;
      llvm::sys::path::append(Abs, Path);
    }
  OptionalFileEntryRef FE = FM.getOptionalFileRef(Abs);
  if (!FE)
    return {};
  return SM.getOrCreateFileID(*FE, SrcMgr::C_User);
}

} // namespace

void KmarkCheck::report(ASTContext &Ctx, const Finding &F) {
  SourceManager &SM = Ctx.getSourceManager();
  FileID FID = fileFor(SM, F.Site->File);
  if (FID.isInvalid())
    return;
  SourceLocation Start = SM.getLocForStartOfFile(FID);
  SourceLocation Loc = Start.getLocWithOffset(static_cast<int>(F.Site->Begin));
  {
    DiagnosticBuilder D = diag(Loc, "%0") << F.Message;
    for (const Edit &E : F.Fix) {
      SourceLocation B = Start.getLocWithOffset(static_cast<int>(E.Offset));
      if (E.Length == 0)
        D << FixItHint::CreateInsertion(B, E.Text);
      else
        D << FixItHint::CreateReplacement(
            CharSourceRange::getCharRange(B, B.getLocWithOffset(static_cast<int>(E.Length))),
            E.Text);
    }
  }
  for (const Evidence &E : F.Notes) {
    FileID NF = fileFor(SM, E.File);
    SourceLocation NL = NF.isValid() ? SM.translateLineCol(NF, E.Line, E.Col)
                                     : Loc;
    std::string Text = E.Note;
    if (NF.isInvalid())
      Text += (" (at " + E.File + ":" + llvm::Twine(E.Line) + ")").str();
    diag(NL, "%0", DiagnosticIDs::Note) << Text;
  }
}

} // namespace kmark::tidy
