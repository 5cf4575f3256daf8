//===- LockSet.h - Which locks are held where, on clang's CFG -------------===//
//
// A forward must-hold analysis of one function over clang::CFG, in the
// manner of clang's ThreadSafety analysis: each block has the set of locks
// held on entry, the sets of its predecessors intersected; a trylock holds
// on the branch edge its result decides; a variable with the cleanup
// attribute whose initialiser took a lock (guard(), scoped_guard())
// releases it at the end of its scope; locks are held exclusive or shared.
//
// What a call does to locks comes from the kernel model (the primitives),
// from the callee's own body when the TU has it (inode_lock(), the guard
// classes, a file's lock wrappers), or from its __acquires()/__releases()/
// __must_hold() annotations.  Bodies are summarised callee first, one
// strongly connected component at a time, so a summary never depends on
// which function asked first.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_FACTS_LOCKSET_H
#define KMARK_LIB_FACTS_LOCKSET_H

#include "kmark/Extractor.h"
#include "kmark/Model.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace kmark {

class Keys;

/// One lock as the analysis of a function names it.
struct LockId {
  enum Kind : uint8_t {
    Class, ///< a class every TU names alike ("inode::i_rwsem", "rtnl")
    Param, ///< the lock a parameter of the function points to
    Local, ///< known only by an expression of this function
  };
  Kind K = Local;
  llvm::StringRef Name; ///< Class: the class; Local: the expression
  unsigned Index = 0;   ///< Param: which parameter, 0-based

  auto tie() const { return std::tie(K, Name, Index); }
  bool operator==(const LockId &O) const { return tie() == O.tie(); }
  bool operator<(const LockId &O) const { return tie() < O.tie(); }
};

/// What a call to a function does to the caller's locks.
struct LockEffect {
  LockOp Op = LockOp::Acquire; ///< Assert: the function needs it held
  LockId Id;
  LockMode Mode = LockMode::Exclusive;
  bool SuccessIsZero = false; ///< TryAcquire: held where it returns 0
};

class LockAnalysis {
public:
  LockAnalysis(clang::ASTContext &Ctx, const KernelModel &Model,
               const MacroMarks &Marks, Keys &K, FactSet &Out);
  ~LockAnalysis();

  struct FunctionLocks {
    /// The locks held before each anchor (an access's MemberExpr, a call).
    llvm::DenseMap<const clang::Stmt *, LockList> At;
    /// The function asserts or declares a lock held on entry.
    bool RequiresLock = false;
    /// Access anchors whose object is out of its readers' reach there
    /// (teardown: the model's unpublish calls on every path before).
    llvm::DenseSet<const clang::Stmt *> TornDown;
    /// Access anchors whose object this function publishes later on every
    /// path to a return, and has not published before (init).
    llvm::DenseSet<const clang::Stmt *> BeforePublication;
    /// A call that may publish an accessed object; Callee, a function
    /// key, is empty for one of the model's primitives.
    struct MayPublish {
      bool Before = false;
      std::string Callee;
      unsigned Arg = 0;
    };
    /// Access anchors with a call on every path after them that is given
    /// a pointer into the object and may publish it, then such calls made
    /// before (Access::Publication).
    llvm::DenseMap<const clang::Stmt *, std::vector<MayPublish>> PublishedLater;
    /// Plain loads (of Loads) that a marked load of the same field of the
    /// same object precedes on every path from the entry.
    llvm::DenseSet<const clang::Stmt *> AfterMarkedLoad;
  };

  /// The loads among the anchors, and whether each is marked.
  using LoadSites = llvm::DenseMap<const clang::Stmt *, bool>;

  /// Locks at each of Anchors in FD's body.
  FunctionLocks run(const clang::FunctionDecl *FD,
                    llvm::ArrayRef<const clang::Stmt *> Anchors,
                    const LoadSites &Loads);

  /// What a call to FD does to locks (empty for most functions).
  llvm::ArrayRef<LockEffect> summaryOf(const clang::FunctionDecl *FD);

  /// The lock an expression designates inside Fn, if any.
  std::optional<LockId> lockOf(const clang::Expr *E,
                               const clang::FunctionDecl *Fn);

  /// Which one-argument calls return an address inside their argument: the
  /// object an access or a publish call names is then the argument's.
  void setAccessorTest(std::function<bool(const clang::FunctionDecl *)> F);

private:
  class Impl;
  std::unique_ptr<Impl> P;
};

} // namespace kmark

#endif // KMARK_LIB_FACTS_LOCKSET_H
