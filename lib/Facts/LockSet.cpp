//===- LockSet.cpp - Which locks are held where, on clang's CFG -----------===//

#include "LockSet.h"

#include "Keys.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>

using namespace clang;

namespace kmark {

namespace {

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

void insertSorted(std::vector<LockId> &V, const LockId &Id) {
  auto It = std::lower_bound(V.begin(), V.end(), Id);
  if (It == V.end() || !(*It == Id))
    V.insert(It, Id);
}

void eraseSorted(std::vector<LockId> &V, const LockId &Id) {
  auto It = std::lower_bound(V.begin(), V.end(), Id);
  if (It != V.end() && *It == Id)
    V.erase(It);
}

std::vector<LockId> unite(const std::vector<LockId> &A,
                          const std::vector<LockId> &B) {
  std::vector<LockId> Out;
  std::set_union(A.begin(), A.end(), B.begin(), B.end(),
                 std::back_inserter(Out));
  return Out;
}

/// Where paths join: held on both (the weaker mode), taken or released on
/// either.
void join(State &Into, const State &From) {
  if (!From.Reached)
    return;
  if (!Into.Reached) {
    Into = From;
    return;
  }
  std::vector<HeldLock> Both;
  std::vector<bool> Used(From.Held.size());
  for (const HeldLock &H : Into.Held)
    for (size_t I = 0; I < From.Held.size(); ++I) {
      const HeldLock &O = From.Held[I];
      if (Used[I] || !(O.Id == H.Id))
        continue;
      Used[I] = true;
      HeldLock J = H;
      if (O.Mode == LockMode::Shared)
        J.Mode = LockMode::Shared;
      if (O.Owner != H.Owner)
        J.Owner = nullptr;
      J.FromEntry = H.FromEntry && O.FromEntry;
      Both.push_back(J);
      break;
    }
  Into.Held = std::move(Both);
  Into.MayHeld = unite(Into.MayHeld, From.MayHeld);
  Into.Released = unite(Into.Released, From.Released);
  auto OnBoth = [](std::vector<std::string> &A,
                   const std::vector<std::string> &B) {
    std::vector<std::string> Out;
    std::set_intersection(A.begin(), A.end(), B.begin(), B.end(),
                          std::back_inserter(Out));
    A = std::move(Out);
  };
  OnBoth(Into.Gone, From.Gone);
  OnBoth(Into.Unlinked, From.Unlinked);
  llvm::erase_if(Into.Tries, [&](const PendingTry &T) {
    return llvm::none_of(From.Tries, [&](const PendingTry &O) {
      return O.Var == T.Var && O.Id == T.Id;
    });
  });
}

bool heldIn(const State &S, const LockId &Id) {
  return llvm::any_of(S.Held, [&](const HeldLock &H) { return H.Id == Id; });
}

void acquire(State &S, const LockId &Id, LockMode Mode,
             const VarDecl *Owner = nullptr) {
  S.Held.push_back({Id, Mode, Owner, false});
  insertSorted(S.MayHeld, Id);
}

void release(State &S, const LockId &Id) {
  // The latest acquisition of that lock goes first.
  for (auto It = S.Held.rbegin(); It != S.Held.rend(); ++It) {
    if (!(It->Id == Id))
      continue;
    bool FromEntry = It->FromEntry;
    S.Held.erase(std::next(It).base());
    if (FromEntry)
      insertSorted(S.Released, Id);
    if (!heldIn(S, Id))
      eraseSorted(S.MayHeld, Id);
    return;
  }
  // Not held here: taken on some path only (if (c) spin_lock(l)), or held
  // by the callers and dropped here (rcu_report_qs_rnp()).
  if (std::binary_search(S.MayHeld.begin(), S.MayHeld.end(), Id))
    eraseSorted(S.MayHeld, Id);
  else
    insertSorted(S.Released, Id);
}

void assertHeld(State &S, const LockId &Id, LockMode Mode) {
  if (!heldIn(S, Id))
    S.Held.push_back({Id, Mode, nullptr, true});
}

void insertSorted(std::vector<std::string> &V, std::string S) {
  auto It = std::lower_bound(V.begin(), V.end(), S);
  if (It == V.end() || *It != S)
    V.insert(It, std::move(S));
}

/// What one function body holds that the analysis needs more than once.
struct BodyInfo {
  /// Locals assigned after their declaration.
  llvm::DenseSet<const VarDecl *> Assigned;
  /// Initialisers of variables with a cleanup function: the lock such an
  /// initialiser takes is released when the variable goes out of scope.
  llvm::DenseMap<const Expr *, const VarDecl *> CleanupInits;
  /// Direct callees, in order of first call.
  std::vector<const FunctionDecl *> Callees;
  /// Offsets (in the body's file) of the lock assertion macros it expands.
  std::vector<const MacroMarks::Mark *> Asserts;
  FileID File;
};

} // namespace

class LockAnalysis::Impl {
public:
  Impl(ASTContext &Ctx, const KernelModel &Model, const MacroMarks &Marks,
       Keys &K, FactSet &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()),
        Model(Model), Marks(Marks), K(K), Out(Out), Saver(Scratch) {}

  // Types -------------------------------------------------------------------

