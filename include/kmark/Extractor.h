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
class LangOptions;
class PPCallbacks;
class SourceManager;
} // namespace clang

namespace kmark {

struct KernelModel;

struct ExtractOptions {
  /// The kernel's API: marking macros, lock primitives, allocators.
  const KernelModel *Model = nullptr;
  /// Paths under this directory are recorded relative to it.  Empty: the
  /// compilation's working directory.
  std::string Root;
  /// Whether the facts of a header with this path and digest are known
  /// already (a header shard exists, or the index has them): its functions
  /// are not walked and it appears as an External reference.
  std::function<bool(llvm::StringRef Path, uint64_t Digest)> Known;
  /// The loadable module the TU is part of (kbuild's KBUILD_MODNAME where
  /// it defines MODULE), empty for built-in code: its functions carry it.
  std::string Module;
};

/// Macro expansions the AST no longer shows (lockdep assertions that expand
/// to nothing, `__net_init`, `__data_racy`, `__acquires(x)`), recorded
/// while preprocessing.
struct MacroMarks {
  enum Kind : uint8_t {
    LockAssert,     ///< lockdep_assert_held(l), ASSERT_RTNL()
    InitAttr,       ///< __init
    ExitAttr,       ///< __exit
    DataRacy,       ///< __data_racy
    LockAnnotation, ///< __acquires(x), __releases(x), __must_hold(x)
    PublishStore,   ///< rcu_assign_pointer(p, v), xchg(p, v)
  };
  struct Mark {
    unsigned Offset = 0, End = 0; ///< the expansion's extent in its file
    Kind K = LockAssert;
    llvm::StringRef Macro; ///< the macro's name
    std::string Arg;       ///< LockAnnotation: its argument as spelled
    /// PublishStore: the extent of the stored value's argument, written in
    /// the same file (an invocation written inside another macro's body
    /// records none).
    unsigned ValueBegin = 0, ValueEnd = 0;
  };
  llvm::DenseMap<clang::FileID, std::vector<Mark>> ByFile;
};

/// Returns preprocessor callbacks that fill Marks with the expansions of
/// the macros the model names; register them before the TU is parsed.
/// Marks and Model must outlive the preprocessor.
std::unique_ptr<clang::PPCallbacks>
makeMacroRecorder(const clang::SourceManager &SM, const clang::LangOptions &LO,
                  const KernelModel &Model, MacroMarks &Marks);

/// Extracts the facts of the translation unit in Ctx into Out.  Out.Files
/// holds one entry per file that contributed anything, the main file first.
void extractFacts(clang::ASTContext &Ctx, const MacroMarks &Marks,
                  const ExtractOptions &Opts, FactSet &Out);

} // namespace kmark

#endif // KMARK_EXTRACTOR_H
