//===- LockSet.cpp - Which locks are held where, on clang's CFG -----------===//

#include "LockSetImpl.h"

#include "Locals.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace kmark {

using namespace locks;

namespace {

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
  // Taking back a lock the callers held and this path dropped (unlock,
  // wait, lock again): from here on the callers' lock is held again, on
  // this path as on those that never dropped it.
  auto It = std::lower_bound(S.Released.begin(), S.Released.end(), Id);
  if (It != S.Released.end() && *It == Id) {
    S.Released.erase(It);
    S.Held.push_back({Id, Mode, Owner, true});
    return;
  }
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

} // namespace

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

bool LockAnalysis::Impl::teardownCall(const CallExpr *CE) const {
  const FunctionDecl *Callee = CE->getDirectCallee();
  return Callee && Callee->getIdentifier() && Model.isTeardown(Callee->getName());
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
        if (std::optional<std::string> O =
                objectOf(CE->getArg(0), Fn, /*Elements=*/false)) {
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
  // A branch this configuration compiles out (IS_ENABLED(), a constant
  // macro) runs in another one, with the locks it takes itself: analyse it
  // as reachable rather than give it only the entry's locks.
  BO.PruneTriviallyFalseEdges = false;
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

bool LockAnalysis::Impl::passesAccessedObject(
    const FunctionDecl *FD, llvm::ArrayRef<const Stmt *> Anchors) {
  llvm::StringSet<> Accessed;
  for (const Stmt *A : Anchors)
    if (const auto *ME = dyn_cast<MemberExpr>(A))
      if (std::optional<std::string> O = objectOfAccess(ME, FD))
        Accessed.insert(*O);
  if (Accessed.empty())
    return false;
  for (const Stmt *A : Anchors) {
    const auto *CE = dyn_cast<CallExpr>(A);
    if (!CE || !publicationCandidate(CE->getDirectCallee()))
      continue;
    for (const Expr *Arg : CE->arguments())
      if (Arg->getType()->isPointerType())
        if (std::optional<std::string> O =
                objectOf(Arg, FD, /*Elements=*/false);
            O && Accessed.contains(*O))
          return true;
  }
  return false;
}

std::optional<std::string>
LockAnalysis::Impl::fieldOfObject(const MemberExpr *ME, const FunctionDecl *Fn) {
  // Not through an array's elements: p->a[0].f and p->a[1].f are two.
  std::optional<std::string> O = objectOfAccess(ME, Fn, /*Elements=*/false);
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!O || !FD || !FD->getIdentifier())
    return std::nullopt;
  // The field's key, not its name: an accessor's result is its argument's
  // object, and priv->flags is not dev->flags.
  return *O + "." + K.field(FD).str();
}

bool LockAnalysis::Impl::rereadsMarkedField(
    const FunctionDecl *FD, const LockAnalysis::LoadSites &Loads) {
  llvm::StringSet<> Marked, Plain;
  for (const auto &[S, IsMarked] : Loads)
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      if (std::optional<std::string> F = fieldOfObject(ME, FD))
        (IsMarked ? Marked : Plain).insert(*F);
  return llvm::any_of(Plain, [&](const auto &E) {
    return Marked.contains(E.getKey());
  });
}

void LockAnalysis::Impl::markAfterMarkedLoad(
    const Run &R, const LockAnalysis::LoadSites &Loads, FunctionLocks &Result) {
  using Fields = std::vector<std::string>;
  unsigned N = R.Cfg->getNumBlockIDs();
  // What each block's marked loads add, in element order.
  std::vector<Fields> Gen(N);
  Fields All;
  auto LoadAt = [&](const CFGElement &E) -> std::optional<bool> {
    std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
    auto It = CS ? Loads.find(CS->getStmt()) : Loads.end();
    if (It == Loads.end() || !isa<MemberExpr>(It->first))
      return std::nullopt;
    return It->second;
  };
  for (const CFGBlock *B : *R.Cfg)
    for (const CFGElement &E : *B)
      if (std::optional<bool> M = LoadAt(E); M && *M)
        if (std::optional<std::string> F = fieldOfObject(
                cast<MemberExpr>(E.castAs<CFGStmt>().getStmt()), R.Fn)) {
          insertSorted(Gen[B->getBlockID()], *F);
          insertSorted(All, *F);
        }
  if (All.empty())
    return;
  // Forward, must: read on every path from the entry.  Unreached blocks
  // start full (the meet's identity); the entry starts empty.
  std::vector<Fields> In(N, All);
  In[R.Cfg->getEntry().getBlockID()].clear();
  auto Out = [&](const CFGBlock *B) {
    Fields O;
    const Fields &I = In[B->getBlockID()], &G = Gen[B->getBlockID()];
    std::set_union(I.begin(), I.end(), G.begin(), G.end(),
                   std::back_inserter(O));
    return O;
  };
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const CFGBlock *B : *R.Cfg) {
      if (B == &R.Cfg->getEntry())
        continue;
      Fields Meet = All;
      bool Any = false;
      for (const CFGBlock *P : B->preds()) {
        if (!P)
          continue;
        Fields O = Out(P), C;
        std::set_intersection(Meet.begin(), Meet.end(), O.begin(), O.end(),
                              std::back_inserter(C));
        Meet = std::move(C);
        Any = true;
      }
      if (!Any)
        Meet.clear();
      if (Meet != In[B->getBlockID()]) {
        In[B->getBlockID()] = std::move(Meet);
        Changed = true;
      }
    }
  }
  for (const CFGBlock *B : *R.Cfg) {
    if (!R.In[B->getBlockID()].Reached)
      continue;
    Fields Now = In[B->getBlockID()];
    for (const CFGElement &E : *B) {
      std::optional<bool> M = LoadAt(E);
      if (!M)
        continue;
      const auto *ME = cast<MemberExpr>(E.castAs<CFGStmt>().getStmt());
      std::optional<std::string> F = fieldOfObject(ME, R.Fn);
      if (!F)
        continue;
      if (*M)
        insertSorted(Now, *F);
      else if (std::binary_search(Now.begin(), Now.end(), *F))
        Result.AfterMarkedLoad.insert(ME);
    }
  }
}