  bool isLockType(QualType T) {
    if (T.isNull())
      return false;
    auto [It, New] = LockTypeMemo.try_emplace(T.getTypePtr(), false);
    if (!New)
      return It->second;
    bool R = false;
    QualType Cur = T;
    for (unsigned Depth = 0; Depth < 16 && !R; ++Depth) {
      if (const auto *TT = Cur->getAs<TypedefType>()) {
        R = Model.isLockType(TT->getDecl()->getName());
        if (R)
          break;
      }
      QualType Next = Cur.getSingleStepDesugaredType(Ctx);
      if (Next == Cur)
        break;
      Cur = Next;
    }
    if (!R)
      if (const RecordDecl *RD = T->getAsRecordDecl())
        if (RD->getIdentifier())
          R = Model.isLockType((llvm::Twine(RD->isUnion() ? "union " : "struct ") +
                                RD->getName())
                                   .str());
    LockTypeMemo[T.getTypePtr()] = R;
    return R;
  }

  // Lock names --------------------------------------------------------------

  LockId localId(const void *Key) {
    LockId Id;
    Id.K = LockId::Local;
    Id.Name = Saver.save("#" + llvm::utohexstr(
                                   reinterpret_cast<uintptr_t>(Key)));
    return Id;
  }

  static LockId classId(llvm::StringRef Class) {
    LockId Id;
    Id.K = LockId::Class;
    Id.Name = Class;
    return Id;
  }

  /// The lock inside a statement expression: this_cpu_ptr(&x->lock) hides
  /// the lock's address in one.
  const Expr *lockInside(const Stmt *S, unsigned Depth = 0) {
    if (!S || Depth > 32)
      return nullptr;
    if (const auto *E = dyn_cast<Expr>(S)) {
      if (isa<MemberExpr>(E) || isa<DeclRefExpr>(E))
        if (isLockType(E->getType()))
          return E;
    }
    for (const Stmt *C : S->children())
      if (const Expr *L = lockInside(C, Depth + 1))
        return L;
    return nullptr;
  }

  const BodyInfo &bodyInfo(const FunctionDecl *Fn);

  /// The value a local variable always has: its initialiser, if it is
  /// never assigned again.
  const Expr *valueOf(const VarDecl *VD, const FunctionDecl *Fn) {
    if (!VD->isLocalVarDecl() || !VD->getInit() || !Fn ||
        !Fn->doesThisDeclarationHaveABody())
      return nullptr;
    if (bodyInfo(Fn).Assigned.contains(VD))
      return nullptr;
    return VD->getInit();
  }

  /// A member of a local struct set by its initialiser: `_T->lock` where
  /// `_T = &_t` and `_t = { .lock = l }` (the guard classes).
  const Expr *memberValue(const MemberExpr *ME, const FunctionDecl *Fn) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD || FD->getParent()->isUnion())
      return nullptr;
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    for (unsigned Depth = 0; Depth < 4; ++Depth) {
      if (const auto *U = dyn_cast<UnaryOperator>(Base);
          U && U->getOpcode() == UO_AddrOf) {
        Base = U->getSubExpr()->IgnoreParenImpCasts();
        continue;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(Base);
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      const Expr *Init = VD ? valueOf(VD, Fn) : nullptr;
      if (!Init)
        return nullptr;
      Init = Init->IgnoreParenImpCasts();
      if (const auto *ILE = dyn_cast<InitListExpr>(Init)) {
        unsigned I = FD->getFieldIndex();
        return I < ILE->getNumInits() ? ILE->getInit(I) : nullptr;
      }
      Base = Init;
    }
    return nullptr;
  }

