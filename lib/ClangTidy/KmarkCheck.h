//===- KmarkCheck.h - What the kmark checks have in common ----------------===//
//
// A kmark check is thin: it reads its options, lets the shared session
// compute the TU's findings, and reports those of its own kind through
// clang-tidy, so NOLINT, header filters and fix-its behave as usual.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_CLANGTIDY_KMARKCHECK_H
#define KMARK_CLANGTIDY_KMARKCHECK_H

#include "kmark/Session.h"

#include "clang-tidy/ClangTidyCheck.h"

#include <memory>

namespace kmark::tidy {

class KmarkCheck : public clang::tidy::ClangTidyCheck {
public:
  KmarkCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
             CheckKind Kind, std::shared_ptr<Session> S);

  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result)
      override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void report(clang::ASTContext &Ctx, const Finding &F);

  const CheckKind Kind;
  std::shared_ptr<Session> S;
  SessionOptions Opts;
  const std::string MinConfidenceText;
  unsigned MinConfidence;
};

} // namespace kmark::tidy

#endif // KMARK_CLANGTIDY_KMARKCHECK_H