LockAnalysis::FunctionLocks
LockAnalysis::Impl::runFunction(const FunctionDecl *FD,
                                llvm::ArrayRef<const Stmt *> Anchors,
                                const LockAnalysis::LoadSites &Loads) {
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
                             Model.Publish.contains(N) ||
                             Model.Unpublish.contains(N) ||
                             Model.UnpublishRcu.contains(N) ||
                             !summaryOf(C).empty();
                    }) ||
                    !B.PublishStores.empty();
  if (LockEvents || passesAccessedObject(FD, Anchors) ||
      rereadsMarkedField(FD, Loads))
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
            !Result.At.contains(CS->getStmt())) {
          Result.At[CS->getStmt()] = factsOf(S);
          if (!S.Gone.empty())
            if (const auto *ME = dyn_cast<MemberExpr>(CS->getStmt()))
              if (std::optional<std::string> O =
                      objectOfAccess(ME, FD, /*Elements=*/false);
                  O && std::binary_search(S.Gone.begin(), S.Gone.end(), *O))
                Result.TornDown.insert(ME);
        }
      transfer(S, E, FD);
    }
  }
  markBeforePublication(R, Result);
  markAfterMarkedLoad(R, Loads, Result);
  // Anchors the CFG does not list as elements of their own: the nearest
  // enclosing statement that it does.
  std::unique_ptr<ParentMap> PM;
  State EntryState;
  EntryState.Reached = true;
  EntryState.Held = R.Entry;
  for (const Stmt *A : Anchors) {
    if (Result.At.contains(A))
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

bool LockAnalysis::Impl::publicationCandidate(const FunctionDecl *Callee) const {
  if (!Callee || !Callee->getIdentifier() ||
      Callee->getLexicalDeclContext()->isFunctionOrMethod())
    return false;
  // An accessor returns an address inside its argument: it publishes
  // nothing (netdev_priv(dev) before every access through its result).
  if (IsAccessor && IsAccessor(Callee))
    return false;
  llvm::StringRef N = Callee->getName();
  return !N.starts_with("__builtin") && !Model.LockFunctions.contains(N) &&
         !Model.Publish.contains(N) && !Model.isTeardown(N);
}

namespace {

/// A signed integer local of the function (or a parameter), named alone:
/// what `return err;` returns.
const VarDecl *errorVariable(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || !VD->getType()->isSignedIntegerType())
    return nullptr;
  return VD;
}

bool negativeConstant(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return false;
  Expr::EvalResult V;
  return E->IgnoreParenImpCasts()->EvaluateAsInt(V, Ctx) &&
         V.Val.getInt().isNegative();
}

/// What the backward analysis knows at a point: every path from it returns
/// an error, or the locals every path returns unchanged.
struct ErrorState {
  bool Error = true; ///< the top: what no path has contradicted yet
  llvm::SmallVector<const VarDecl *, 2> Returned;

  void meet(const ErrorState &O) {
    if (O.Error)
      return;
    if (Error) {
      *this = O;
      return;
    }
    llvm::erase_if(Returned, [&](const VarDecl *V) {
      return !llvm::is_contained(O.Returned, V);
    });
  }
  bool operator==(const ErrorState &O) const {
    return Error == O.Error && (Error || Returned == O.Returned);
  }
};

} // namespace