  std::optional<LockId> lockOf(const Expr *E, const FunctionDecl *Fn,
                               unsigned Depth = 0) {
    if (!E || Depth > 16)
      return std::nullopt;
    for (unsigned I = 0; I < 32; ++I) {
      E = E->IgnoreParenCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(E);
          U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
        E = U->getSubExpr();
        continue;
      }
      if (const auto *B = dyn_cast<BinaryOperator>(E);
          B && B->getOpcode() == BO_Comma) {
        E = B->getRHS();
        continue;
      }
      if (const auto *CE = dyn_cast<CallExpr>(E)) {
        const FunctionDecl *Callee = CE->getDirectCallee();
        if (Callee && Callee->getIdentifier() && CE->getNumArgs() >= 1 &&
            Model.LockPassThrough.contains(Callee->getName())) {
          E = CE->getArg(0);
          continue;
        }
        break;
      }
      if (const auto *SE = dyn_cast<StmtExpr>(E)) {
        if (const Expr *L = lockInside(SE)) {
          E = L;
          continue;
        }
        break;
      }
      break;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return memberLock(ME, Fn, Depth);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
        LockId Id;
        Id.K = LockId::Param;
        Id.Index = PVD->getFunctionScopeIndex();
        return Id;
      }
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (VD->hasGlobalStorage() && !VD->isStaticLocal())
          return classId(K.global(VD));
        if (const Expr *Init = valueOf(VD, Fn))
          return lockOf(Init, Fn, Depth + 1);
        return localId(VD);
      }
    }
    return localId(E);
  }

  /// A lock reached through members: the first member, from the object
  /// outward, whose type is a lock (sk->sk_lock.slock is sk->sk_lock);
  /// the object itself if it is one (lock->rlock inside spin_lock());
  /// else the member's own key.
  std::optional<LockId> memberLock(const MemberExpr *Outer,
                                   const FunctionDecl *Fn, unsigned Depth) {
    llvm::SmallVector<const MemberExpr *, 4> Path; // outermost first
    const Expr *Root = Outer;
    while (const auto *M = dyn_cast<MemberExpr>(Root->IgnoreParenImpCasts())) {
      Path.push_back(M);
      Root = M->getBase();
      if (M->isArrow())
        break;
    }
    const MemberExpr *Innermost = Path.back();
    QualType Object = Innermost->getBase()->getType();
    if (Innermost->isArrow() && Object->isPointerType())
      Object = Object->getPointeeType();
    if (isLockType(Object))
      return lockOf(Root, Fn, Depth + 1);
    for (const MemberExpr *M : llvm::reverse(Path))
      if (isLockType(M->getType()))
        if (const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl()))
          return classId(K.field(FD));
    // A member that points to the lock: what it was set to, if this
    // function set it; else the member stands for the lock.
    if (Outer->getType()->isPointerType())
      if (const Expr *V = memberValue(Outer, Fn))
        return lockOf(V, Fn, Depth + 1);
    if (const auto *FD = dyn_cast<FieldDecl>(Outer->getMemberDecl()))
      return classId(K.field(FD));
    return localId(Outer);
  }

  /// Member M of the object Obj points to, as a lock (lock_sock(sk):
  /// sk->sk_lock).
  std::optional<LockId> memberOf(const Expr *Obj, llvm::StringRef M) {
    QualType T = Obj->IgnoreParenImpCasts()->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    const RecordDecl *RD = T->getAsRecordDecl();
    if (!RD)
      return std::nullopt;
    for (const FieldDecl *FD : RD->fields())
      if (FD->getName() == M)
        return classId(K.field(FD));
    return std::nullopt;
  }

  /// The lock a primitive's call names.
  std::optional<LockId> primitiveLock(const LockPrimitive &P,
                                      const CallExpr *CE,
                                      const FunctionDecl *Fn) {
    if (!P.Class.empty())
      return classId(Out.save(P.Class));
    if (P.Arg >= CE->getNumArgs())
      return std::nullopt;
    const Expr *Arg = CE->getArg(P.Arg);
    if (!P.Member.empty())
      return memberOf(Arg, P.Member);
    return lockOf(Arg, Fn);
  }

  /// What a call does to the caller's locks, in the caller's names.
  struct CallEffect {
    LockOp Op;
    LockId Id;
    LockMode Mode;
    bool SuccessIsZero;
  };
  llvm::SmallVector<CallEffect, 2> callEffects(const CallExpr *CE,
                                               const FunctionDecl *Fn) {
    llvm::SmallVector<CallEffect, 2> R;
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return R;
    auto P = Model.LockFunctions.find(Callee->getName());
    if (P != Model.LockFunctions.end()) {
      if (std::optional<LockId> Id = primitiveLock(P->second, CE, Fn))
        R.push_back({P->second.Op, *Id, P->second.Mode,
                     P->second.SuccessIsZero});
      return R;
    }
    for (const LockEffect &E : summaryOf(Callee)) {
      std::optional<LockId> Id = E.Id;
      if (E.Id.K == LockId::Param)
        Id = E.Id.Index < CE->getNumArgs() ? lockOf(CE->getArg(E.Id.Index), Fn)
                                           : std::nullopt;
      if (Id)
        R.push_back({E.Op, *Id, E.Mode, false});
    }
    return R;
  }

  // Summaries, callee first ---------------------------------------------------

  struct Summary {
    std::vector<LockEffect> Effects;
    bool Done = false;
  };

  llvm::ArrayRef<LockEffect> summaryOf(const FunctionDecl *FD) {
    FD = FD->getCanonicalDecl();
    auto It = Summaries.find(FD);
    if (It != Summaries.end())
      return It->second.Effects; // done, or in this SCC: none yet
    if (Model.LockFunctions.contains(FD->getName()) || !TarjanStack.empty())
      return {}; // a primitive, or asked for past the depth limit
    TarjanIndex = 0;
    strongConnect(FD, 0);
    return Summaries[FD].Effects;
  }

  const FunctionDecl *bodyOf(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    return FD->hasBody(Def) && Def && !Def->isDependentContext() ? Def
                                                                 : nullptr;
  }

  void strongConnect(const FunctionDecl *FD, unsigned Depth) {
    TarjanNode &N = Tarjan[FD];
    N.Index = N.Low = TarjanIndex++;
    N.OnStack = true;
    TarjanStack.push_back(FD);
    if (const FunctionDecl *Def = bodyOf(FD); Def && Depth < 256)
      for (const FunctionDecl *C : bodyInfo(Def).Callees) {
        if (Summaries.count(C) || Model.LockFunctions.contains(C->getName()))
          continue;
        auto T = Tarjan.find(C);
        if (T == Tarjan.end()) {
          strongConnect(C, Depth + 1);
          Tarjan[FD].Low = std::min(Tarjan[FD].Low, Tarjan[C].Low);
        } else if (T->second.OnStack) {
          Tarjan[FD].Low = std::min(Tarjan[FD].Low, T->second.Index);
        }
      }
    if (Tarjan[FD].Low != Tarjan[FD].Index)
      return;
    // FD roots a strongly connected component: summarise its members with
    // calls inside it counted as none, so no order of queries changes them.
    std::vector<const FunctionDecl *> SCC;
    while (true) {
      const FunctionDecl *M = TarjanStack.back();
      TarjanStack.pop_back();
      Tarjan[M].OnStack = false;
      SCC.push_back(M);
      if (M == FD)
        break;
    }
    for (const FunctionDecl *M : SCC)
      Summaries[M]; // present and empty while the component is summarised
    std::vector<std::vector<LockEffect>> Computed;
    for (const FunctionDecl *M : SCC)
      Computed.push_back(summarise(M));
    for (size_t I = 0; I < SCC.size(); ++I) {
      Summaries[SCC[I]].Effects = std::move(Computed[I]);
      Summaries[SCC[I]].Done = true;
    }
  }

  std::vector<LockEffect> summarise(const FunctionDecl *FD);

  // The dataflow -------------------------------------------------------------

  struct Run {
    const FunctionDecl *Fn = nullptr;
    std::unique_ptr<CFG> Cfg;
    std::vector<State> In, OutS;
    std::vector<HeldLock> Entry;
  };

  void transfer(State &S, const CFGElement &E, const FunctionDecl *Fn);
  void transferStmt(State &S, const Stmt *St, const FunctionDecl *Fn);
  /// A name for the pointer E within Fn: a parameter, a local never
  /// reassigned (its initialiser's name), a member chain of those.
  std::optional<std::string> pointerName(const Expr *E, const FunctionDecl *Fn,
                                         unsigned Depth = 0);
  /// The object an address points into: `&obj->node` is obj's.
  std::optional<std::string> objectOf(const Expr *E, const FunctionDecl *Fn);
  /// The object a member access reaches: smc->sk.sk_err is smc's.
  std::optional<std::string> objectOfAccess(const MemberExpr *ME,
                                            const FunctionDecl *Fn);
  bool teardownCall(const CallExpr *CE) const;
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
                                          llvm::ArrayRef<const Stmt *> Anchors);

  ASTContext &Ctx;
  SourceManager &SM;
  const KernelModel &Model;
  const MacroMarks &Marks;
  Keys &K;
  FactSet &Out;
  llvm::BumpPtrAllocator Scratch;
  llvm::StringSaver Saver;

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

