//===- Extractor.cpp - Facts of one translation unit from clang's AST -----===//

#include "kmark/Extractor.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <optional>

using namespace clang;

namespace kmark {

std::vector<std::string> ExtractOptions::defaultAllocFunctions() {
  return {"kmalloc",          "kzalloc",           "kcalloc",
          "kmalloc_node",     "kzalloc_node",      "kvmalloc",
          "kvzalloc",         "kvmalloc_node",     "kvzalloc_node",
          "kmem_cache_alloc", "kmem_cache_zalloc", "kmem_cache_alloc_node",
          "kmalloc_noprof",   "kmalloc_node_noprof", "kvmalloc_node_noprof",
          "kmem_cache_alloc_noprof", "kmem_cache_alloc_node_noprof",
          "__kmalloc_noprof", "__kmalloc_node_noprof", "kmalloc_trace_noprof",
          "vmalloc",          "vzalloc",           "alloc_netdev_mqs",
          "sk_alloc",         "sk_prot_alloc",     "sk_clone_lock",
          "inet_csk_clone_lock", "alloc_skb",      "__alloc_skb",
          "kmemdup",          "kmemdup_noprof",    "devm_kzalloc",
          "devm_kmalloc"};
}

namespace {

// --- Preprocessor side ------------------------------------------------------

class MacroRecorder : public PPCallbacks {
public:
  MacroRecorder(const SourceManager &SM, MacroMarks &Marks)
      : SM(SM), Marks(Marks) {}

  void MacroExpands(const Token &Name, const MacroDefinition & /*MD*/,
                    SourceRange Range, const MacroArgs * /*Args*/) override {
    const IdentifierInfo *II = Name.getIdentifierInfo();
    if (!II)
      return;
    std::optional<MacroMarks::Kind> K =
        llvm::StringSwitch<std::optional<MacroMarks::Kind>>(II->getName())
            .Cases({"lockdep_assert_held", "lockdep_assert_held_once",
                    "lockdep_assert_held_write", "lockdep_assert_held_read",
                    "sock_owned_by_me", "ASSERT_RTNL", "lockdep_assert_rtnl"},
                   MacroMarks::LockAssert)
            .Cases({"__init", "__net_init", "__devinit", "__meminit",
                    "__cpuinit"},
                   MacroMarks::InitAttr)
            .Cases({"__exit", "__net_exit"}, MacroMarks::ExitAttr)
            .Case("__data_racy", MacroMarks::DataRacy)
            .Default(std::nullopt);
    if (!K)
      return;
    SourceLocation L = SM.getExpansionLoc(Range.getBegin());
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(L);
    Marks.ByFile[D.first].push_back({D.second, *K});
  }

private:
  const SourceManager &SM;
  MacroMarks &Marks;
};

// --- Tables of kernel primitives --------------------------------------------

/// The marking a macro name stands for, if it is one of the kernel's marking
/// primitives.
std::optional<Marking> markingOfMacro(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<Marking>>(Name)
      .Cases({"READ_ONCE", "__READ_ONCE", "READ_ONCE_NOCHECK"},
             Marking::ReadOnce)
      .Cases({"WRITE_ONCE", "__WRITE_ONCE"}, Marking::WriteOnce)
      .Cases({"smp_load_acquire", "__smp_load_acquire"}, Marking::LoadAcquire)
      .Cases({"smp_store_release", "__smp_store_release"},
             Marking::StoreRelease)
      .Cases({"rcu_dereference", "rcu_dereference_bh", "rcu_dereference_sched",
              "rcu_dereference_check", "rcu_dereference_bh_check",
              "rcu_dereference_sched_check", "rcu_dereference_raw",
              "rcu_dereference_raw_check", "rcu_access_pointer",
              "srcu_dereference", "srcu_dereference_check",
              "rcu_dereference_rtnl", "rcu_dereference_all"},
             Marking::RcuDereference)
      .Cases({"rcu_assign_pointer", "RCU_INIT_POINTER", "rcu_replace_pointer"},
             Marking::RcuAssign)
      .Case("data_race", Marking::DataRace)
      .Default(std::nullopt);
}

bool isRcuProtectedMacro(llvm::StringRef Name) {
  return Name == "rcu_dereference_protected" || Name == "rtnl_dereference" ||
         Name == "rcu_dereference_raw_protected";
}

enum class LockOp { None, Acquire, Release };

LockOp lockOpOf(llvm::StringRef Name) {
  Name = Name.ltrim('_');
  if (Name.ends_with("_init") || Name.ends_with("_is_held") ||
      Name.contains("assert"))
    return LockOp::None;
  static const char *const Acquire[] = {
      "spin_lock",   "raw_spin_lock",  "read_lock",     "write_lock",
      "raw_read_lock", "raw_write_lock", "mutex_lock",  "lock_sock",
      "bh_lock_sock", "rtnl_lock",     "rtnl_net_lock", "down_read",
      "down_write",  "spin_trylock",   "raw_spin_trylock", "mutex_trylock",
      "write_seqlock", "read_seqlock_excl", "sock_lock_fast",
      "local_lock_acquire"};
  static const char *const Release[] = {
      "spin_unlock",   "raw_spin_unlock", "read_unlock",  "write_unlock",
      "raw_read_unlock", "raw_write_unlock", "mutex_unlock", "release_sock",
      "bh_unlock_sock", "rtnl_unlock",    "rtnl_net_unlock", "up_read",
      "up_write",      "unlock_sock_fast", "write_sequnlock",
      "read_sequnlock_excl", "local_lock_release"};
  for (const char *P : Release)
    if (Name.starts_with(P))
      return LockOp::Release;
  for (const char *P : Acquire)
    if (Name.starts_with(P))
      return LockOp::Acquire;
  return LockOp::None;
}

// --- The AST walk -----------------------------------------------------------

/// The field an lvalue expression designates, looking through the kernel's
/// `*(volatile T *)&(x)` shape and `*&x`.
struct FieldLValue {
  const MemberExpr *ME = nullptr;
  const FieldDecl *FD = nullptr;
  const Expr *VolatileDeref = nullptr; ///< the `*` of a volatile cast, if any
  bool Element = false;                ///< an element of an array field
};

std::optional<FieldLValue> fieldOfLValue(const Expr *E) {
  FieldLValue R;
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    E = E->IgnoreParens();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!FD)
        return std::nullopt;
      R.ME = ME;
      R.FD = FD;
      return R;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      const auto *ME = dyn_cast<MemberExpr>(AS->getBase()->IgnoreParenImpCasts());
      if (!ME || !ME->getType()->isArrayType())
        return std::nullopt;
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!FD)
        return std::nullopt;
      R.ME = ME;
      R.FD = FD;
      R.Element = true;
      return R;
    }
    const auto *U = dyn_cast<UnaryOperator>(E);
    if (!U || U->getOpcode() != UO_Deref)
      return std::nullopt;
    const Expr *P = U->getSubExpr();
    bool Volatile = false;
    while (true) {
      P = P->IgnoreParens();
      const auto *C = dyn_cast<CastExpr>(P);
      if (!C)
        break;
      QualType T = C->getType();
      if (T->isPointerType() && T->getPointeeType().isVolatileQualified())
        Volatile = true;
      P = C->getSubExpr();
    }
    const auto *A = dyn_cast<UnaryOperator>(P);
    if (!A || A->getOpcode() != UO_AddrOf)
      return std::nullopt;
    if (Volatile && !R.VolatileDeref)
      R.VolatileDeref = U;
    E = A->getSubExpr();
  }
  return std::nullopt;
}