std::vector<llvm::BitVector> LockAnalysis::Impl::errorEdges(const Run &R) {
  unsigned N = R.Cfg->getNumBlockIDs();
  std::vector<llvm::BitVector> Edges(N);
  QualType RT = R.Fn->getReturnType();
  bool SignedResult = RT->isSignedIntegerType();
  if (!SignedResult && !RT->isPointerType())
    return Edges;
  auto ErrorValue = [&](const Expr *E) {
    if (!E)
      return false;
    if (SignedResult)
      return negativeConstant(E, Ctx);
    const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenCasts());
    const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
    return Callee && Callee->getIdentifier() &&
           Model.ErrorPointers.contains(Callee->getName());
  };
  // The local an `if` finds non-zero or negative on its true edge:
  // `if (err)`, `if (err < 0)`, `if (err != 0)`.
  auto FailedIn = [&](const CFGBlock *B) -> const VarDecl * {
    if (!SignedResult || !isa_and_nonnull<IfStmt>(B->getTerminatorStmt()))
      return nullptr;
    const auto *C = dyn_cast_or_null<Expr>(B->getTerminatorCondition());
    if (!C)
      return nullptr;
    C = C->IgnoreParenImpCasts();
    if (const VarDecl *V = errorVariable(C))
      return V;
    const auto *BO = dyn_cast<BinaryOperator>(C);
    if (!BO || (BO->getOpcode() != BO_LT && BO->getOpcode() != BO_NE))
      return nullptr;
    Expr::EvalResult Zero;
    if (!BO->getRHS()->EvaluateAsInt(Zero, Ctx) || !Zero.Val.getInt().isZero())
      return nullptr;
    return errorVariable(BO->getLHS());
  };
  std::vector<ErrorState> Start(N);
  auto EdgeState = [&](const CFGBlock *B, unsigned K, const CFGBlock *S) {
    ErrorState E = Start[S->getBlockID()];
    if (!E.Error && K == 0)
      if (const VarDecl *V = FailedIn(B);
          V && llvm::is_contained(E.Returned, V))
        E.Error = true;
    return E;
  };
  auto Kill = [](ErrorState &S, const VarDecl *V) {
    llvm::erase(S.Returned, V);
  };
  auto Assigned = [&](ErrorState &S, const VarDecl *V, const Expr *Value) {
    if (S.Error || !V || !llvm::is_contained(S.Returned, V))
      return;
    if (negativeConstant(Value, Ctx))
      S.Error = true;
    else
      Kill(S, V);
  };
  bool Changed = true;
  while (Changed) {
    Changed = false;
    for (const CFGBlock *B : llvm::reverse(*R.Cfg)) {
      ErrorState S;
      if (B == &R.Cfg->getExit()) {
        S.Error = false;
      } else if (!B->hasNoReturnElement()) {
        unsigned K = 0;
        for (const CFGBlock *Succ : B->succs()) {
          if (Succ)
            S.meet(EdgeState(B, K, Succ));
          ++K;
        }
      }
      for (const CFGElement &E : llvm::reverse(*B)) {
        std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *St = CS->getStmt();
        if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
          S = ErrorState();
          S.Error = ErrorValue(RS->getRetValue());
          if (!S.Error)
            if (const VarDecl *V = errorVariable(RS->getRetValue()))
              S.Returned.push_back(V);
          continue;
        }
        if (S.Error || S.Returned.empty())
          continue;
        if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
          if (BO->getOpcode() == BO_Assign)
            Assigned(S, errorVariable(BO->getLHS()), BO->getRHS());
          else if (BO->isCompoundAssignmentOp())
            if (const VarDecl *V = errorVariable(BO->getLHS()))
              Kill(S, V);
        } else if (const auto *DS = dyn_cast<DeclStmt>(St)) {
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D))
              if (llvm::is_contained(S.Returned, V)) {
                if (V->getInit())
                  Assigned(S, V, V->getInit());
                else
                  Kill(S, V);
              }
        } else if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
          // ++err, or &err given to a call that may set it.
          if (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf)
            if (const VarDecl *V = errorVariable(UO->getSubExpr()))
              Kill(S, V);
        }
      }
      if (!(S == Start[B->getBlockID()])) {
        Start[B->getBlockID()] = std::move(S);
        Changed = true;
      }
    }
  }
  for (const CFGBlock *B : *R.Cfg) {
    llvm::BitVector &Bits = Edges[B->getBlockID()];
    Bits.resize(B->succ_size());
    unsigned K = 0;
    for (const CFGBlock *Succ : B->succs()) {
      if (Succ && EdgeState(B, K, Succ).Error)
        Bits.set(K);
      ++K;
    }
  }
  return Edges;
}

