//===- Extractor.h - Facts of one translation unit from clang's AST -------===//
//
// Walks one ASTContext once and records every field access with its marking,
// kind and context, the ops slots functions are stored in, and direct calls.
// Knows clang's AST and preprocessor, nothing of clang-tidy.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_EXTRACTOR_H
#define KMARK_EXTRACTOR_H

#include "kmark/Facts.h"
#include "kmark/Serialization.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class PPCallbacks;
class SourceManager;
} // namespace clang

namespace kmark {

struct ExtractOptions {
  /// Functions that return a new, not yet published object (allocators and
  /// cloners).  A local pointer that comes from one is unpublished.
  std::vector<std::string> AllocFunctions;
  /// Paths under this directory are recorded relative to it.  Empty: the
  /// compilation's working directory.
  std::string Root;
  /// Whether the facts of a header with this path and digest are known
  /// already (a header shard exists, or the index has them): its functions
  /// are not walked and it appears as an External reference.
  std::function<bool(llvm::StringRef Path, uint64_t Digest)> Known;

  static std::vector<std::string> defaultAllocFunctions();
};

/// Macro expansions the AST no longer shows (lockdep assertions that expand
/// to nothing, `__net_init`, `__data_racy`), recorded while preprocessing.
struct MacroMarks {
  enum Kind : uint8_t { LockAssert, InitAttr, ExitAttr, DataRacy };
  struct Mark {
    unsigned Offset;
    Kind K;
  };
  llvm::DenseMap<clang::FileID, std::vector<Mark>> ByFile;
};

/// Returns preprocessor callbacks that fill Marks; register them before the
/// TU is parsed.  Marks must outlive the preprocessor.
std::unique_ptr<clang::PPCallbacks>
makeMacroRecorder(const clang::SourceManager &SM, MacroMarks &Marks);

/// Extracts the facts of the translation unit in Ctx into Out.  Out.Files
/// holds one entry per file that contributed anything, the main file first.
void extractFacts(clang::ASTContext &Ctx, const MacroMarks &Marks,
                  const ExtractOptions &Opts, FactSet &Out);

} // namespace kmark

#endif // KMARK_EXTRACTOR_H
