//===- Check.cpp - kmark check: the kernel's $(CHECK) interface -----------===//
//
// kbuild runs `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c` for each C file it
// compiles when C=1 (every file with C=2), as it runs sparse and smatch.
// kmark check parses that file in-process with the compiler's flags (no
// clang-tidy in between), prints its findings against the tree's index
// when there is one (the file's own facts when not), and writes the file's
// shard when the tree has a .kmark directory, so a `make C=2` builds what
// `kmark merge` turns into the index.  Like sparse, it never fails the
// build: an internal error is printed and the exit status stays 0.
//
// kmark extract, kmark run's child for one TU, parses it the same way and
// writes its shard.  main() runs both before option parsing: their
// arguments are a compiler's.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Driver.h"
#include "Options.h"
#include "TreeConfig.h"

#include "kmark/Baseline.h"
#include "kmark/Model.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"
#include "kmark/Session.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

namespace {

/// What kmark check needs beside its arguments.
struct CheckOptions {
  std::string Root; ///< where make runs: the tree's top
  unsigned Threshold = 50;
  const Baseline *Base = nullptr; ///< findings not to print
};

/// What the frontend action needs, owned by runCheck.
struct CheckContext {
  Session &S;
  const SessionOptions &Opts;
  const CheckOptions &C;
  const KernelModel &M;
};

class CheckConsumer : public clang::ASTConsumer {
public:
  explicit CheckConsumer(const CheckContext &X) : X(X) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    std::vector<Finding> All = X.S.findings(Ctx, X.Opts);
    SourceCache Sources(X.C.Root);
    for (const Finding &F : selectFindings(std::move(All), X.C.Threshold,
                                           Sources))
      if (!X.C.Base || !X.C.Base->contains(F))
        renderText(llvm::errs(), F, Sources);
  }

private:
  const CheckContext &X;
};

class CheckAction : public clang::ASTFrontendAction {
public:
  explicit CheckAction(const CheckContext &X) : X(X) {}
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI,
                    llvm::StringRef /*File*/) override {
    X.S.beginTU(CI.getPreprocessor(), X.M);
    return std::make_unique<CheckConsumer>(X);
  }

private:
  const CheckContext &X;
};

class CheckFactory : public clang::tooling::FrontendActionFactory {
public:
  explicit CheckFactory(const CheckContext &X) : X(X) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<CheckAction>(X);
  }

private:
  const CheckContext &X;
};

/// kmark run's TU phase: the facts only, written as the TU's shard.
class ExtractConsumer : public clang::ASTConsumer {
public:
  ExtractConsumer(Session &S, const SessionOptions &Opts) : S(S), Opts(Opts) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    (void)S.findings(Ctx, Opts); // EmitDiagnostics is off: facts, shard
  }

private:
  Session &S;
  const SessionOptions &Opts;
};

class ExtractAction : public clang::ASTFrontendAction {
public:
  ExtractAction(Session &S, const SessionOptions &Opts, const KernelModel &M)
      : S(S), Opts(Opts), M(M) {}
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI,
                    llvm::StringRef /*File*/) override {
    S.beginTU(CI.getPreprocessor(), M);
    return std::make_unique<ExtractConsumer>(S, Opts);
  }

private:
  Session &S;
  const SessionOptions &Opts;
  const KernelModel &M;
};

class ExtractFactory : public clang::tooling::FrontendActionFactory {
public:
  ExtractFactory(Session &S, const SessionOptions &Opts, const KernelModel &M)
      : S(S), Opts(Opts), M(M) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<ExtractAction>(S, Opts, M);
  }

private:
  Session &S;
  const SessionOptions &Opts;
  const KernelModel &M;
};

/// The compile database's command for one file, as it is.
class OneCommand : public clang::tooling::CompilationDatabase {
public:
  explicit OneCommand(clang::tooling::CompileCommand C) : C(std::move(C)) {}
  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef /*File*/) const override {
    return {C};
  }

private:
  clang::tooling::CompileCommand C;
};

/// libTooling finds clang's own headers relative to the running binary,
/// which is kmark, not clang: name the directory of the clang kmark was
/// built against unless the command names one.
void addResourceDir(clang::tooling::ClangTool &Tool) {
  Tool.appendArgumentsAdjuster(
      [](const clang::tooling::CommandLineArguments &Args,
         llvm::StringRef /*File*/) {
        for (const std::string &A : Args)
          if (llvm::StringRef(A).starts_with("-resource-dir"))
            return Args;
        clang::tooling::CommandLineArguments Out = Args;
        if (!Out.empty())
          Out.insert(Out.begin() + 1,
                     "-resource-dir=" KMARK_CLANG_RESOURCE_DIR);
        return Out;
      });
}