std::optional<std::string>
LockAnalysis::Impl::storePublishes(const CFGBlock *Blk, unsigned Index,
                                   const BodyInfo &B, const FunctionDecl *Fn) {
  std::optional<CFGStmt> CS = (*Blk)[Index].getAs<CFGStmt>();
  if (!CS)
    return std::nullopt;
  const Stmt *St = CS->getStmt();
  // The macros copy their value argument into a temporary
  // (`__ret = (v)` of xchg()) or store it (`*(volatile T *)&x = (v)` of
  // smp_store_release()): the copy of a pointer whose tokens are all in
  // that argument.
  const Expr *Value = nullptr;
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    if (const auto *VD = DS->isSingleDecl()
                             ? dyn_cast<VarDecl>(DS->getSingleDecl())
                             : nullptr)
      Value = VD->getInit();
  } else if (const auto *BO = dyn_cast<BinaryOperator>(St);
             BO && BO->getOpcode() == BO_Assign) {
    Value = BO->getRHS();
  }
  if (!Value)
    return std::nullopt;
  Value = Value->IgnoreParenCasts();
  bool Pointer = isa<DeclRefExpr>(Value) && Value->getType()->isPointerType();
  const auto *U = dyn_cast<UnaryOperator>(Value);
  bool Address = U && U->getOpcode() == UO_AddrOf;
  if (!Pointer && !Address)
    return std::nullopt;
  if (!Value->getBeginLoc().isMacroID())
    return std::nullopt;
  SourceLocation Last = SM.getSpellingLoc(Value->getEndLoc());
  std::pair<FileID, unsigned> Begin =
      SM.getDecomposedLoc(SM.getSpellingLoc(Value->getBeginLoc()));
  std::pair<FileID, unsigned> End = SM.getDecomposedLoc(Last);
  if (Begin.first != B.File || End.first != B.File)
    return std::nullopt;
  // The pointer ends the argument, casts before it aside: a pointer that
  // another macro inside the argument copies is not the value stored
  // (rcu_assign_pointer(p, list_first_or_null_rcu(&o->list, ...)) stores
  // an entry, not o).
  unsigned EndOffset =
      End.second + Lexer::MeasureTokenLength(Last, SM, Ctx.getLangOpts());
  bool Stored = llvm::any_of(B.PublishStores, [&](const MacroMarks::Mark *M) {
    return M->ValueBegin <= Begin.second && EndOffset == M->ValueEnd;
  });
  // The pointer variable stored, `node` or the `obj` of `&obj->node`.
  const Expr *Base = Address ? U->getSubExpr()->IgnoreParens() : Value;
  while (const auto *ME = dyn_cast<MemberExpr>(Base)) {
    Base = ME->getBase()->IgnoreParenCasts();
    if (ME->isArrow())
      break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Base);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!Stored || !VD || !madeAt(VD, Fn, Blk, Index))
    return std::nullopt;
  return objectOf(Value, Fn);
}