const BodyInfo &LockAnalysis::Impl::bodyInfo(const FunctionDecl *Fn) {
  auto &Slot = Bodies[Fn];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<BodyInfo>();
  BodyInfo &B = *Slot;
  llvm::DenseSet<const FunctionDecl *> Seen;
  std::vector<const Stmt *> Work{Fn->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.back();
    Work.pop_back();
    if (!S)
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp())
        if (const auto *D =
                dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
            B.Assigned.insert(VD);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->isIncrementDecrementOp())
        if (const auto *D =
                dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
            B.Assigned.insert(VD);
    } else if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (const FunctionDecl *C = CE->getDirectCallee())
        if (C->getIdentifier() &&
            !C->getLexicalDeclContext()->isFunctionOrMethod() &&
            Seen.insert(C->getCanonicalDecl()).second)
          B.Callees.push_back(C->getCanonicalDecl());
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->hasAttr<CleanupAttr>() && VD->getInit())
            B.CleanupInits[VD->getInit()->IgnoreParenImpCasts()] = VD;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  // The lock assertion macros expanded in the body.
  SourceLocation Begin = SM.getExpansionLoc(Fn->getBody()->getBeginLoc());
  SourceLocation End = SM.getExpansionLoc(Fn->getBody()->getEndLoc());
  std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(Begin);
  B.File = DB.first;
  auto It = Marks.ByFile.find(DB.first);
  if (It != Marks.ByFile.end()) {
    unsigned EO = SM.getFileOffset(End);
    for (const MacroMarks::Mark &M : It->second)
      if (M.K == MacroMarks::LockAssert && M.Offset >= DB.second &&
          M.Offset <= EO)
        B.Asserts.push_back(&M);
  }
  return B;
}

/// The assertion a statement makes: the `(void)(lock)` of
/// lockdep_assert_held() without lockdep, a lock's dep_map read by it with
/// lockdep, or any statement of an assertion that names its lock's class
/// (ASSERT_RTNL()).
std::optional<std::pair<LockId, LockMode>>
LockAnalysis::Impl::assertionAt(const Stmt *St, const FunctionDecl *Fn) {
  const BodyInfo &B = bodyInfo(Fn);
  if (B.Asserts.empty())
    return std::nullopt;
  SourceLocation L = SM.getExpansionLoc(St->getBeginLoc());
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(L);
  if (D.first != B.File)
    return std::nullopt;
  for (const MacroMarks::Mark *M : B.Asserts) {
    if (D.second < M->Offset || D.second > M->End)
      continue;
    auto P = Model.LockAssertMacros.find(M->Macro);
    if (P == Model.LockAssertMacros.end())
      continue;
    if (!P->second.Class.empty())
      return std::make_pair(classId(Out.save(P->second.Class)),
                            P->second.Mode);
    const Expr *Lock = nullptr;
    if (const auto *C = dyn_cast<CStyleCastExpr>(St);
        C && C->getType()->isVoidType())
      Lock = C->getSubExpr();
    else if (const auto *ME = dyn_cast<MemberExpr>(St);
             ME && !Model.LockDepMap.empty() &&
             ME->getMemberDecl()->getIdentifier() &&
             ME->getMemberDecl()->getName() == Model.LockDepMap)
      Lock = ME->getBase();
    if (!Lock)
      continue;
    if (std::optional<LockId> Id = lockOf(Lock, Fn))
      return std::make_pair(*Id, P->second.Mode);
  }
  return std::nullopt;
}

std::optional<std::string>
LockAnalysis::Impl::pointerName(const Expr *E, const FunctionDecl *Fn,
                                unsigned Depth) {
  if (!E || Depth > 8)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    if (const Expr *Init = valueOf(VD, Fn))
      if (std::optional<std::string> N = pointerName(Init, Fn, Depth + 1))
        return N;
    return "#" + llvm::utohexstr(reinterpret_cast<uintptr_t>(VD));
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    std::optional<std::string> Base = pointerName(ME->getBase(), Fn, Depth + 1);
    if (!Base || !ME->getMemberDecl()->getIdentifier())
      return std::nullopt;
    return *Base + (ME->isArrow() ? "->" : ".") +
           ME->getMemberDecl()->getName().str();
  }
  return std::nullopt;
}