/// Parses each file with the compiler's flags and prints its findings on
/// standard error; 0 whatever happens (an internal error is printed).
int runCheck(const CheckArgs &A, const CheckOptions &C,
             const std::string &ModelPath) {
  auto Internal = [](const llvm::Twine &Why) {
    llvm::errs() << "kmark check: internal error: " << Why
                 << " (the build goes on)\n";
    return 0;
  };
  if (A.Files.empty())
    return Internal("no C file among the arguments");
  SessionOptions Opts;
  Opts.ModelFile = A.Model.empty() ? ModelPath : A.Model;
  Opts.ModelExtensions = A.ModelExtensions;
  Opts.IndexFile = A.Index;
  Opts.ShardDir = A.ShardDir;
  Opts.CheckHeaders = false;
  Session S;
  S.noteThreshold(C.Threshold);
  std::string Error;
  const KernelModel *M = S.model(Opts, C.Root, Error);
  if (!M)
    return Internal("cannot load the kernel model: " + Error);
  clang::tooling::FixedCompilationDatabase DB(C.Root, A.CompilerArgs);
  clang::tooling::ClangTool Tool(DB, A.Files);
  Tool.appendArgumentsAdjuster(clang::tooling::getClangSyntaxOnlyAdjuster());
  addResourceDir(Tool);
  CheckContext X{S, Opts, C, *M};
  CheckFactory Factory(X);
  if (Tool.run(&Factory) != 0)
    return Internal("clang could not parse " + llvm::join(A.Files, " "));
  return 0;
}

/// Parses one TU in-process and writes its shard; clang's diagnostics go to
/// standard error.  0 when the TU parsed without error.
int runExtract(const ExtractArgs &A) {
  SessionOptions Opts;
  if (!A.Models.empty()) {
    Opts.ModelFile = A.Models.front();
    Opts.ModelExtensions.assign(A.Models.begin() + 1, A.Models.end());
  }
  Opts.ShardDir = A.ShardDir;
  Opts.EmitDiagnostics = false;
  Session S;
  std::string Error;
  const KernelModel *M = S.model(Opts, A.Directory, Error);
  if (!M) {
    llvm::errs() << "error: cannot load the kernel model: " << Error << "\n";
    return 2;
  }
  clang::tooling::CompileCommand Cmd(A.Directory, A.File, A.Command, "");
  OneCommand DB(std::move(Cmd));
  clang::tooling::ClangTool Tool(DB, {A.File});
  addResourceDir(Tool);
  ExtractFactory Factory(S, Opts, *M);
  return Tool.run(&Factory);
}

} // namespace

int checkMain(const char *Argv0, llvm::ArrayRef<std::string> Args) {
  if (llvm::is_contained(Args, "--help")) {
    llvm::outs()
        << "USAGE: kmark check [--kmark-OPTION=VALUE...] COMPILER-FLAGS... "
           "FILE.c\n\n"
           "kbuild's $(CHECK), as sparse is: run from the tree's top,\n"
           "  make LLVM=-22 C=1 CHECK=\"kmark check\" net/smc/\n"
           "checks each C file make compiles (C=2: every file), prints the\n"
           "findings on standard error and exits 0, even on an internal "
           "error.\n"
           "It checks against .kmark/index.kmi when the tree has one, and\n"
           "writes each file's shard into .kmark/shards when .kmark exists\n"
           "(then: kmark merge -o .kmark/index.kmi .kmark/shards).\n\n"
           "OPTIONS:\n"
           "  --kmark-index=FILE            the index to check against\n"
           "  --kmark-shard-dir=DIR         where to write the file's shard\n"
           "  --kmark-min-confidence=LEVEL  low, medium (default), high or "
           "0-100\n"
           "  --kmark-model=FILE            the kernel model to use\n"
           "  --kmark-baseline=FILE         findings not to print (kmark "
           "baseline)\n";
    return 0;
  }
  CheckArgs A = parseCheckArgs(Args);
  CheckOptions C;
  C.Root = absolutePath(".");
  // The tree's .clang-tidy, as for every other command; --kmark-* wins.
  if (llvm::Expected<TreeConfig> TC = readTreeConfig(C.Root)) {
    if (const std::optional<std::string> &M = TC->KernelModel)
      if (A.Model.empty())
        A.Model = *M;
    A.ModelExtensions = TC->ModelExtensions;
    if (const std::optional<std::string> &M = TC->MinConfidence)
      if (A.MinConfidence.empty())
        A.MinConfidence = *M;
  } else {
    llvm::errs() << "kmark check: " << llvm::toString(TC.takeError())
                 << " (ignored; the build goes on)\n";
  }
  std::optional<unsigned> T =
      parseConfidence(A.MinConfidence.empty() ? "medium" : A.MinConfidence);
  C.Threshold = T ? *T : MediumConfidence;
  llvm::SmallString<256> Dot(C.Root);
  llvm::sys::path::append(Dot, ".kmark");
  if (A.Index.empty()) {
    llvm::SmallString<256> I(Dot);
    llvm::sys::path::append(I, "index.kmi");
    if (llvm::sys::fs::exists(I))
      A.Index = std::string(I);
  }
  if (A.ShardDir.empty() && llvm::sys::fs::is_directory(Dot)) {
    llvm::SmallString<256> D(Dot);
    llvm::sys::path::append(D, "shards");
    A.ShardDir = std::string(D);
  }
  if (!A.Baseline.empty()) {
    BaselineFile = A.Baseline;
    if (!loadBaselineOrFail()) {
      llvm::errs() << "kmark check: the baseline is not used (the build "
                      "goes on)\n";
    }
    C.Base = LoadedBaseline ? &*LoadedBaseline : nullptr;
  }
  return runCheck(A, C, defaultModelPath(findPlugin(Argv0)));
}

int extractMain(const char *Argv0, llvm::ArrayRef<std::string> Args) {
  std::string Error;
  std::optional<ExtractArgs> A = parseExtractArgs(Args, Error);
  if (!A)
    return fail("extract: " + Error);
  if (A->Models.empty())
    A->Models.push_back(defaultModelPath(findPlugin(Argv0)));
  return runExtract(*A);
}

} // namespace kmark::driver