bool LockAnalysis::Impl::madeAt(const VarDecl *VD, const FunctionDecl *Fn,
                                const CFGBlock *Blk, unsigned Index) {
  if (!VD->hasLocalStorage() || !VD->getType()->isPointerType())
    return false;
  const BodyInfo &B = bodyInfo(Fn);
  if (B.AddressTaken.contains(VD))
    return false;
  if (!B.Assigned.contains(VD))
    return isa<ParmVarDecl>(VD) || (VD->getInit() && fromCall(VD->getInit()));
  // The definitions that reach the element, walking the CFG back from it:
  // in each block the last one before the end of the part walked, else
  // the block's predecessors.  `p = rcu_dereference(slot); if (!p) { p =
  // alloc(); ...; rcu_assign_pointer(slot, p); }` publishes what it made.
  llvm::BitVector Seen(Blk->getParent()->getNumBlockIDs());
  std::vector<std::pair<const CFGBlock *, unsigned>> Work{{Blk, Index}};
  while (!Work.empty()) {
    auto [Cur, End] = Work.back();
    Work.pop_back();
    std::optional<bool> Def;
    for (unsigned I = End; I-- > 0 && !Def;) {
      std::optional<CFGStmt> CS = (*Cur)[I].getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *S = CS->getStmt();
      if (assignedVariable(S) == VD) {
        const auto *BO = dyn_cast<BinaryOperator>(S);
        Def = BO && BO->getOpcode() == BO_Assign && fromCall(BO->getRHS());
      } else if (const auto *DS = dyn_cast<DeclStmt>(S);
                 DS && llvm::is_contained(DS->decls(), VD)) {
        Def = VD->getInit() && fromCall(VD->getInit());
      }
    }
    if (Def) {
      if (!*Def)
        return false;
      continue;
    }
    // The function's entry: a parameter holds what the caller passed.
    if (Cur->pred_empty()) {
      if (!isa<ParmVarDecl>(VD))
        return false;
      continue;
    }
    for (const CFGBlock *P : Cur->preds())
      if (P && !Seen.test(P->getBlockID())) {
        Seen.set(P->getBlockID());
        Work.emplace_back(P, P->size());
      }
  }
  return true;
}

bool LockAnalysis::Impl::fromCall(const Expr *E) const {
  const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenCasts());
  const FunctionDecl *C = CE ? CE->getDirectCallee() : nullptr;
  return C && !(IsAccessor && IsAccessor(C));
}