/// A block that leaves by return, goto or continue: where it ends, and
/// whether it returns.
struct ExitScope {
  unsigned End = 0;
  bool Returns = false;
};

class Walker : public RecursiveASTVisitor<Walker> {
public:
  Walker(ASTContext &Ctx, const MacroMarks &Marks, const ExtractOptions &Opts,
         FactSet &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
        Marks(Marks), Out(Out) {
    for (const std::string &F : Opts.AllocFunctions)
      Allocators.insert(F);
    if (auto CWD = SM.getFileManager()
                       .getVirtualFileSystem()
                       .getCurrentWorkingDirectory())
      WorkingDir = *CWD;
    Root = Opts.Root;
    Known = Opts.Known;
  }

  static bool shouldVisitImplicitCode() { return false; }
  static bool shouldVisitTemplateInstantiations() { return false; }

  void run() {
    // The main file first, so a shard names its TU.
    fileFacts(SM.getMainFileID());
    TraverseDecl(Ctx.getTranslationUnitDecl());
    // Drop files that contributed nothing (the main file stays).
    std::vector<FileFacts> Kept;
    for (unsigned I = 0; I < Out.Files.size(); ++I)
      if (I == 0 || !Out.Files[I].empty() || Out.Files[I].External)
        Kept.push_back(std::move(Out.Files[I]));
    Out.Files = std::move(Kept);
    // Every file the TU read, for incremental runs.
    TUEntry TU;
    TU.MainFile = Out.Files.front().Path;
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
      TU.Files.push_back(
          Out.save(canonicalPath(It->first.getName(), WorkingDir, Root)));
    llvm::sort(TU.Files);
    TU.Files.erase(std::unique(TU.Files.begin(), TU.Files.end()),
                   TU.Files.end());
    Out.TUs.push_back(std::move(TU));
  }

  // Functions ---------------------------------------------------------------

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    return inFunction(FD, [&] {
      return RecursiveASTVisitor::TraverseFunctionDecl(FD);
    });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *FD) {
    return inFunction(FD, [&] {
      return RecursiveASTVisitor::TraverseCXXMethodDecl(FD);
    });
  }
  bool TraverseCXXConstructorDecl(CXXConstructorDecl *FD) {
    return inFunction(FD, [&] {
      return RecursiveASTVisitor::TraverseCXXConstructorDecl(FD);
    });
  }
  bool TraverseCXXDestructorDecl(CXXDestructorDecl *FD) {
    return inFunction(FD, [&] {
      return RecursiveASTVisitor::TraverseCXXDestructorDecl(FD);
    });
  }

  // Statement contexts: which expressions' values are discarded ------------

