//===- MissingWriteOnceCheck.h - kmark-missing-write-once -----------------===//

#ifndef KMARK_CLANGTIDY_MISSINGWRITEONCECHECK_H
#define KMARK_CLANGTIDY_MISSINGWRITEONCECHECK_H

#include "KmarkCheck.h"

namespace kmark::tidy {

/// Finds plain stores to fields that lockless readers read with READ_ONCE()
/// and offers WRITE_ONCE().
///
/// For the user-facing documentation see:
/// docs/clang-tidy/checks/kmark/missing-write-once.rst
class MissingWriteOnceCheck : public KmarkCheck {
public:
  MissingWriteOnceCheck(llvm::StringRef Name,
                        clang::tidy::ClangTidyContext *Context,
                        std::shared_ptr<Session> S)
      : KmarkCheck(Name, Context, CheckKind::MissingWriteOnce, std::move(S)) {}
};

} // namespace kmark::tidy

#endif // KMARK_CLANGTIDY_MISSINGWRITEONCECHECK_H