void LockAnalysis::Impl::markBeforePublication(const Run &R,
                                               FunctionLocks &Result) {
  // Events, each "object\x01how": a call of the model's publish primitives
  // on the object ("how" is "="), or a call of another function given a
  // pointer into it ("how" is "callee#N", N its argument from 1), which
  // publishes it if the callee's body does (the merge knows; Access::
  // Publication).  An access before publication has a publish event on
  // every path after it and none before.
  using Events = std::vector<std::string>;
  constexpr char Sep = '\x01';
  // Functions with more candidates than this: the model's primitives only,
  // none of the candidates (a partial list could miss the first).
  constexpr size_t MaxCandidates = 512;
  unsigned N = R.Cfg->getNumBlockIDs();
  // The objects this function accesses: only calls given one matter.
  llvm::StringSet<> Accessed;
  for (const auto &[St, Locks] : Result.At)
    if (const auto *ME = dyn_cast<MemberExpr>(St))
      if (std::optional<std::string> O = objectOfAccess(ME, R.Fn))
        Accessed.insert(*O);
  if (Accessed.empty())
    return;
  std::vector<std::vector<std::pair<const Stmt *, std::string>>> Pub(N);
  size_t Candidates = 0;
  const BodyInfo &Body = bodyInfo(R.Fn);
  for (const CFGBlock *B : *R.Cfg)
    for (unsigned Index = 0; Index < B->size(); ++Index) {
      std::optional<CFGStmt> CS = (*B)[Index].getAs<CFGStmt>();
      // An ordered store of a pointer to the object links it, as a list
      // does ("=").
      if (CS && !Body.PublishStores.empty())
        if (std::optional<std::string> O =
                storePublishes(B, Index, Body, R.Fn);
            O && Accessed.contains(*O)) {
          Pub[B->getBlockID()].emplace_back(CS->getStmt(), *O + Sep + "=");
          continue;
        }
      const auto *CE = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
      if (!Callee || !Callee->getIdentifier())
        continue;
      auto Add = [&](unsigned Arg, llvm::StringRef How) {
        // A call given one element's node links that element, not the
        // whole object (list_add(&r->bufs[i].node, &pool)).
        std::optional<std::string> O =
            objectOf(CE->getArg(Arg), R.Fn, /*Elements=*/false);
        if (!O || !Accessed.contains(*O))
          return false;
        Pub[B->getBlockID()].emplace_back(CE, *O + Sep + How.str());
        return true;
      };
      auto It = Model.Publish.find(Callee->getName());
      if (It != Model.Publish.end()) {
        // "=r": a registration, once in the object's life; "=": a list,
        // which may link an object that is live already.
        if (It->second < CE->getNumArgs())
          Add(It->second,
              Model.Register.contains(Callee->getName()) ? "=r" : "=");
        continue;
      }
      if (!publicationCandidate(Callee))
        continue;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I)->getType()->isPointerType())
          Candidates +=
              Add(I, (K.function(Callee) + "#" + llvm::Twine(I + 1)).str());
    }
  if (Candidates > MaxCandidates)
    for (auto &Events : Pub)
      llvm::erase_if(Events, [&](const auto &P) {
        return !llvm::StringRef(P.second).contains(std::string{Sep, '='});
      });
  Events All;
  for (const auto &Events : Pub)
    for (const auto &P : Events)
      insertSorted(All, P.second);
  if (All.empty())
    return;
  auto Combine = [](Events &To, const Events &From, bool Union) {
    Events C;
    if (Union)
      std::set_union(To.begin(), To.end(), From.begin(), From.end(),
                     std::back_inserter(C));
    else
      std::set_intersection(To.begin(), To.end(), From.begin(), From.end(),
                            std::back_inserter(C));
    To = std::move(C);
  };
  auto Add = [&](Events &To, const Events &From) { Combine(To, From, true); };
  auto Meet = [&](Events &To, const Events &From) {
    Combine(To, From, false);
  };
  std::vector<Events> PublishedIn(N);
  for (unsigned Id = 0; Id < N; ++Id)
    for (const auto &P : Pub[Id])
      insertSorted(PublishedIn[Id], P.second);
  // Error returns matter only to registrations: a function that links its
  // objects into lists alone needs no pass for them.
  bool Registers = llvm::any_of(All, [&](llvm::StringRef E) {
    return !E.ends_with(std::string{Sep, '='});
  });
  std::vector<llvm::BitVector> ErrorEdge =
      Registers ? errorEdges(R) : std::vector<llvm::BitVector>(N);
  // Forward: happened on some path from the entry (a loop's later
  // iterations see its earlier ones).
  std::vector<Events> MayIn(N);
  // Backward: happens on every path from a block's end to a return;
  // paths that end in a noreturn call, or never end, say nothing.  Of a
  // registration (a registry's insert, register_netdevice(), a function
  // that passes its parameter on to one), paths that return an error say
  // nothing either: MustOut.  A list's link only counts on every path,
  // error returns included (MustStrict): a function may link a live object
  // into one more list, and fail with -EBUSY before it.
  std::vector<Events> MustOut(N, All), MustStrict(N, All);
  // A block's set and what the block itself adds.
  auto Through = [&](const std::vector<Events> &V, const CFGBlock *B) {
    Events O = V[B->getBlockID()];
    Add(O, PublishedIn[B->getBlockID()]);
    return O;
  };
  bool Changed = true;
  auto Update = [&](Events &Dst, Events V) {
    if (V != Dst) {
      Dst = std::move(V);
      Changed = true;
    }
  };
  while (Changed) {
    Changed = false;
    for (const CFGBlock *B : *R.Cfg) {
      Events In;
      for (const CFGBlock *P : B->preds())
        if (P)
          Add(In, Through(MayIn, P));
      Update(MayIn[B->getBlockID()], std::move(In));
      Events Out = All, Strict = All;
      if (B == &R.Cfg->getExit()) {
        Out.clear();
        Strict.clear();
      } else if (!B->hasNoReturnElement()) {
        // An edge to an error return says nothing of a registration: an
        // object left unregistered there is unwound, not live
        // (ppp_dev_configure()'s `goto err1` before its
        // register_netdevice()).
        const llvm::BitVector &Error = ErrorEdge[B->getBlockID()];
        unsigned K = 0;
        for (const CFGBlock *S : B->succs()) {
          bool ToError = K < Error.size() && Error.test(K);
          if (S && !ToError)
            Meet(Out, Through(MustOut, S));
          if (S)
            Meet(Strict, Through(MustStrict, S));
          ++K;
        }
      }
      Update(MustOut[B->getBlockID()], std::move(Out));
      Update(MustStrict[B->getBlockID()], std::move(Strict));
    }
  }
  // The "how"s of object O's events in a sorted set.
  auto Hows = [&](const Events &Set, llvm::StringRef O,
                  llvm::SmallVectorImpl<llvm::StringRef> &Into) {
    std::string Prefix = O.str() + Sep;
    for (auto I = std::lower_bound(Set.begin(), Set.end(), Prefix);
         I != Set.end() && llvm::StringRef(*I).starts_with(Prefix); ++I)
      Into.push_back(llvm::StringRef(*I).drop_front(Prefix.size()));
  };
  for (const CFGBlock *B : *R.Cfg) {
    unsigned Id = B->getBlockID();
    if (!R.In[Id].Reached)
      continue;
    const auto &P = Pub[Id];
    unsigned Seen = 0; // events of this block before the element
    for (const CFGElement &E : *B) {
      std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      bool Call = false;
      while (Seen < P.size() && P[Seen].first == St) {
        ++Seen;
        Call = true;
      }
      const auto *ME = dyn_cast<MemberExpr>(St);
      if (Call || !ME || !Result.At.contains(ME))
        continue;
      std::optional<std::string> O = objectOfAccess(ME, R.Fn);
      if (!O)
        continue;
      // Object O's events before the access (on some path) and after it
      // (on every path), the block's own included.
      llvm::SmallVector<llvm::StringRef, 4> Earlier, Later;
      Hows(MayIn[Id], *O, Earlier);
      // Registrations on every path that does not return an error, a
      // list's links on every path.
      Hows(MustOut[Id], *O, Later);
      llvm::erase_if(Later, [](llvm::StringRef How) { return How == "="; });
      llvm::SmallVector<llvm::StringRef, 4> Links;
      Hows(MustStrict[Id], *O, Links);
      for (llvm::StringRef How : Links)
        if (How == "=")
          Later.push_back(How);
      std::string Prefix = *O + Sep;
      for (unsigned I = 0; I < P.size(); ++I)
        if (llvm::StringRef(P[I].second).starts_with(Prefix))
          (I < Seen ? Earlier : Later)
              .push_back(llvm::StringRef(P[I].second).drop_front(Prefix.size()));
      auto Sort = [](llvm::SmallVectorImpl<llvm::StringRef> &V) {
        llvm::sort(V);
        V.erase(std::unique(V.begin(), V.end()), V.end());
      };
      Sort(Earlier);
      Sort(Later);
      auto Primitive = [](llvm::StringRef How) { return How.starts_with("="); };
      if (Later.empty() || llvm::any_of(Earlier, Primitive))
        continue;
      if (llvm::any_of(Later, Primitive) && Earlier.empty()) {
        Result.BeforePublication.insert(ME);
        continue;
      }
      // Candidates, or a primitive after candidates: the merge decides.
      std::vector<FunctionLocks::MayPublish> Calls;
      for (auto [List, Before] : {std::pair(&Later, false), {&Earlier, true}})
        for (llvm::StringRef How : *List) {
          FunctionLocks::MayPublish C;
          C.Before = Before;
          if (!Primitive(How)) {
            auto [Callee, Arg] = How.rsplit('#');
            C.Callee = Callee.str();
            (void)Arg.getAsInteger(10, C.Arg);
          }
          Calls.push_back(std::move(C));
        }
      Result.PublishedLater[ME] = std::move(Calls);
    }
  }
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
  // A lock counts as released only if every such path releases it: a
  // function that drops its callers' lock on one path and says so by its
  // return value (wait_task_zombie()) leaves it held for the caller's
  // path that goes on.
  State Exit;
  std::optional<std::vector<LockId>> ReleasedOnAll;
  const CFGBlock &ExitBlock = R.Cfg->getExit();
  for (CFGBlock::const_pred_iterator It = ExitBlock.pred_begin();
       It != ExitBlock.pred_end(); ++It) {
    const CFGBlock *P = *It;
    if (!P || P->hasNoReturnElement() || !R.OutS[P->getBlockID()].Reached)
      continue;
    const State &Out = R.OutS[P->getBlockID()];
    join(Exit, Out);
    if (!ReleasedOnAll) {
      ReleasedOnAll = Out.Released;
      continue;
    }
    std::vector<LockId> Both;
    std::set_intersection(ReleasedOnAll->begin(), ReleasedOnAll->end(),
                          Out.Released.begin(), Out.Released.end(),
                          std::back_inserter(Both));
    *ReleasedOnAll = std::move(Both);
  }
  if (ReleasedOnAll) {
    // An annotation (__releases) says what the function does on the path
    // its comment describes; where the body releases the lock on some
    // returns and keeps it on others, the body is the more exact fact.
    llvm::erase_if(Effects, [&](const LockEffect &E) {
      return E.Op == LockOp::Release &&
             std::binary_search(Exit.Released.begin(), Exit.Released.end(),
                                E.Id) &&
             !std::binary_search(ReleasedOnAll->begin(), ReleasedOnAll->end(),
                                 E.Id);
    });
    Exit.Released = std::move(*ReleasedOnAll);
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
  for (const LockEffect &T : derivedTrylocks(R))
    if (T.Id.K != LockId::Local &&
        llvm::none_of(Effects, [&](const LockEffect &E) { return E.Id == T.Id; }))
      Effects.push_back(T);
  return Effects;
}