  bool VisitCompoundStmt(CompoundStmt *CS) {
    bool IsStmtExprBody = StmtExprBodies.contains(CS);
    unsigned N = CS->size(), I = 0;
    const Stmt *Last = N ? CS->body_back() : nullptr;
    // A block that leaves by return, goto or continue: the locks it takes
    // and drops matter inside it, not to the code after it (vb_alloc()'s
    // unlock-and-continue, get_signal()'s unlock-and-goto-relock).
    bool EarlyExit = CS != Fn.Body && Last &&
                     (isa<ReturnStmt>(Last) || isa<GotoStmt>(Last) ||
                      isa<ContinueStmt>(Last));
    ExitScope Scope{EarlyExit ? offsetIn(CS->getEndLoc()) : 0,
                    EarlyExit && isa<ReturnStmt>(Last)};
    // Only the statements after the block's last other way out (a `break`
    // or `goto` inside it) run on that exit path alone: the lock taken
    // before nfs_clear_invalid_mapping()'s lock-and-break out of its retry
    // loop is held after the loop.
    unsigned TailFrom = 0;
    if (EarlyExit)
      for (unsigned J = 0; J + 1 < N; ++J)
        if (jumpsOut(CS->body_begin()[J]))
          TailFrom = J + 1;
    for (Stmt *S : CS->body()) {
      ++I;
      if (const auto *E = dyn_cast<Expr>(S)) {
        if (!IsStmtExprBody || I != N)
          discard(E);
      }
      if (EarlyExit && I > TailFrom)
        noteExitPathCalls(S, Scope);
    }
    return true;
  }
  /// Whether a statement can leave the block it is in by `goto`, or by a
  /// `break` (Breaks) that is not inside a loop or switch of its own.
  static bool jumpsOut(const Stmt *S, bool Breaks = true, unsigned Depth = 0) {
    if (!S || Depth > 64)
      return false;
    if (isa<GotoStmt, IndirectGotoStmt>(S) || (Breaks && isa<BreakStmt>(S)))
      return true;
    bool Inner = Breaks && !isa<ForStmt, WhileStmt, DoStmt, SwitchStmt>(S);
    return llvm::any_of(S->children(), [&](const Stmt *C) {
      return jumpsOut(C, Inner, Depth + 1);
    });
  }
  /// The calls a statement of a block that leaves by return, goto or
  /// continue makes, filed under that block's scope: the statement itself,
  /// or the body of a `do { } while (0)` macro
  /// (raw_spin_unlock_irqrestore_rcu_node()).
  void noteExitPathCalls(const Stmt *S, ExitScope Scope, unsigned Depth = 0) {
    if (!S || Depth > 8)
      return;
    if (const auto *E = dyn_cast<Expr>(S)) {
      if (const auto *CE = dyn_cast<CallExpr>(E->IgnoreParenImpCasts()))
        ExitPathCalls.try_emplace(CE, Scope);
      return;
    }
    if (const auto *DS = dyn_cast<DoStmt>(S)) {
      Expr::EvalResult R;
      const Expr *Cond = DS->getCond();
      if (Cond->isValueDependent() || !Cond->EvaluateAsInt(R, Ctx) ||
          R.Val.getInt() != 0)
        return;
      noteExitPathCalls(DS->getBody(), Scope, Depth + 1);
      return;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      for (const Stmt *C : CS->body())
        noteExitPathCalls(C, Scope, Depth + 1);
  }
  bool VisitStmtExpr(StmtExpr *SE) {
    StmtExprBodies.insert(SE->getSubStmt());
    return true;
  }
  bool VisitIfStmt(IfStmt *S) {
    discardStmt(S->getThen());
    discardStmt(S->getElse());
    return true;
  }

  /// `if (inode->i_state & I_NEW) { ... }`: the inode iget_locked() just
  /// created, which every other lookup waits on until unlock_new_inode().
  /// After `if (!(inode->i_state & I_NEW)) return inode;` the rest of the
  /// block sets it up.  Its accesses there are before publication.
  bool TraverseIfStmt(IfStmt *S) {
    bool Negated = false;
    const VarDecl *Inode = Fn.Decl ? newInodeTest(S->getCond(), Negated)
                                   : nullptr;
    if (!Inode)
      return RecursiveASTVisitor::TraverseIfStmt(S);
    if (!WalkUpFromIfStmt(S))
      return false;
    for (Stmt *C : S->children()) {
      if (C == S->getThen() && !Negated) {
        std::optional<llvm::StringRef> Saved;
        if (auto It = Fn.Origins.find(Inode); It != Fn.Origins.end())
          Saved = It->second;
        Fn.Origins[Inode] = "I_NEW";
        bool R = TraverseStmt(C);
        if (Saved)
          Fn.Origins[Inode] = *Saved;
        else
          Fn.Origins.erase(Inode);
        if (!R)
          return false;
        continue;
      }
      if (!TraverseStmt(C))
        return false;
    }
    const Stmt *Then = S->getThen();
    if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Then))
      Then = CS->size() ? CS->body_back() : nullptr;
    if (Negated && !S->getElse() && Then && isa<ReturnStmt>(Then))
      Fn.Origins[Inode] = "I_NEW";
    return true;
  }

  /// The calls that make a new inode visible to other lookups.
  static bool publishesNewInode(llvm::StringRef Name) {
    return Name == "unlock_new_inode" || Name == "d_instantiate_new" ||
           Name == "discard_new_inode" || Name == "iget_failed";
  }

  /// The inode variable V of a condition `V->i_state & I_NEW` (Negated:
  /// `!(V->i_state & I_NEW)`).
  const VarDecl *newInodeTest(const Expr *Cond, bool &Negated) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
      if (UO->getOpcode() != UO_LNot)
        return nullptr;
      Negated = true;
      Cond = UO->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto *BO = dyn_cast<BinaryOperator>(Cond);
    if (!BO || BO->getOpcode() != BO_And)
      return nullptr;
    for (const Expr *Side : {BO->getLHS(), BO->getRHS()}) {
      const Expr *Other = Side == BO->getLHS() ? BO->getRHS() : BO->getLHS();
      const auto *ME = dyn_cast<MemberExpr>(Side->IgnoreParenImpCasts());
      if (!ME || !ME->isArrow() || !ME->getMemberDecl()->getIdentifier() ||
          ME->getMemberDecl()->getName() != "i_state")
        continue;
      SourceLocation L = Other->IgnoreParenImpCasts()->getBeginLoc();
      if (!L.isMacroID() ||
          !llvm::is_contained(enclosingMacros(L), llvm::StringRef("I_NEW")))
        continue;
      const auto *DRE =
          dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
      if (DRE)
        return dyn_cast<VarDecl>(DRE->getDecl());
    }
    return nullptr;
  }
  bool VisitForStmt(ForStmt *S) {
    discardStmt(S->getInit());
    discardStmt(S->getInc());
    discardStmt(S->getBody());
    return true;
  }
  bool VisitWhileStmt(WhileStmt *S) {
    discardStmt(S->getBody());
    return true;
  }
  bool VisitDoStmt(DoStmt *S) {
    discardStmt(S->getBody());
    return true;
  }
  bool VisitSwitchCase(SwitchCase *S) {
    discardStmt(S->getSubStmt());
    return true;
  }
  bool VisitLabelStmt(LabelStmt *S) {
    discardStmt(S->getSubStmt());
    return true;
  }
  bool VisitParenExpr(ParenExpr *P) {
    if (Discarded.contains(P))
      discard(P->getSubExpr());
    return true;
  }
  bool VisitCStyleCastExpr(CStyleCastExpr *C) {
    if (!C->getType()->isVoidType())
      return true;
    discard(C->getSubExpr()); // (void)(x = y)
    // Without CONFIG_LOCKDEP, lockdep_assert_held(l) is `(void)(l)`: the
    // lock the function expects its callers to hold.
    if (Fn.Decl && C->getBeginLoc().isMacroID())
      for (llvm::StringRef M : bodyMacros(C->getBeginLoc()))
        if (M.starts_with("lockdep_assert_held")) {
          std::string Class = lockClassOf(C->getSubExpr());
          if (!Class.empty())
            Fn.AssertedLocks.push_back(std::move(Class));
          break;
        }
    return true;
  }

  // Accesses ----------------------------------------------------------------

  bool VisitImplicitCastExpr(ImplicitCastExpr *ICE) {
    if (Fn.Decl && ICE->getCastKind() == CK_LValueToRValue)
      recordAccess(ICE->getSubExpr(), AccessKind::Load, nullptr);
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->getOpcode() == BO_Comma) {
      discard(BO->getLHS());
      if (Discarded.contains(BO))
        discard(BO->getRHS());
      return true;
    }
    if (!BO->isAssignmentOp())
      return true;
    noteFunctionStore(BO->getLHS(), BO->getRHS());
    if (!Fn.Decl)
      return true;
    noteLocalOrigin(BO->getLHS(), BO->getRHS());
    recordAccess(BO->getLHS(),
                 BO->isCompoundAssignmentOp() ? AccessKind::RMW
                                              : AccessKind::Store,
                 BO);
    return true;
  }

  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (Fn.Decl && UO->isIncrementDecrementOp())
      recordAccess(UO->getSubExpr(), AccessKind::RMW, UO);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    if (const Expr *Init = VD->getInit()) {
      if (const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreImplicit()))
        if (Fn.Decl || !fileFacts(fileIDOf(VD->getLocation())).External)
          walkInitializer(ILE, VD);
      if (Fn.Decl && VD->hasLocalStorage() && VD->getType()->isPointerType())
        if (std::optional<llvm::StringRef> O = originOf(Init))
          Fn.Origins[VD] = *O;
    }
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (!Fn.Decl)
      return true;
    const FunctionDecl *Callee = CE->getDirectCallee();
    // Functions declared inside a function body are compile-time devices
    // (compiletime_assert() declares __compiletime_assert_<counter>), with
    // names that differ per TU: not calls worth recording.
    if (Callee && Callee->getLexicalDeclContext()->isFunctionOrMethod())
      Callee = nullptr;
    if (Callee && Callee->getIdentifier() && publishesNewInode(Callee->getName()))
      for (const Expr *Arg : CE->arguments())
        if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
            auto It = Fn.Origins.find(VD);
            if (It != Fn.Origins.end() && It->second == "I_NEW")
              Fn.Origins.erase(It);
          }
    if (Callee) {
      llvm::StringRef Name = Callee->getName();
      unsigned Offset = offsetIn(CE->getBeginLoc());
      Fn.CallSites.push_back({Offset, functionKey(Callee), argOrigins(CE)});
      LockOp Op = Callee->getIdentifier() ? lockOpOf(Name) : LockOp::None;
      ExitScope Scope = ExitPathCalls.lookup(CE);
      if (Op != LockOp::None)
        Fn.LockEvents.push_back({Offset, Op == LockOp::Acquire,
                                 lockClass(Name, CE), Scope.End,
                                 Scope.Returns});
      // A wrapper of this file that returns with locks taken or dropped
      // (perf_ctx_lock(), lock_timer_base()) acts like those calls.
      auto W = Wrappers.find(Callee->getCanonicalDecl());
      if (W != Wrappers.end() && Op == LockOp::None)
        for (const LockEvent &E : W->second)
          Fn.LockEvents.push_back(
              {Offset, E.Acquire, E.Name, Scope.End, Scope.Returns});
    }
    // Callbacks handed to a registration call: timer_setup(), INIT_WORK()...
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (const FunctionDecl *Target = functionRef(CE->getArg(I)))
        if (Callee && Callee->getIdentifier())
          addSlot(("call:" + Callee->getName()).str(), std::to_string(I),
                  Target, "", CE->getBeginLoc(), /*Static=*/false);
    return true;
  }