std::optional<std::string> LockAnalysis::Impl::objectOf(const Expr *E,
                                                        const FunctionDecl *Fn) {
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf) {
    const Expr *Sub = U->getSubExpr()->IgnoreParens();
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow())
        return pointerName(ME->getBase(), Fn);
      Sub = ME->getBase()->IgnoreParens();
    }
    return std::nullopt;
  }
  return pointerName(E, Fn);
}

std::optional<std::string>
LockAnalysis::Impl::objectOfAccess(const MemberExpr *ME,
                                   const FunctionDecl *Fn) {
  for (unsigned Depth = 0; Depth < 16 && !ME->isArrow(); ++Depth) {
    const auto *Base = dyn_cast<MemberExpr>(ME->getBase()->IgnoreParenImpCasts());
    if (!Base)
      return std::nullopt;
    ME = Base;
  }
  return ME->isArrow() ? pointerName(ME->getBase(), Fn) : std::nullopt;
}

bool LockAnalysis::Impl::teardownCall(const CallExpr *CE) const {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return false;
  llvm::StringRef N = Callee->getName();
  return Model.Unpublish.contains(N) || Model.UnpublishRcu.contains(N) ||
         Model.GracePeriod.contains(N) || Model.Republish.contains(N);
}

void LockAnalysis::Impl::transferStmt(State &S, const Stmt *St,
                                      const FunctionDecl *Fn) {
  if (const auto *CE = dyn_cast<CallExpr>(St)) {
    if (teardownCall(CE)) {
      llvm::StringRef N = CE->getDirectCallee()->getName();
      if (Model.GracePeriod.contains(N)) {
        for (std::string &O : S.Unlinked)
          insertSorted(S.Gone, std::move(O));
        S.Unlinked.clear();
      } else if (CE->getNumArgs()) {
        if (std::optional<std::string> O = objectOf(CE->getArg(0), Fn)) {
          if (Model.Unpublish.contains(N)) {
            insertSorted(S.Gone, *O);
          } else if (Model.UnpublishRcu.contains(N)) {
            insertSorted(S.Unlinked, *O);
          } else {
            llvm::erase(S.Gone, *O);
            llvm::erase(S.Unlinked, *O);
          }
        }
      }
    }
    const BodyInfo &B = bodyInfo(Fn);
    for (const CallEffect &E : callEffects(CE, Fn)) {
      switch (E.Op) {
      case LockOp::Acquire:
        acquire(S, E.Id, E.Mode, B.CleanupInits.lookup(CE));
        break;
      case LockOp::Release:
        release(S, E.Id);
        break;
      case LockOp::Assert:
        assertHeld(S, E.Id, E.Mode);
        break;
      case LockOp::TryAcquire:
        break; // on the branch that tests it (refineEdge)
      }
    }
    return;
  }
  // A variable that keeps a trylock's result, or loses it.
  auto NoteTry = [&](const VarDecl *VD, const Expr *Value) {
    llvm::erase_if(S.Tries, [&](const PendingTry &T) { return T.Var == VD; });
    const auto *CE = Value ? dyn_cast<CallExpr>(Value->IgnoreParenImpCasts())
                           : nullptr;
    if (!CE)
      return;
    for (const CallEffect &E : callEffects(CE, Fn))
      if (E.Op == LockOp::TryAcquire)
        S.Tries.push_back({VD, E.Id, E.Mode, E.SuccessIsZero});
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isAssignmentOp())
      if (const auto *D =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
          NoteTry(VD, BO->getOpcode() == BO_Assign ? BO->getRHS() : nullptr);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->getInit() && VD->getType()->isIntegerType())
          NoteTry(VD, VD->getInit());
    return;
  }
  if (isa<CStyleCastExpr>(St) || isa<MemberExpr>(St))
    if (auto A = assertionAt(St, Fn))
      assertHeld(S, A->first, A->second);
}

void LockAnalysis::Impl::transfer(State &S, const CFGElement &E,
                                  const FunctionDecl *Fn) {
  if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>()) {
    transferStmt(S, CS->getStmt(), Fn);
    return;
  }
  if (std::optional<CFGCleanupFunction> C = E.getAs<CFGCleanupFunction>()) {
    const VarDecl *VD = C->getVarDecl();
    for (size_t I = S.Held.size(); I-- > 0;)
      if (S.Held[I].Owner == VD) {
        LockId Id = S.Held[I].Id;
        S.Held.erase(S.Held.begin() + static_cast<ptrdiff_t>(I));
        if (!heldIn(S, Id))
          eraseSorted(S.MayHeld, Id);
      }
  }
}

