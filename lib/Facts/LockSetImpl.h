//===- LockSetImpl.h - The lock analysis's state and worker ------*- C++ -*-===//
//
// Private to LockSet*.cpp: the worker behind LockAnalysis, split over
// LockNames.cpp (which lock an expression names), LockSummaries.cpp (what
// a callee does to its caller's locks) and LockSet.cpp (the dataflow).
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_FACTS_LOCKSETIMPL_H
#define KMARK_FACTS_LOCKSETIMPL_H

#include "LockSet.h"

#include "Keys.h"

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kmark {

// The worker's code is clang's AST through and through.
using clang::ASTContext;
using clang::CallExpr;
using clang::CFG;
using clang::CFGBlock;
using clang::CFGElement;
using clang::Expr;
using clang::FileID;
using clang::FunctionDecl;
using clang::MemberExpr;
using clang::QualType;
using clang::SourceManager;
using clang::Stmt;
using clang::Type;
using clang::VarDecl;

namespace locks {

/// A lock held at a point of a function.
struct HeldLock {
  LockId Id;
  LockMode Mode = LockMode::Exclusive;
  /// The variable whose cleanup releases it (guard(), scoped_guard()).
  const VarDecl *Owner = nullptr;
  /// Held on entry: asserted or declared, not taken by this function.
  bool FromEntry = false;
};

/// A variable that holds a trylock's result: the lock is held on the
/// branch that tests it for success.
struct PendingTry {
  const VarDecl *Var;
  LockId Id;
  LockMode Mode;
  bool SuccessIsZero;
};

/// The locks at one program point.
struct State {
  bool Reached = false;
  std::vector<HeldLock> Held;   ///< on every path here (a multiset)
  std::vector<LockId> MayHeld;  ///< taken by this function on some path
  std::vector<LockId> Released; ///< held on entry, released on some path
  std::vector<PendingTry> Tries;
  /// Objects out of their readers' reach on every path here (teardown),
  /// and those unlinked from an RCU list, awaiting a grace period.
  std::vector<std::string> Gone, Unlinked;

  bool operator==(const State &O) const {
    auto SameHeld = [](const HeldLock &A, const HeldLock &B) {
      return A.Id == B.Id && A.Mode == B.Mode && A.Owner == B.Owner &&
             A.FromEntry == B.FromEntry;
    };
    auto SameTry = [](const PendingTry &A, const PendingTry &B) {
      return A.Var == B.Var && A.Id == B.Id;
    };
    return Reached == O.Reached && MayHeld == O.MayHeld &&
           Released == O.Released && Gone == O.Gone &&
           Unlinked == O.Unlinked &&
           std::equal(Held.begin(), Held.end(), O.Held.begin(), O.Held.end(),
                      SameHeld) &&
           std::equal(Tries.begin(), Tries.end(), O.Tries.begin(),
                      O.Tries.end(), SameTry);
  }
};

/// What one function body holds that the analysis needs more than once.
struct BodyInfo {
  /// Locals assigned after their declaration (what each assignment stores
  /// is for madeAt() to follow over the CFG).
  llvm::DenseSet<const VarDecl *> Assigned;
  /// Locals whose address is taken: any call may change them.
  llvm::DenseSet<const VarDecl *> AddressTaken;
  /// Initialisers of variables with a cleanup function: the lock such an
  /// initialiser takes is released when the variable goes out of scope.
  llvm::DenseMap<const Expr *, const VarDecl *> CleanupInits;
  /// Direct callees, in order of first call.
  std::vector<const FunctionDecl *> Callees;
  /// Offsets (in the body's file) of the lock assertion macros it expands.
  std::vector<const MacroMarks::Mark *> Asserts;
  /// The ordered pointer stores (rcu_assign_pointer(), xchg()) it expands.
  std::vector<const MacroMarks::Mark *> PublishStores;
  FileID File;
};

} // namespace locks

class LockAnalysis::Impl {
public:
  using HeldLock = locks::HeldLock;
  using PendingTry = locks::PendingTry;
  using State = locks::State;
  using BodyInfo = locks::BodyInfo;

  Impl(ASTContext &Ctx, const KernelModel &Model, const MacroMarks &Marks,
       Keys &K, FactSet &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()),
        Model(Model), Marks(Marks), K(K), Out(Out) {}

  // Types -------------------------------------------------------------------

  bool isLockType(QualType T);

  // Lock names --------------------------------------------------------------

  LockId localId(const void *Key);

  static LockId classId(llvm::StringRef Class);

  /// The lock inside a statement expression: this_cpu_ptr(&x->lock) hides
  /// the lock's address in one.
  const Expr *lockInside(const Stmt *S, unsigned Depth = 0);

  const BodyInfo &bodyInfo(const FunctionDecl *Fn);

  /// The value a local variable always has: its initialiser, if it is
  /// never assigned again.
  const Expr *valueOf(const VarDecl *VD, const FunctionDecl *Fn);

  /// A member of a local struct set by its initialiser: `_T->lock` where
  /// `_T = &_t` and `_t = { .lock = l }` (the guard classes).
  const Expr *memberValue(const MemberExpr *ME, const FunctionDecl *Fn);

  std::optional<LockId> lockOf(const Expr *E, const FunctionDecl *Fn, unsigned Depth = 0);

  /// A lock reached through members: the first member, from the object
  /// outward, whose type is a lock (sk->sk_lock.slock is sk->sk_lock);
  /// the object itself if it is one (lock->rlock inside spin_lock());
  /// else the member's own key.
  std::optional<LockId> memberLock(const MemberExpr *Outer, const FunctionDecl *Fn, unsigned Depth);

  /// Member M of the object Obj points to, as a lock (lock_sock(sk):
  /// sk->sk_lock).
  std::optional<LockId> memberOf(const Expr *Obj, llvm::StringRef M);

  /// The lock a primitive's call names.
  std::optional<LockId> primitiveLock(const LockPrimitive &P, const CallExpr *CE, const FunctionDecl *Fn);

  /// What a call does to the caller's locks, in the caller's names.
  struct CallEffect {
    LockOp Op;
    LockId Id;
    LockMode Mode;
    bool SuccessIsZero;
  };
  llvm::SmallVector<CallEffect, 2> callEffects(const CallExpr *CE, const FunctionDecl *Fn);

  // Summaries, callee first ---------------------------------------------------

  struct Summary {
    std::vector<LockEffect> Effects;
    bool Done = false;
  };

  llvm::ArrayRef<LockEffect> summaryOf(const FunctionDecl *FD);

  static const FunctionDecl *bodyOf(const FunctionDecl *FD);

  void strongConnect(const FunctionDecl *FD, unsigned Depth);

  std::vector<LockEffect> summarise(const FunctionDecl *FD);

  // The dataflow -------------------------------------------------------------

  struct Run {
    const FunctionDecl *Fn = nullptr;
    std::unique_ptr<CFG> Cfg;
    std::vector<State> In, OutS;
    std::vector<HeldLock> Entry;
  };

  void transfer(State &S, const CFGElement &E, const FunctionDecl *Fn);
  /// The accesses to an object before this function publishes it (the
  /// model's publish calls on every path to a return, none before), and
  /// those before calls that may publish it (PublishedLater).
  void markBeforePublication(const Run &R, FunctionLocks &Result);
  /// The edges from which every path returns an error: a negative
  /// constant, an error pointer (the model's ERR_PTR()), or a local the
  /// path sets to a negative constant, or finds non-zero or negative in an
  /// `if`, and returns unchanged (`err = -ENOMEM; goto out;` ... `out:
  /// return err;`).  Element B, bit K: block B's K-th successor edge.
  std::vector<llvm::BitVector> errorEdges(const Run &R);
  /// The locks FD takes only where its result says so: true-and-locked,
  /// false-and-not (swap_offset_available_and_locked()), or the result of
  /// a trylock passed on.
  std::vector<LockEffect> derivedTrylocks(const Run &R);
  void transferStmt(State &S, const Stmt *St, const FunctionDecl *Fn);
  /// A name for the pointer E within Fn: a parameter, a local never
  /// reassigned (its initialiser's name), a member chain of those.
  std::optional<std::string> pointerName(const Expr *E, const FunctionDecl *Fn,
                                         unsigned Depth = 0);
  /// The object an address points into: `&obj->node` is obj's, and with
  /// Elements so is `&obj->items[i]`.  An ordered pointer store counts an
  /// array member's elements as the object's: a new object's elements are
  /// new too.  Calls do not: linking or unlinking one element's node, or
  /// unlinking the object (raid5's stripe off a batch list), leaves the
  /// rest where it was.
  std::optional<std::string> objectOf(const Expr *E, const FunctionDecl *Fn,
                                      bool Elements = true);
  /// The object a member access reaches: smc->sk.sk_err is smc's, and
  /// with Elements, p->items[i].f is p's.
  std::optional<std::string> objectOfAccess(const MemberExpr *ME,
                                            const FunctionDecl *Fn,
                                            bool Elements = true);
  bool teardownCall(const CallExpr *CE) const;
  /// Whether a call of Callee may publish what it is given, for the merge
  /// to decide: not a lock, publish or teardown primitive of the model.
  bool publicationCandidate(const FunctionDecl *Callee) const;
  /// The object an ordered pointer store in element St publishes: St
  /// copies the value argument of one of the body's PublishStores
  /// (`rcu_assign_pointer(head, node)`: node's).
  std::optional<std::string> storePublishes(const CFGBlock *Blk,
                                            unsigned Index, const BodyInfo &B,
                                            const FunctionDecl *Fn);
  /// Whether pointer VD holds, at element Index of block Blk, only what
  /// Fn made or was handed: every value that reaches it there over the CFG
  /// is a call's result (not an accessor's) or, for a parameter, what the
  /// caller passed.  A pointer loaded from memory (a list's next entry, a
  /// global's tail) may point to a live object; so may a local whose
  /// address is taken.
  bool madeAt(const VarDecl *VD, const FunctionDecl *Fn, const CFGBlock *Blk,
              unsigned Index);
  /// Whether E is a call's result, not an accessor's.
  bool fromCall(const Expr *E) const;
  /// Whether FD passes a pointer into an object it accesses to a call
  /// that may publish it: only then is the CFG worth building for that.
  bool passesAccessedObject(const FunctionDecl *FD,
                            llvm::ArrayRef<const Stmt *> Anchors);
  void refineEdge(State &S, const CFGBlock *From, unsigned SuccIndex,
                  const FunctionDecl *Fn);
  bool analyze(Run &R);
  std::vector<LockEffect> annotationEffects(const FunctionDecl *FD);
  std::optional<LockId> lockOfText(llvm::StringRef Text,
                                   const FunctionDecl *FD);
  std::vector<HeldLock> requiredOnEntry(Run &R);
  std::optional<std::pair<LockId, LockMode>>
  assertionAt(const Stmt *St, const FunctionDecl *Fn);
  LockList factsOf(const State &S);

  LockAnalysis::FunctionLocks runFunction(const FunctionDecl *FD,
                                          llvm::ArrayRef<const Stmt *> Anchors,
                                          const LockAnalysis::LoadSites &Loads);
  /// "object.field" for a member access, if the object has a name.
  std::optional<std::string> fieldOfObject(const MemberExpr *ME,
                                           const FunctionDecl *Fn);
  /// Whether a plain and a marked load of Loads read one field of one
  /// object: only then is the CFG worth building for that.
  bool rereadsMarkedField(const FunctionDecl *FD,
                          const LockAnalysis::LoadSites &Loads);
  /// The plain loads a marked load of the same field of the same object
  /// precedes on every path (a forward must-analysis on the CFG).
  void markAfterMarkedLoad(const Run &R, const LockAnalysis::LoadSites &Loads,
                           FunctionLocks &Result);

  ASTContext &Ctx;
  SourceManager &SM;
  const KernelModel &Model;
  const MacroMarks &Marks;
  Keys &K;
  FactSet &Out;
  /// Accessors by their body (Origins::returnsIntoParam), set by the walker.
  std::function<bool(const FunctionDecl *)> IsAccessor;
  llvm::BumpPtrAllocator Scratch; ///< names of local locks (copyString)

  llvm::DenseMap<const Type *, bool> LockTypeMemo;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<BodyInfo>> Bodies;
  llvm::DenseMap<const FunctionDecl *, Summary> Summaries;
  struct TarjanNode {
    unsigned Index = 0, Low = 0;
    bool OnStack = false;
  };
  llvm::DenseMap<const FunctionDecl *, TarjanNode> Tarjan;
  std::vector<const FunctionDecl *> TarjanStack;
  unsigned TarjanIndex = 0;
};

} // namespace kmark

#endif // KMARK_FACTS_LOCKSETIMPL_H
