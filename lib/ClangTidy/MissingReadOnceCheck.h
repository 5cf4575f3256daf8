//===- MissingReadOnceCheck.h - kmark-missing-read-once -------------------===//

#ifndef KMARK_CLANGTIDY_MISSINGREADONCECHECK_H
#define KMARK_CLANGTIDY_MISSINGREADONCECHECK_H

#include "KmarkCheck.h"

namespace kmark::tidy {

/// Finds plain loads, in lockless contexts, of fields written with
/// WRITE_ONCE() and offers READ_ONCE().
///
/// For the user-facing documentation see:
/// docs/clang-tidy/checks/kmark/missing-read-once.rst
class MissingReadOnceCheck : public KmarkCheck {
public:
  MissingReadOnceCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context,
                       std::shared_ptr<Session> S)
      : KmarkCheck(Name, Context, CheckKind::MissingReadOnce, std::move(S)) {}
};

} // namespace kmark::tidy

#endif // KMARK_CLANGTIDY_MISSINGREADONCECHECK_H