/// On the edge from a block whose condition tests a trylock's result, the
/// lock is held where the result says success.
void LockAnalysis::Impl::refineEdge(State &S, const CFGBlock *From,
                                    unsigned SuccIndex,
                                    const FunctionDecl *Fn) {
  if (From->succ_size() != 2 || SuccIndex > 1)
    return;
  const Expr *C = From->getLastCondition();
  if (!C)
    return;
  bool Negated = false; // the edge's truth is !(value != 0)
  for (unsigned Depth = 0; Depth < 16; ++Depth) {
    C = C->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(C);
        U && U->getOpcode() == UO_LNot) {
      Negated = !Negated;
      C = U->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(C)) {
      auto IsZero = [&](const Expr *X) {
        Expr::EvalResult R;
        return !X->isValueDependent() && X->EvaluateAsInt(R, Ctx) &&
               R.Val.getInt() == 0;
      };
      const Expr *Other = nullptr;
      if (IsZero(B->getRHS()))
        Other = B->getLHS();
      else if (IsZero(B->getLHS()))
        Other = B->getRHS();
      if (Other && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE ||
                    B->getOpcode() == BO_LT)) {
        if (B->getOpcode() == BO_EQ)
          Negated = !Negated;
        C = Other;
        continue;
      }
      return;
    }
    if (const auto *CE = dyn_cast<CallExpr>(C)) {
      const FunctionDecl *F = CE->getDirectCallee();
      if (F && F->getBuiltinID() == Builtin::BI__builtin_expect &&
          CE->getNumArgs() == 2) {
        C = CE->getArg(0);
        continue;
      }
    }
    break;
  }
  bool NonZero = (SuccIndex == 0) != Negated;
  auto Take = [&](const LockId &Id, LockMode Mode, bool SuccessIsZero) {
    if (NonZero != SuccessIsZero)
      acquire(S, Id, Mode);
  };
  if (const auto *CE = dyn_cast<CallExpr>(C)) {
    for (const CallEffect &E : callEffects(CE, Fn))
      if (E.Op == LockOp::TryAcquire)
        Take(E.Id, E.Mode, E.SuccessIsZero);
    return;
  }
  if (const auto *D = dyn_cast<DeclRefExpr>(C))
    for (const PendingTry &T : S.Tries)
      if (T.Var == D->getDecl()) {
        Take(T.Id, T.Mode, T.SuccessIsZero);
        return;
      }
}

/// The assertions at the top of the body, before any lock is taken or
/// dropped: the function's callers hold those locks.  An assertion further
/// down says the lock is held from there on only.
std::vector<HeldLock> LockAnalysis::Impl::requiredOnEntry(Run &R) {
  std::vector<HeldLock> Req;
  for (const LockEffect &E : annotationEffects(R.Fn))
    if (E.Op == LockOp::Assert && E.Id.K != LockId::Local)
      Req.push_back({E.Id, E.Mode, nullptr, true});
  // The one path from the entry, through blocks with one way in and one
  // way out (a `do { } while (0)` is one), until a lock is taken or
  // dropped.
  auto Single = [](auto Begin, auto End) -> const CFGBlock * {
    const CFGBlock *One = nullptr;
    for (auto It = Begin; It != End; ++It) {
      if (!*It)
        continue;
      if (One)
        return nullptr;
      One = *It;
    }
    return One;
  };
  const CFGBlock &Entry = R.Cfg->getEntry();
  const CFGBlock *B = Single(Entry.succ_begin(), Entry.succ_end());
  llvm::DenseSet<const CFGBlock *> Seen;
  while (B && B != &R.Cfg->getExit() && Seen.insert(B).second) {
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      if (const auto *CE = dyn_cast<CallExpr>(St)) {
        for (const CallEffect &F : callEffects(CE, R.Fn)) {
          if (F.Op != LockOp::Assert)
            return Req;
          Req.push_back({F.Id, F.Mode, nullptr, true});
        }
        continue;
      }
      if (isa<CStyleCastExpr>(St) || isa<MemberExpr>(St))
        if (auto A = assertionAt(St, R.Fn))
          Req.push_back({A->first, A->second, nullptr, true});
    }
    const CFGBlock *Next = Single(B->succ_begin(), B->succ_end());
    if (!Next || Single(Next->pred_begin(), Next->pred_end()) != B)
      break;
    B = Next;
  }
  return Req;
}