std::vector<LockEffect> LockAnalysis::Impl::derivedTrylocks(const Run &R) {
  // How each return leaves a lock: by the value it returns (a constant),
  // or as the trylock whose result it returns.
  struct Return {
    const State *S;
    std::optional<bool> IsZero;          // a constant
    std::optional<PendingTry> Try;       // a trylock's result
  };
  std::vector<Return> Returns;
  const CFGBlock &ExitBlock = R.Cfg->getExit();
  for (const CFGBlock *P : ExitBlock.preds()) {
    if (!P || P->hasNoReturnElement() || !R.OutS[P->getBlockID()].Reached)
      continue;
    const ReturnStmt *RS = nullptr;
    for (const auto *It = P->rbegin(); It != P->rend() && !RS; ++It)
      if (std::optional<CFGStmt> CS = It->getAs<CFGStmt>())
        RS = dyn_cast<ReturnStmt>(CS->getStmt());
    if (!RS || !RS->getRetValue())
      return {};
    const Expr *V = RS->getRetValue()->IgnoreParenImpCasts();
    Return Ret{&R.OutS[P->getBlockID()], std::nullopt, std::nullopt};
    Expr::EvalResult E;
    if (V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull)) {
      Ret.IsZero = true;
    } else if (!V->isValueDependent() && V->EvaluateAsInt(E, Ctx)) {
      Ret.IsZero = E.Val.getInt() == 0;
    } else if (const auto *D = dyn_cast<DeclRefExpr>(V)) {
      for (const PendingTry &T : Ret.S->Tries)
        if (T.Var == D->getDecl())
          Ret.Try = T;
    } else if (const auto *CE = dyn_cast<CallExpr>(V)) {
      for (const CallEffect &C : callEffects(CE, R.Fn))
        if (C.Op == LockOp::TryAcquire)
          Ret.Try = PendingTry{nullptr, C.Id, C.Mode, C.SuccessIsZero};
    }
    if (!Ret.IsZero && !Ret.Try)
      return {};
    Returns.push_back(Ret);
  }
  // The candidates: a trylock some return passes on, or a lock some
  // constant return holds that the function took.
  std::vector<std::pair<LockId, LockMode>> Candidates;
  for (const Return &Ret : Returns) {
    if (Ret.Try)
      Candidates.emplace_back(Ret.Try->Id, Ret.Try->Mode);
    else
      for (const HeldLock &H : Ret.S->Held)
        if (!H.FromEntry && !H.Owner)
          Candidates.emplace_back(H.Id, H.Mode);
  }
  std::vector<LockEffect> Out;
  for (const auto &C : Candidates) {
    const LockId &Id = C.first;
    LockMode Mode = C.second;
    if (llvm::any_of(Out, [&](const LockEffect &E) { return E.Id == Id; }))
      continue;
    // Held exactly where the result says success, for one sense of it,
    // with a return of each kind.
    for (bool SuccessIsZero : {false, true}) {
      bool Ok = true, Success = false, Failure = false;
      for (const Return &Ret : Returns) {
        if (Ret.Try) {
          bool Same = Ret.Try->Id == Id &&
                      Ret.Try->SuccessIsZero == SuccessIsZero;
          Ok &= Same || !heldIn(*Ret.S, Id);
          Success |= Same;
          Failure |= Same;
          continue;
        }
        bool Succeeds = *Ret.IsZero == SuccessIsZero;
        Ok &= heldIn(*Ret.S, Id) == Succeeds;
        (Succeeds ? Success : Failure) = true;
      }
      if (Ok && Success && Failure) {
        Out.push_back({LockOp::TryAcquire, Id, Mode, SuccessIsZero});
        break;
      }
    }
  }
  return Out;
}

LockAnalysis::LockAnalysis(ASTContext &Ctx, const KernelModel &Model,
                           const MacroMarks &Marks, Keys &K, FactSet &Out)
    : P(std::make_unique<Impl>(Ctx, Model, Marks, K, Out)) {}

LockAnalysis::~LockAnalysis() = default;

LockAnalysis::FunctionLocks
LockAnalysis::run(const FunctionDecl *FD,
                  llvm::ArrayRef<const Stmt *> Anchors,
                  const LoadSites &Loads) {
  return P->runFunction(FD, Anchors, Loads);
}

llvm::ArrayRef<LockEffect> LockAnalysis::summaryOf(const FunctionDecl *FD) {
  return P->summaryOf(FD);
}

void LockAnalysis::setAccessorTest(
    std::function<bool(const FunctionDecl *)> F) {
  P->IsAccessor = std::move(F);
}

std::optional<LockId> LockAnalysis::lockOf(const Expr *E,
                                           const FunctionDecl *Fn) {
  return P->lockOf(E, Fn);
}

} // namespace kmark