private:
  struct LockEvent {
    unsigned Offset;
    bool Acquire;
    std::string Name;
    /// For an event in a block that leaves by return, goto or continue:
    /// where that block ends; the code after it does not see the event.
    unsigned ScopeEnd = 0;
    bool ScopeReturns = false; ///< that block leaves by return
  };
  struct Pending {
    Access A;
    unsigned Offset; // expansion offset, to order against lock events
    FileID FID;
  };
  struct CallSite {
    unsigned Offset;
    llvm::StringRef Callee;
    std::vector<std::string> Args; ///< see CallEdge::Args
  };
  struct FunctionState {
    const FunctionDecl *Decl = nullptr;
    const Stmt *Body = nullptr;
    llvm::StringRef Key;
    std::vector<LockEvent> LockEvents;
    std::vector<std::string> AssertedLocks; ///< lockdep_assert_held(&x->l)
    std::vector<Pending> Accesses;
    std::vector<CallSite> CallSites;
    llvm::DenseMap<const VarDecl *, llvm::StringRef> Origins;
  };

  /// Traverses a function definition with its own per-function state.
  template <typename Fn_> bool inFunction(FunctionDecl *FD, Fn_ Traverse) {
    if (!FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
        SM.isInSystemHeader(FD->getLocation()))
      return true; // prototypes and system headers carry no facts
    FunctionState Saved = std::move(Fn);
    if (fileFacts(fileIDOf(FD->getLocation())).External)
      return true; // a header whose facts are known already
    Fn = FunctionState();
    Fn.Decl = FD;
    Fn.Key = functionKey(FD);
    Fn.Body = FD->getBody();
    bool R = Traverse();
    finishFunction();
    Fn = std::move(Saved);
    return R;
  }

  // Files -------------------------------------------------------------------

  FileID fileIDOf(SourceLocation L) {
    return SM.getFileID(SM.getFileLoc(L));
  }

  FileFacts &fileFacts(FileID FID) {
    auto It = FileIndex.find(FID);
    if (It != FileIndex.end())
      return Out.Files[It->second];
    unsigned Idx = Out.Files.size();
    std::string Path;
    uint64_t Digest = 0;
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
      Path = canonicalPath(FE->getName(), WorkingDir, Root);
      auto Found = PathIndex.find(Path);
      if (Found != PathIndex.end()) { // the same file included twice
        FileIndex[FID] = Found->second;
        return Out.Files[Found->second];
      }
      if (std::optional<llvm::StringRef> Buf = SM.getBufferDataOrNone(FID))
        Digest = llvm::xxh3_64bits(*Buf);
    } else {
      Path = "<built-in>";
    }
    FileIndex[FID] = Idx;
    PathIndex[Path] = Idx;
    Out.Files.emplace_back();
    FileFacts &F = Out.Files.back();
    F.Path = Out.save(Path);
    F.Digest = Digest;
    F.External = Idx != 0 && Known && Known(F.Path, Digest);
    return F;
  }

  unsigned offsetIn(SourceLocation L) {
    return SM.getFileOffset(SM.getExpansionLoc(L));
  }

  // Keys --------------------------------------------------------------------

  llvm::StringRef functionKey(const FunctionDecl *FD) {
    FD = FD->getCanonicalDecl();
    auto It = FunctionKeys.find(FD);
    if (It != FunctionKeys.end())
      return It->second;
    std::string Key = FD->getQualifiedNameAsString();
    if (!FD->isExternallyVisible()) {
      const FunctionDecl *Def = FD->getDefinition();
      Key += "@";
      Key += fileFacts(fileIDOf((Def ? Def : FD)->getLocation())).Path;
    }
    llvm::StringRef S = Out.save(Key);
    FunctionKeys[FD] = S;
    return S;
  }

  std::string recordName(const RecordDecl *RD, unsigned Depth = 0) {
    if (!RD)
      return "(unknown)";
    if (RD->getIdentifier())
      return RD->getQualifiedNameAsString();
    if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
      return TD->getQualifiedNameAsString();
    const auto *Parent = dyn_cast<RecordDecl>(RD->getDeclContext());
    if (Parent && Depth < 16) {
      if (RD->isAnonymousStructOrUnion())
        return recordName(Parent, Depth + 1);
      for (const FieldDecl *F : Parent->fields())
        if (F->getType()->getAsRecordDecl() == RD)
          return recordName(Parent, Depth + 1) + "." + F->getName().str();
    }
    PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(RD->getLocation()));
    std::string Where = P.isValid()
                            ? fileFacts(fileIDOf(RD->getLocation())).Path.str() +
                                  ":" + std::to_string(P.getLine())
                            : "?";
    return "(anonymous at " + Where + ")";
  }

  llvm::StringRef fieldKey(const FieldDecl *FD) {
    auto It = FieldKeys.find(FD);
    if (It != FieldKeys.end())
      return It->second;
    llvm::StringRef S =
        Out.save(recordName(FD->getParent()) + "::" + FD->getName().str());
    FieldKeys[FD] = S;
    return S;
  }

  // Macros around a location -------------------------------------------------

  /// Names of the macros whose bodies produced the token at L, innermost
  /// first, up to the first macro argument boundary.
  llvm::SmallVector<llvm::StringRef, 6> bodyMacros(SourceLocation L) {
    llvm::SmallVector<llvm::StringRef, 6> Names;
    for (unsigned Depth = 0; L.isMacroID() && Depth < 32; ++Depth) {
      if (SM.isMacroArgExpansion(L))
        break;
      Names.push_back(Lexer::getImmediateMacroName(L, SM, LO));
      L = SM.getImmediateMacroCallerLoc(L);
    }
    return Names;
  }

  /// Names of every macro whose expansion contains the token at L (as a
  /// body token or inside an argument), innermost first.
  llvm::SmallVector<llvm::StringRef, 8> enclosingMacros(SourceLocation L) {
    llvm::SmallVector<llvm::StringRef, 8> Names;
    for (unsigned Depth = 0; L.isMacroID() && Depth < 64; ++Depth) {
      Names.push_back(Lexer::getImmediateMacroName(L, SM, LO));
      L = SM.getImmediateMacroCallerLoc(L);
    }
    return Names;
  }

  // Origins: is a base object fresh from an allocator? -----------------------

  std::optional<llvm::StringRef> originOf(const Expr *E, unsigned Depth = 0) {
    if (!E || Depth > 12)
      return std::nullopt;
    E = E->IgnoreParenCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        auto It = Fn.Origins.find(VD);
        if (It != Fn.Origins.end()) // "" once reassigned from elsewhere
          return It->second.empty() ? std::nullopt
                                    : std::optional<llvm::StringRef>(
                                          It->second);
        // An object in this function's own frame.
        if (isStackObject(VD))
          return llvm::StringRef("stack");
        // A local not seen yet, such as the one inside container_of().
        if (VD->hasLocalStorage() && VD->getInit())
          return originOf(VD->getInit(), Depth + 1);
        // The object a parameter points to: its callers say if it is new.
        if (const auto *PVD = dyn_cast<ParmVarDecl>(VD))
          if (PVD->getType()->isPointerType())
            return Out.save(
                "param:" + std::to_string(PVD->getFunctionScopeIndex() + 1));
      }
      return std::nullopt;
    }
    // &local, &local.member: the frame's own object.
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf)
        return std::nullopt;
      const Expr *Sub = UO->getSubExpr()->IgnoreParens();
      while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
        if (ME->isArrow())
          return originOf(ME->getBase(), Depth + 1);
        Sub = ME->getBase()->IgnoreParens();
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Sub))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          if (isStackObject(VD))
            return llvm::StringRef("stack");
      return std::nullopt;
    }
    // p[i] and p->array (decayed): the elements of p's object.
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      return originOf(ASE->getBase(), Depth + 1);
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      if (ME->getType()->isArrayType())
        return originOf(ME->getBase(), Depth + 1);
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      // Since 6.10 kzalloc() & co. are macros around kzalloc_noprof():
      // the allocator is the same with or without the suffix.
      if (Callee && Callee->getIdentifier() && isAllocator(Callee->getName()))
        return Out.save(Callee->getName());
      // A function of this TU that returns what an allocator returned
      // (perf_event_alloc(), allocate_probes()).
      if (Callee && Callee->getIdentifier() && returnsFresh(Callee))
        return Out.save(Callee->getName());
      // An accessor such as tcp_sk(newsk): the result is the argument's
      // object seen through another type.
      if (CE->getNumArgs() == 1 && CE->getType()->isPointerType())
        return originOf(CE->getArg(0), Depth + 1);
      return std::nullopt;
    }
    if (const auto *SE = dyn_cast<StmtExpr>(E)) { // container_of()
      const CompoundStmt *CS = SE->getSubStmt();
      if (CS->size())
        if (const auto *Last = dyn_cast<Expr>(CS->body_back()))
          return originOf(Last, Depth + 1);
      return std::nullopt;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      if (BO->isAdditiveOp() && BO->getType()->isPointerType())
        return originOf(BO->getLHS(), Depth + 1);
    return std::nullopt;
  }

  void noteLocalOrigin(const Expr *LHS, const Expr *RHS) {
    const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParens());
    if (!DRE)
      return;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || !VD->hasLocalStorage() || !VD->getType()->isPointerType())
      return;
    if (std::optional<llvm::StringRef> O = originOf(RHS))
      Fn.Origins[VD] = *O;
    else
      Fn.Origins[VD] = ""; // neither its initialiser's nor its own
  }

  /// Since 6.10 kzalloc() & co. are macros around kzalloc_noprof(): the
  /// allocator is the same with or without the suffix.
  bool isAllocator(llvm::StringRef Name) const {
    return Allocators.contains(Name) ||
           (Name.ends_with("_noprof") && Allocators.contains(Name.drop_back(7)));
  }

  /// A variable of this function's frame that holds an object, not a
  /// pointer to one: until its address escapes, no other CPU sees it.
  static bool isStackObject(const VarDecl *VD) {
    if (!VD->hasLocalStorage())
      return false; // a struct parameter is passed by value: a copy
    QualType T = VD->getType();
    return T->isRecordType() || T->isArrayType();
  }

  /// What each argument of a call passes: "F" an object not yet
  /// published, "PN" this function's Nth parameter, "-" anything else.
  std::vector<std::string> argOrigins(const CallExpr *CE) {
    std::vector<std::string> Args;
    for (const Expr *Arg : CE->arguments()) {
      std::optional<llvm::StringRef> O = originOf(Arg);
      if (!O)
        Args.emplace_back("-");
      else if (O->consume_front("param:"))
        Args.push_back(("P" + *O).str());
      else
        Args.emplace_back("F");
    }
    while (!Args.empty() && Args.back() == "-")
      Args.pop_back();
    return Args;
  }

  /// Whether E (in a function other than the one being walked) yields a
  /// fresh object or no object: an allocator's result, NULL, ERR_PTR(),
  /// or a local every assignment of which is one of those.
  bool freshOrNone(const Expr *E, const Stmt *Body, bool &Fresh,
                   unsigned Depth) {
    if (!E || Depth > 8)
      return false;
    E = E->IgnoreParenCasts();
    if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      return true;
    if (const auto *CO = dyn_cast<ConditionalOperator>(E))
      return freshOrNone(CO->getTrueExpr(), Body, Fresh, Depth + 1) &&
             freshOrNone(CO->getFalseExpr(), Body, Fresh, Depth + 1);
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->isArrow() && ME->getType()->isArrayType() &&
             freshOrNone(ME->getBase(), Body, Fresh, Depth + 1);
    // 6.12's allocators are alloc_hooks(), a statement expression whose
    // value is a local holding the allocator's result.
    if (const auto *SE = dyn_cast<StmtExpr>(E)) {
      const CompoundStmt *CS = SE->getSubStmt();
      const auto *Last = CS->body_empty() ? nullptr
                                          : dyn_cast<Expr>(CS->body_back());
      return Last && freshOrNone(Last, CS, Fresh, Depth + 1);
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      if (!Callee || !Callee->getIdentifier())
        return false;
      llvm::StringRef Name = Callee->getName();
      if (Name == "ERR_PTR" || Name == "ERR_CAST")
        return true;
      if (isAllocator(Name) || returnsFresh(Callee)) {
        Fresh = true;
        return true;
      }
      return false;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return false;
    bool OK = !VD->getInit() ||
              freshOrNone(VD->getInit(), Body, Fresh, Depth + 1);
    forEachStmt(Body, [&](const Stmt *S) {
      const auto *BO = dyn_cast<BinaryOperator>(S);
      if (!OK || !BO || !BO->isAssignmentOp())
        return;
      const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
      if (L && L->getDecl() == VD)
        OK = BO->getOpcode() == BO_Assign &&
             freshOrNone(BO->getRHS(), Body, Fresh, Depth + 1);
    });
    return OK;
  }

  template <typename Fn_> static void forEachStmt(const Stmt *S, Fn_ &&F) {
    if (!S)
      return;
    F(S);
    for (const Stmt *C : S->children())
      forEachStmt(C, F);
  }

  /// Whether a function of this TU returns only fresh objects (and NULL or
  /// errors): its callers get an object nobody else has seen.
  bool returnsFresh(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    if (!FD->getReturnType()->isPointerType() || !FD->hasBody(Def) || !Def)
      return false;
    auto [It, New] = ReturnsFresh.try_emplace(Def->getCanonicalDecl(), false);
    if (!New)
      return It->second; // known, or being computed: no
    const Stmt *Body = Def->getBody();
    bool OK = true, Fresh = false;
    forEachStmt(Body, [&](const Stmt *S) {
      if (const auto *R = dyn_cast<ReturnStmt>(S))
        if (OK)
          OK = freshOrNone(R->getRetValue(), Body, Fresh, 0);
    });
    ReturnsFresh[Def->getCanonicalDecl()] = OK && Fresh;
    return OK && Fresh;
  }

  std::optional<llvm::StringRef> baseOrigin(const MemberExpr *ME) {
    const Expr *B = ME->getBase();
    for (unsigned Depth = 0; Depth < 16; ++Depth) {
      B = B->IgnoreParenImpCasts();
      const auto *Inner = dyn_cast<MemberExpr>(B);
      if (!Inner || ME->isArrow())
        break;
      ME = Inner; // smc->sk.sk_err: the object is smc's
      B = Inner->getBase();
    }
    return originOf(B);
  }

  // Recording ---------------------------------------------------------------

  void discard(const Expr *E) {
    if (E)
      Discarded.insert(E->IgnoreImplicit());
  }
  void discardStmt(const Stmt *S) {
    if (const auto *E = dyn_cast_or_null<Expr>(S))
      discard(E);
  }

  std::optional<CharSourceRange> fileRange(SourceRange R) {
    CharSourceRange C = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(R), SM, LO);
    if (C.isInvalid())
      return std::nullopt;
    return C;
  }

  void recordAccess(const Expr *LV, AccessKind Kind, const Expr *Whole) {
    std::optional<FieldLValue> F = fieldOfLValue(LV);
    if (!F)
      return;
    const MemberExpr *ME = F->ME;
    if (ME->isNonOdrUse() == NOUR_Unevaluated)
      return; // sizeof, typeof, _Generic inside READ_ONCE: not accesses
    QualType FT = F->FD->getType();
    if (FT->isRecordType() && !F->Element)
      return; // atomic_t, refcount_t, nested structs: accessed through fields
    if (FT->isAtomicType())
      return;

    Access A;
    A.Kind = Kind;
    A.Field = fieldKey(F->FD);
    A.Function = Fn.Key;

    // Marking.
    if (FT.isVolatileQualified() ||
        (F->Element && FT->isArrayType() &&
         Ctx.getAsArrayType(FT)->getElementType().isVolatileQualified())) {
      A.Mark = Marking::VolatileField;
    } else if (F->VolatileDeref) {
      A.Mark = Marking::VolatileCast;
      // The outermost marking primitive whose body made the volatile access.
      for (llvm::StringRef M : bodyMacros(F->VolatileDeref->getExprLoc()))
        if (std::optional<Marking> K = markingOfMacro(M))
          A.Mark = *K;
    }
    SourceLocation Begin = ME->getBeginLoc();
    for (llvm::StringRef M : enclosingMacros(Begin)) {
      if (A.Mark == Marking::Plain && M == "data_race")
        A.Mark = Marking::DataRace;
      if (isRcuProtectedMacro(M))
        A.Flags |= AF_RcuProtected;
    }
    if (isDataRacy(F->FD))
      A.Flags |= AF_DataRacyField;
    if (std::optional<llvm::StringRef> O = baseOrigin(ME)) {
      A.Origin = *O;
      if (!O->starts_with("param:"))
        A.Flags |= AF_FreshObject;
    }

    // Where, and the text a fix-it needs.  An access whose text is not a
    // range of the file (part of it comes from a macro body) cannot be
    // edited at this site; one in a macro argument, or one whose base is a
    // macro call (tcp_sk(sk)->snd_cwnd), can.
    SourceLocation FileLoc = SM.getFileLoc(Begin);
    FileID FID = SM.getFileID(FileLoc);
    A.File = fileFacts(FID).Path;
    const Expr *Target = F->Element ? LV->IgnoreParens() : ME;
    std::optional<CharSourceRange> TR = fileRange(Target->getSourceRange());
    if ((!TR || SM.getFileID(TR->getBegin()) != FID) && !F->VolatileDeref) {
      // An accessor macro that expands to the whole lvalue, FIELD(p, f),
      // is editable as a unit: WRITE_ONCE(FIELD(p, f), v).
      TR = fileRange(LV->getSourceRange());
    }
    if (TR && SM.getFileID(TR->getBegin()) == FID) {
      if (Begin.isMacroID() && SM.isMacroArgExpansion(Begin))
        A.Flags |= AF_InMacroArg;
      A.Begin = SM.getFileOffset(TR->getBegin());
      A.End = SM.getFileOffset(TR->getEnd());
      A.Text = Out.save(Lexer::getSourceText(*TR, SM, LO));
    } else {
      A.Flags |= AF_MacroBody;
      A.Begin = A.End = SM.getFileOffset(FileLoc);
      A.Fix = NoFix::MacroBody;
    }
    A.Line = SM.getLineNumber(FID, SM.getFileOffset(FileLoc));
    A.Col = SM.getColumnNumber(FID, SM.getFileOffset(FileLoc));

    if (A.Mark == Marking::Plain && A.Fix == NoFix::None)
      A.Fix = fixBlocker(*F, Kind, Whole, FID, A);

    Fn.Accesses.push_back({A, offsetIn(ME->getBeginLoc()), FID});
  }

  /// Why a plain access cannot be wrapped, or NoFix::None; fills the value
  /// operand of stores.
  NoFix fixBlocker(const FieldLValue &F, AccessKind Kind, const Expr *Whole,
                   FileID FID, Access &A) {
    if (F.FD->isBitField())
      return NoFix::Bitfield;
    QualType T = F.Element ? F.ME->getType() : F.FD->getType();
    if (T->isArrayType()) {
      if (!F.Element)
        return NoFix::Array;
      T = Ctx.getAsArrayType(T)->getElementType();
    }
    if (T->isRecordType())
      return NoFix::NotScalar;
    if (T->isIncompleteType())
      return NoFix::Size;
    CharUnits Size = Ctx.getTypeSizeInChars(T);
    int64_t S = Size.getQuantity();
    if (S != 1 && S != 2 && S != 4 && S != 8)
      return NoFix::Size;
    if (Kind == AccessKind::Load)
      return NoFix::None;
    if (!Whole || !Discarded.contains(Whole))
      return NoFix::ValueUsed;
    std::optional<CharSourceRange> WR = fileRange(Whole->getSourceRange());
    if (!WR || SM.getFileID(WR->getBegin()) != FID)
      return NoFix::MacroBody;
    if (const auto *BO = dyn_cast<BinaryOperator>(Whole)) {
      std::optional<CharSourceRange> RR = fileRange(BO->getRHS()->getSourceRange());
      if (!RR || SM.getFileID(RR->getBegin()) != FID)
        return NoFix::MacroBody;
      A.RhsBegin = SM.getFileOffset(RR->getBegin());
      A.RhsEnd = SM.getFileOffset(RR->getEnd());
      A.RhsText = Out.save(Lexer::getSourceText(*RR, SM, LO));
      A.Op = Out.save(BO->getOpcodeStr());
      if (A.RhsBegin < A.End || A.RhsEnd < A.RhsBegin)
        return NoFix::MacroBody;
      // `x = v` becomes `WRITE_ONCE(x, v)`: the text from the end of x to the
      // end of the operator and the blanks after it, but not a line break,
      // becomes ", ".
      SourceLocation OpLoc = SM.getFileLoc(BO->getOperatorLoc());
      unsigned OpEnd = SM.getFileOffset(OpLoc) + BO->getOpcodeStr().size();
      llvm::StringRef Buf = SM.getBufferData(FID);
      if (OpEnd > A.RhsBegin || OpEnd > Buf.size())
        return NoFix::MacroBody;
      unsigned Sep = OpEnd;
      while (Sep < A.RhsBegin && (Buf[Sep] == ' ' || Buf[Sep] == '\t'))
        ++Sep;
      if (Sep < A.RhsBegin)
        A.Flags |= AF_OpAtEndOfLine; // a line break or comment: keep it
      A.SepEnd = Sep < A.RhsBegin ? OpEnd : Sep;
      // Whether the value needs parentheses in `x OP (value)`.
      const Expr *R = BO->getRHS()->IgnoreImplicit();
      if (Kind == AccessKind::RMW &&
          (isa<BinaryOperator>(R) || isa<ConditionalOperator>(R) ||
           isa<AbstractConditionalOperator>(R)))
        A.RhsText = Out.save(("(" + A.RhsText + ")").str());
    } else if (const auto *UO = dyn_cast<UnaryOperator>(Whole)) {
      A.Op = Out.save(UO->isIncrementOp() ? "++" : "--");
      unsigned WB = SM.getFileOffset(WR->getBegin());
      unsigned WE = SM.getFileOffset(WR->getEnd());
      // The whole `x++` / `--x` is replaced: record its extent.
      A.RhsBegin = WB;
      A.RhsEnd = WE;
    }
    return NoFix::None;
  }

  bool hasMark(SourceLocation B, SourceLocation E, MacroMarks::Kind K) {
    B = SM.getExpansionLoc(B);
    E = SM.getExpansionLoc(E);
    std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(B);
    auto It = Marks.ByFile.find(DB.first);
    if (It == Marks.ByFile.end())
      return false;
    unsigned EO = SM.getFileOffset(E);
    return llvm::any_of(It->second, [&](const MacroMarks::Mark &M) {
      return M.K == K && M.Offset >= DB.second && M.Offset <= EO;
    });
  }

  /// Whether the field's declaration spells __data_racy (which expands to
  /// nothing without KCSAN), before or after its name.
  bool isDataRacy(const FieldDecl *FD) {
    auto It = DataRacy.find(FD);
    if (It != DataRacy.end())
      return It->second;
    SourceLocation B = SM.getExpansionLoc(FD->getBeginLoc());
    SourceLocation E = SM.getExpansionLoc(FD->getEndLoc());
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(SM.getFileID(E), &Invalid);
    unsigned EO = SM.getFileOffset(E);
    if (!Invalid) // up to the declarator's end: `u32 x __data_racy;`
      while (EO < Buf.size() && Buf[EO] != ';' && Buf[EO] != ',' &&
             Buf[EO] != '\n')
        ++EO;
    bool R = hasMark(B,
                     E.getLocWithOffset(
                         static_cast<int>(EO - SM.getFileOffset(E))),
                     MacroMarks::DataRacy);
    DataRacy[FD] = R;
    return R;
  }

  /// The class of the lock an expression designates: the field key of a
  /// lock that is a struct member ("rcu_node::lock"), the name of a global
  /// lock, or "" when it is only known through a pointer.
  std::string lockClassOf(const Expr *E) {
    for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
      E = E->IgnoreParenCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(E);
          U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
        E = U->getSubExpr();
        continue;
      }
      // spin_lock_irqsave(l, f) passes spinlock_check(l) on.
      if (const auto *CE = dyn_cast<CallExpr>(E)) {
        const FunctionDecl *F = CE->getDirectCallee();
        if (F && F->getIdentifier() && F->getName() == "spinlock_check" &&
            CE->getNumArgs() == 1) {
          E = CE->getArg(0);
          continue;
        }
      }
      break;
    }
    // local_lock(l) passes this_cpu_ptr(l) on, a statement expression
    // around the per-CPU lock's address: the lock is the local_lock_t
    // member inside it.
    if (const auto *SE = dyn_cast_or_null<StmtExpr>(E))
      if (const MemberExpr *M = localLockMember(SE))
        E = M;
    if (const auto *M = dyn_cast_or_null<MemberExpr>(E))
      if (const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl()))
        return fieldKey(FD).str();
    if (const auto *D = dyn_cast_or_null<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
        if (VD->hasGlobalStorage() && !VD->isStaticLocal())
          return VD->getName().str();
    return "";
  }

  /// The first member of type local_lock_t under S, if any.
  static const MemberExpr *localLockMember(const Stmt *S) {
    if (!S)
      return nullptr;
    if (const auto *M = dyn_cast<MemberExpr>(S)) {
      QualType T = M->getType();
      if (const auto *TT = T->getAs<TypedefType>())
        if (TT->getDecl()->getName() == "local_lock_t")
          return M;
    }
    for (const Stmt *C : S->children())
      if (const MemberExpr *M = localLockMember(C))
        return M;
    return nullptr;
  }

  /// The class of the lock a lock or unlock call takes: from its argument,
  /// or from the callee for the locks named by their API; "?callee" when
  /// the lock is only known through a pointer.
  std::string lockClass(llvm::StringRef Callee, const CallExpr *CE) {
    llvm::StringRef N = Callee.ltrim('_');
    if (N.starts_with("rtnl"))
      return "rtnl";
    if (N.contains("lock_sock") || N.contains("release_sock"))
      return "sock::sk_lock";
    if (N.starts_with("inode_lock") || N.starts_with("inode_unlock"))
      return "inode::i_rwsem";
    std::string Class =
        CE->getNumArgs() ? lockClassOf(CE->getArg(0)) : std::string();
    return Class.empty() ? "?" + Callee.str() : Class;
  }

  /// The classes of the locks held at Offset in the current function:
  /// those asserted on entry and those acquired before and not released.
  /// A lock released here without being taken here was held on entry and
  /// is gone: "-class" says so ("-?" for a lock known only by pointer), so
  /// the rules do not count it among the locks the callers hold.
  ///
  /// An event in a block that leaves by return, goto or continue counts
  /// only inside that block.  AtExit asks what the function returns with:
  /// an acquisition in a block that returns counts there.
  std::vector<std::string> locksHeldAt(unsigned Offset, bool AtExit = false) {
    std::vector<std::string> Held = Fn.AssertedLocks;
    std::vector<std::string> Released;
    for (const LockEvent &E : Fn.LockEvents) {
      if (E.Offset >= Offset)
        break;
      if (E.ScopeEnd && Offset >= E.ScopeEnd &&
          !(AtExit && E.Acquire && E.ScopeReturns))
        continue;
      if (E.Acquire) {
        Held.push_back(E.Name);
        continue;
      }
      // A release drops the last acquisition of its class (an asserted
      // lock too: rcu_report_qs_rnp() drops the lock its callers took).
      // One known only by pointer drops the last lock taken.
      auto It = std::find(Held.rbegin(), Held.rend(), E.Name);
      if (It != Held.rend())
        Held.erase(std::next(It).base());
      else if (E.Name.front() == '?' && !Held.empty())
        Held.pop_back();
      else
        Released.push_back(E.Name.front() == '?' ? "-?" : "-" + E.Name);
    }
    llvm::append_range(Held, Released);
    llvm::sort(Held);
    Held.erase(std::unique(Held.begin(), Held.end()), Held.end());
    return Held;
  }

  void finishFunction() {
    const FunctionDecl *FD = Fn.Decl;
    Function F;
    F.Key = Fn.Key;
    F.Name = Out.save(LO.CPlusPlus ? FD->getQualifiedNameAsString()
                                   : FD->getName().str());
    FileID FID = fileIDOf(FD->getLocation());
    FileFacts &Facts = fileFacts(FID);
    F.File = Facts.Path;
    F.Line = SM.getPresumedLineNumber(SM.getFileLoc(FD->getLocation()));
    if (!FD->isExternallyVisible())
      F.Flags |= FF_Static;
    SourceLocation Head = FD->getBeginLoc();
    SourceLocation BodyBegin = Fn.Body->getBeginLoc();
    if (const SectionAttr *SA = FD->getAttr<SectionAttr>())
      if (SA->getName().starts_with(".init") ||
          SA->getName().starts_with(".ref.text"))
        F.Flags |= FF_Init;
    if (hasMark(Head, BodyBegin, MacroMarks::InitAttr))
      F.Flags |= FF_Init;
    if (hasMark(Head, BodyBegin, MacroMarks::ExitAttr))
      F.Flags |= FF_Exit;
    if (hasMark(BodyBegin, Fn.Body->getEndLoc(), MacroMarks::LockAssert))
      F.Flags |= FF_LockAsserted;
    if (!Facts.External)
      Facts.Functions.push_back(F);

    // By offset; events at one offset (a wrapper's) keep their order.
    std::vector<std::pair<unsigned, size_t>> EventOrder;
    EventOrder.reserve(Fn.LockEvents.size());
    for (size_t I = 0; I < Fn.LockEvents.size(); ++I)
      EventOrder.emplace_back(Fn.LockEvents[I].Offset, I);
    llvm::sort(EventOrder);
    std::vector<LockEvent> Sorted;
    Sorted.reserve(EventOrder.size());
    for (auto [Offset, I] : EventOrder)
      Sorted.push_back(std::move(Fn.LockEvents[I]));
    Fn.LockEvents = std::move(Sorted);
    // An assertion kmark cannot name the lock of (sock_owned_by_me(),
    // ASSERT_RTNL()) still says a lock is held.
    if ((F.Flags & FF_LockAsserted) && Fn.AssertedLocks.empty())
      Fn.AssertedLocks.emplace_back("(asserted)");
    auto Join = [](llvm::ArrayRef<std::string> Held) {
      std::string S;
      for (const std::string &L : Held)
        S += (S.empty() ? "" : ";") + L;
      return S;
    };
    for (Pending &P : Fn.Accesses) {
      std::vector<std::string> Held = locksHeldAt(P.Offset);
      if (llvm::any_of(Held,
                       [](const std::string &L) { return L.front() != '-'; }))
        P.A.Flags |= AF_LockHeld;
      if (!Held.empty())
        P.A.Locks = Out.save(Join(Held));
      FileFacts &Dst = fileFacts(P.FID);
      if (!Dst.External)
        Dst.Accesses.push_back(P.A);
    }
    // A lock wrapper: the named classes it leaves taken or dropped.  Only
    // for the main file, which every run of this TU traverses.
    if (FID == SM.getMainFileID()) {
      std::vector<LockEvent> Net;
      for (const std::string &L : locksHeldAt(~0U, /*AtExit=*/true))
        if (!llvm::StringRef(L).starts_with("?") &&
            !llvm::StringRef(L).starts_with("(") &&
            !llvm::StringRef(L).starts_with("-") &&
            !llvm::is_contained(Fn.AssertedLocks, L))
          Net.push_back({0, true, L});
      std::vector<std::string> Taken;
      for (const LockEvent &E : Fn.LockEvents) {
        if (E.ScopeEnd && !E.Acquire)
          continue; // dropped on a way out only
        if (E.Acquire) {
          Taken.push_back(E.Name);
          continue;
        }
        auto It = llvm::find(Taken, E.Name);
        if (It != Taken.end())
          Taken.erase(It);
        else if (!llvm::StringRef(E.Name).starts_with("?"))
          Net.push_back({0, false, E.Name});
      }
      if (!Net.empty())
        Wrappers[FD->getCanonicalDecl()] = std::move(Net);
    }
    // One edge per callee, with the locks held at every call to it here.
    FileFacts &Home = fileFacts(FID); // Facts may have moved meanwhile
    if (Home.External)
      return;
    llvm::StringMap<std::vector<std::string>> Edges;
    llvm::StringMap<std::vector<std::string>> Args;
    std::vector<llvm::StringRef> Order;
    for (const CallSite &C : Fn.CallSites) {
      std::vector<std::string> Held = locksHeldAt(C.Offset);
      auto [It, New] = Edges.try_emplace(C.Callee, Held);
      auto [A, NewArgs] = Args.try_emplace(C.Callee, C.Args);
      if (New) {
        Order.push_back(C.Callee);
        continue;
      }
      // What every call passes.
      A->second.resize(std::min(A->second.size(), C.Args.size()));
      for (size_t I = 0; I < A->second.size(); ++I)
        if (A->second[I] != C.Args[I])
          A->second[I] = "-";
      // Held at every call; released (by this function) before any.
      std::vector<std::string> Both;
      for (const std::string &L : It->second)
        if (L.front() == '-' || llvm::is_contained(Held, L))
          Both.push_back(L);
      for (const std::string &L : Held)
        if (L.front() == '-' && !llvm::is_contained(Both, L))
          Both.push_back(L);
      llvm::sort(Both);
      It->second = std::move(Both);
    }
    for (llvm::StringRef Callee : Order) {
      std::vector<std::string> &A = Args[Callee];
      while (!A.empty() && A.back() == "-")
        A.pop_back();
      Home.Calls.push_back({Fn.Key, Callee, Out.save(Join(Edges[Callee])),
                            Out.save(Join(A))});
    }
  }

  // Ops slots ---------------------------------------------------------------

  static const FunctionDecl *functionRef(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      if (U->getOpcode() == UO_AddrOf)
        E = U->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<FunctionDecl>(DRE->getDecl());
    return nullptr;
  }

  void addSlot(llvm::StringRef OpsType, llvm::StringRef Slot,
               const FunctionDecl *Target, llvm::StringRef Holder,
               SourceLocation Where, bool Static) {
    SlotFill S;
    S.OpsType = Out.save(OpsType);
    S.Slot = Out.save(Slot);
    S.Function = functionKey(Target);
    S.Holder = Out.save(Holder);
    FileFacts &F = fileFacts(fileIDOf(Where));
    if (F.External)
      return;
    S.File = F.Path;
    SourceLocation L = SM.getFileLoc(Where);
    S.Line = SM.getPresumedLineNumber(L);
    S.Col = SM.getPresumedColumnNumber(L);
    S.Static = Static;
    F.Slots.push_back(S);
  }

  void noteFunctionStore(const Expr *LHS, const Expr *RHS) {
    const auto *ME = dyn_cast<MemberExpr>(LHS->IgnoreParens());
    if (!ME)
      return;
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD || !FD->getType()->isFunctionPointerType())
      return;
    if (const FunctionDecl *Target = functionRef(RHS))
      addSlot(recordName(FD->getParent()), FD->getName(), Target, "",
              ME->getBeginLoc(), /*Static=*/false);
  }

  void walkInitializer(const InitListExpr *ILE, const VarDecl *Holder,
                       unsigned Depth = 0) {
    if (Depth > 8)
      return;
    QualType T = ILE->getType();
    if (const RecordDecl *RD = T->getAsRecordDecl()) {
      auto Field = [&](const FieldDecl *FD, const Expr *Init) {
        if (!Init)
          return;
        Init = Init->IgnoreImplicit();
        if (const auto *Sub = dyn_cast<InitListExpr>(Init)) {
          walkInitializer(Sub, Holder, Depth + 1);
          return;
        }
        if (!FD->getType()->isFunctionPointerType())
          return;
        if (const FunctionDecl *Target = functionRef(Init))
          addSlot(recordName(RD), FD->getName(), Target, Holder->getName(),
                  Init->getBeginLoc(), Holder->hasGlobalStorage());
      };
      if (RD->isUnion()) {
        if (const FieldDecl *FD = ILE->getInitializedFieldInUnion())
          if (ILE->getNumInits())
            Field(FD, ILE->getInit(0));
        return;
      }
      unsigned I = 0;
      for (const FieldDecl *FD : RD->fields()) {
        if (I >= ILE->getNumInits())
          break;
        Field(FD, ILE->getInit(I++));
      }
      return;
    }
    if (T->isArrayType())
      for (const Expr *Init : ILE->inits())
        if (const auto *Sub = dyn_cast<InitListExpr>(Init->IgnoreImplicit()))
          walkInitializer(Sub, Holder, Depth + 1);
  }

  ASTContext &Ctx;
  SourceManager &SM;
  const LangOptions &LO;
  const MacroMarks &Marks;
  FactSet &Out;
  std::string WorkingDir, Root;
  std::function<bool(llvm::StringRef, uint64_t)> Known;
  llvm::StringSet<> Allocators;

  FunctionState Fn;
  llvm::DenseSet<const Expr *> Discarded;
  llvm::DenseSet<const Stmt *> StmtExprBodies;
  /// Calls in a block that leaves by return, goto or continue, with the
  /// block's scope.
  llvm::DenseMap<const CallExpr *, ExitScope> ExitPathCalls;
  llvm::DenseMap<const FunctionDecl *, bool> ReturnsFresh;
  /// Functions of the main file that return with locks taken (or dropped):
  /// their net effect, applied at each later call.
  llvm::DenseMap<const FunctionDecl *, std::vector<LockEvent>> Wrappers;
  llvm::DenseMap<FileID, unsigned> FileIndex;
  llvm::StringMap<unsigned> PathIndex;
  llvm::DenseMap<const FunctionDecl *, llvm::StringRef> FunctionKeys;
  llvm::DenseMap<const FieldDecl *, llvm::StringRef> FieldKeys;
  llvm::DenseMap<const FieldDecl *, bool> DataRacy;
};

} // namespace

std::unique_ptr<PPCallbacks> makeMacroRecorder(const SourceManager &SM,
                                               MacroMarks &Marks) {
  return std::make_unique<MacroRecorder>(SM, Marks);
}

void extractFacts(ASTContext &Ctx, const MacroMarks &Marks,
                  const ExtractOptions &Opts, FactSet &Out) {
  Walker W(Ctx, Marks, Opts, Out);
  W.run();
}

} // namespace kmark