bool LockAnalysis::Impl::analyze(Run &R) {
  CFG::BuildOptions BO;
  for (Stmt::StmtClass C :
       {Stmt::CallExprClass, Stmt::MemberExprClass, Stmt::CStyleCastExprClass,
        Stmt::BinaryOperatorClass, Stmt::CompoundAssignOperatorClass,
        Stmt::UnaryOperatorClass, Stmt::DeclStmtClass})
    BO.setAlwaysAdd(C);
  BO.AddImplicitDtors = true; // variables with a cleanup function
  R.Cfg = CFG::buildCFG(R.Fn, const_cast<Stmt *>(R.Fn->getBody()), &Ctx, BO);
  if (!R.Cfg)
    return false;
  unsigned N = R.Cfg->getNumBlockIDs();
  R.In.assign(N, State());
  R.OutS.assign(N, State());
  // Reverse post-order from the entry.
  std::vector<const CFGBlock *> Order;
  {
    std::vector<bool> Seen(N);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>>
        Stack;
    const CFGBlock *Entry = &R.Cfg->getEntry();
    Seen[Entry->getBlockID()] = true;
    Stack.emplace_back(Entry, Entry->succ_begin());
    while (!Stack.empty()) {
      auto &[B, It] = Stack.back();
      if (It == B->succ_end()) {
        Order.push_back(B);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *S = *It;
      ++It;
      if (S && !Seen[S->getBlockID()]) {
        Seen[S->getBlockID()] = true;
        Stack.emplace_back(S, S->succ_begin());
      }
    }
    std::reverse(Order.begin(), Order.end());
  }
  R.Entry = requiredOnEntry(R);
  State &Start = R.In[R.Cfg->getEntry().getBlockID()];
  Start.Reached = true;
  Start.Held = R.Entry;
  for (unsigned Pass = 0; Pass < 16; ++Pass) {
    bool Changed = false;
    for (const CFGBlock *B : Order) {
      unsigned Id = B->getBlockID();
      if (!R.In[Id].Reached)
        continue;
      State S = R.In[Id];
      for (const CFGElement &E : *B)
        transfer(S, E, R.Fn);
      R.OutS[Id] = S;
      unsigned I = 0;
      for (CFGBlock::const_succ_iterator It = B->succ_begin();
           It != B->succ_end(); ++It, ++I) {
        const CFGBlock *Succ = *It;
        if (!Succ)
          continue;
        State Edge = S;
        refineEdge(Edge, B, I, R.Fn);
        State &Dst = R.In[Succ->getBlockID()];
        State Before = Dst;
        if (Succ == &R.Cfg->getEntry())
          continue;
        join(Dst, Edge);
        if (!(Dst == Before))
          Changed = true;
      }
    }
    if (!Changed)
      break;
  }
  return true;
}

LockList LockAnalysis::Impl::factsOf(const State &S) {
  llvm::SmallVector<LockFact, 4> F;
  auto ClassOf = [](const LockId &Id) {
    return Id.K == LockId::Class ? Id.Name : llvm::StringRef();
  };
  for (const HeldLock &H : S.Held)
    F.push_back({ClassOf(H.Id), H.Mode, false});
  for (const LockId &Id : S.Released)
    F.push_back({ClassOf(Id), LockMode::Exclusive, true});
  llvm::sort(F);
  F.erase(std::unique(F.begin(), F.end()), F.end());
  return Out.save(LockList(F));
}

LockAnalysis::FunctionLocks
LockAnalysis::Impl::runFunction(const FunctionDecl *FD,
                                llvm::ArrayRef<const Stmt *> Anchors) {
  LockAnalysis::FunctionLocks Result;
  Run R;
  R.Fn = FD;
  bool Analyzed = false;
  // Most functions take no lock and assert none: every point holds what
  // the annotations say, and no CFG is needed.
  const BodyInfo &B = bodyInfo(FD);
  bool LockEvents = !B.Asserts.empty() ||
                    llvm::any_of(B.Callees, [&](const FunctionDecl *C) {
                      llvm::StringRef N = C->getName();
                      return Model.LockFunctions.contains(N) ||
                             Model.Unpublish.contains(N) ||
                             Model.UnpublishRcu.contains(N) ||
                             !summaryOf(C).empty();
                    });
  if (LockEvents)
    Analyzed = analyze(R);
  if (!Analyzed) {
    for (const LockEffect &E : annotationEffects(FD))
      if (E.Op == LockOp::Assert && E.Id.K != LockId::Local)
        R.Entry.push_back({E.Id, E.Mode, nullptr, true});
    State S;
    S.Reached = true;
    S.Held = R.Entry;
    LockList L = factsOf(S);
    for (const Stmt *A : Anchors)
      Result.At[A] = L;
    Result.RequiresLock = !R.Entry.empty();
    return Result;
  }
  Result.RequiresLock = !R.Entry.empty();
  llvm::DenseSet<const Stmt *> Wanted(Anchors.begin(), Anchors.end());
  for (const CFGBlock *Blk : *R.Cfg) {
    State S = R.In[Blk->getBlockID()];
    if (!S.Reached) { // unreachable code: what holds on entry
      S.Reached = true;
      S.Held = R.Entry;
    }
    for (const CFGElement &E : *Blk) {
      if (std::optional<CFGStmt> CS = E.getAs<CFGStmt>())
        if (Wanted.contains(CS->getStmt()) &&
            !Result.At.count(CS->getStmt())) {
          Result.At[CS->getStmt()] = factsOf(S);
          if (!S.Gone.empty())
            if (const auto *ME = dyn_cast<MemberExpr>(CS->getStmt()))
              if (std::optional<std::string> O = objectOfAccess(ME, FD);
                  O && std::binary_search(S.Gone.begin(), S.Gone.end(), *O))
                Result.TornDown.insert(ME);
        }
      transfer(S, E, FD);
    }
  }
  // Anchors the CFG does not list as elements of their own: the nearest
  // enclosing statement that it does.
  std::unique_ptr<ParentMap> PM;
  State EntryState;
  EntryState.Reached = true;
  EntryState.Held = R.Entry;
  for (const Stmt *A : Anchors) {
    if (Result.At.count(A))
      continue;
    if (!PM)
      PM = std::make_unique<ParentMap>(const_cast<Stmt *>(FD->getBody()));
    const Stmt *P = A;
    LockList L;
    bool Found = false;
    for (unsigned Depth = 0; P && Depth < 64; ++Depth) {
      P = PM->getParent(P);
      auto It = P ? Result.At.find(P) : Result.At.end();
      if (It != Result.At.end()) {
        L = It->second;
        Found = true;
        break;
      }
    }
    Result.At[A] = Found ? L : factsOf(EntryState);
  }
  return Result;
}

std::vector<LockEffect> LockAnalysis::Impl::summarise(const FunctionDecl *FD) {
  std::vector<LockEffect> Effects = annotationEffects(FD);
  const FunctionDecl *Def = bodyOf(FD);
  if (!Def)
    return Effects;
  const BodyInfo &B = bodyInfo(Def);
  bool LockEvents = !B.Asserts.empty() ||
                    llvm::any_of(B.Callees, [&](const FunctionDecl *C) {
                      if (Model.LockFunctions.contains(C->getName()))
                        return true;
                      auto It = Summaries.find(C);
                      return It != Summaries.end() &&
                             !It->second.Effects.empty();
                    });
  if (!LockEvents)
    return Effects;
  Run R;
  R.Fn = Def;
  if (!analyze(R))
    return Effects;
  // What the function returns with: the exit's locks, paths that end in a
  // noreturn call aside.
  State Exit;
  const CFGBlock &ExitBlock = R.Cfg->getExit();
  for (CFGBlock::const_pred_iterator It = ExitBlock.pred_begin();
       It != ExitBlock.pred_end(); ++It) {
    const CFGBlock *P = *It;
    if (!P || P->hasNoReturnElement())
      continue;
    join(Exit, R.OutS[P->getBlockID()]);
  }
  auto Add = [&](LockOp Op, const LockId &Id, LockMode Mode) {
    if (Id.K == LockId::Local)
      return;
    bool Known = llvm::any_of(Effects, [&](const LockEffect &E) {
      return E.Op == Op && E.Id == Id;
    });
    if (!Known)
      Effects.push_back({Op, Id, Mode});
  };
  for (const HeldLock &H : R.Entry)
    Add(LockOp::Assert, H.Id, H.Mode);
  if (Exit.Reached) {
    for (const LockId &Id : Exit.Released)
      Add(LockOp::Release, Id, LockMode::Exclusive);
    for (const HeldLock &H : Exit.Held)
      if (!H.FromEntry && !H.Owner)
        Add(LockOp::Acquire, H.Id, H.Mode);
  }
  return Effects;
}

/// A lock named by an annotation's argument: `&sk->sk_lock.slock`,
/// `rq->lock`, `&ctx->lock`, `global_lock`.  The first name is a parameter
/// or a global; a stale name (a member renamed since) names nothing.
std::optional<LockId> LockAnalysis::Impl::lockOfText(llvm::StringRef Text,
                                                     const FunctionDecl *FD) {
  Text = Text.trim().ltrim("&*( \t").rtrim(") \t");
  llvm::SmallVector<llvm::StringRef, 4> Names;
  llvm::StringRef Rest = Text;
  while (!Rest.empty()) {
    size_t Len = 0;
    while (Len < Rest.size() &&
           (llvm::isAlnum(Rest[Len]) || Rest[Len] == '_'))
      ++Len;
    if (Len == 0)
      return std::nullopt;
    Names.push_back(Rest.take_front(Len));
    Rest = Rest.drop_front(Len).ltrim();
    if (Rest.consume_front("->") || Rest.consume_front("."))
      Rest = Rest.ltrim();
    else if (!Rest.empty())
      return std::nullopt;
  }
  if (Names.empty())
    return std::nullopt;
  QualType T;
  std::optional<LockId> Root;
  for (const ParmVarDecl *P : FD->parameters())
    if (P->getName() == Names.front()) {
      T = P->getType();
      LockId Id;
      Id.K = LockId::Param;
      Id.Index = P->getFunctionScopeIndex();
      Root = Id;
    }
  if (!Root) {
    DeclContextLookupResult Found =
        Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Names.front()));
    for (const NamedDecl *D : Found)
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        T = VD->getType();
        Root = classId(K.global(VD));
      }
  }
  if (!Root)
    return std::nullopt;
  if (T->isPointerType())
    T = T->getPointeeType();
  if (isLockType(T))
    return Root;
  for (llvm::StringRef M : llvm::ArrayRef(Names).drop_front()) {
    const RecordDecl *RD = T->getAsRecordDecl();
    if (!RD)
      return std::nullopt;
    const FieldDecl *Field = nullptr;
    for (const FieldDecl *F : RD->fields())
      if (F->getName() == M)
        Field = F;
    if (!Field)
      return std::nullopt;
    if (isLockType(Field->getType()))
      return classId(K.field(Field));
    T = Field->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (M == Names.back())
      return classId(K.field(Field));
  }
  return std::nullopt;
}

std::vector<LockEffect>
LockAnalysis::Impl::annotationEffects(const FunctionDecl *FD) {
  std::vector<LockEffect> Effects;
  for (const FunctionDecl *D : FD->redecls()) {
    SourceLocation B = SM.getExpansionLoc(D->getBeginLoc());
    SourceLocation E = SM.getExpansionLoc(D->getEndLoc());
    if (D->doesThisDeclarationHaveABody())
      E = SM.getExpansionLoc(D->getBody()->getBeginLoc());
    std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(B);
    auto It = Marks.ByFile.find(DB.first);
    if (It == Marks.ByFile.end())
      continue;
    unsigned EO = SM.getFileOffset(E);
    // A prototype's annotations follow its closing parenthesis.
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(DB.first, &Invalid);
    if (!Invalid && !D->doesThisDeclarationHaveABody())
      while (EO < Buf.size() && Buf[EO] != ';' && Buf[EO] != '{')
        ++EO;
    for (const MacroMarks::Mark &M : It->second) {
      if (M.K != MacroMarks::LockAnnotation || M.Offset < DB.second ||
          M.Offset > EO)
        continue;
      auto Op = Model.LockAnnotations.find(M.Macro);
      if (Op == Model.LockAnnotations.end())
        continue;
      std::optional<LockId> Id = lockOfText(M.Arg, FD);
      if (!Id)
        continue;
      bool Known = llvm::any_of(Effects, [&](const LockEffect &X) {
        return X.Op == Op->second && X.Id == *Id;
      });
      if (!Known)
        Effects.push_back({Op->second, *Id, LockMode::Exclusive});
    }
  }
  return Effects;
}

LockAnalysis::LockAnalysis(ASTContext &Ctx, const KernelModel &Model,
                           const MacroMarks &Marks, Keys &K, FactSet &Out)
    : P(std::make_unique<Impl>(Ctx, Model, Marks, K, Out)) {}

LockAnalysis::~LockAnalysis() = default;

LockAnalysis::FunctionLocks
LockAnalysis::run(const FunctionDecl *FD,
                  llvm::ArrayRef<const Stmt *> Anchors) {
  return P->runFunction(FD, Anchors);
}

llvm::ArrayRef<LockEffect> LockAnalysis::summaryOf(const FunctionDecl *FD) {
  return P->summaryOf(FD);
}

std::optional<LockId> LockAnalysis::lockOf(const Expr *E,
                                           const FunctionDecl *Fn) {
  return P->lockOf(E, Fn);
}

} // namespace kmark
