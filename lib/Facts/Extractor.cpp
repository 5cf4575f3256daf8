//===- Extractor.cpp - Facts of one translation unit from clang's AST -----===//

#include "kmark/Extractor.h"

#include "Keys.h"
#include "Kinds.h"
#include "LockSet.h"
#include "Macros.h"
#include "Origins.h"

#include "kmark/Model.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>
#include <optional>

using namespace clang;

namespace kmark {

namespace {

// --- Preprocessor side ------------------------------------------------------

class MacroRecorder : public PPCallbacks {
public:
  MacroRecorder(const SourceManager &SM, const LangOptions &LO,
                const KernelModel &Model, MacroMarks &Marks)
      : SM(SM), LO(LO), Model(Model), Marks(Marks) {}

  void MacroExpands(const Token &Name, const MacroDefinition & /*MD*/,
                    SourceRange Range, const MacroArgs *Args) override {
    const IdentifierInfo *II = Name.getIdentifierInfo();
    if (!II)
      return;
    llvm::StringRef N = II->getName();
    std::optional<MacroMarks::Kind> K;
    if (Model.LockAssertMacros.contains(N))
      K = MacroMarks::LockAssert;
    else if (Model.InitAttributes.contains(N))
      K = MacroMarks::InitAttr;
    else if (Model.ExitAttributes.contains(N))
      K = MacroMarks::ExitAttr;
    else if (Model.DataRacyMacros.contains(N))
      K = MacroMarks::DataRacy;
    else if (Model.LockAnnotations.contains(N))
      K = MacroMarks::LockAnnotation;
    else if (Model.PublishStores.contains(N))
      K = MacroMarks::PublishStore;
    if (!K)
      return;
    SourceLocation B = SM.getExpansionLoc(Range.getBegin());
    SourceLocation E = SM.getExpansionLoc(Range.getEnd());
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(B);
    MacroMarks::Mark M;
    M.Offset = D.second;
    M.End = std::max(D.second, SM.getFileOffset(E));
    M.K = *K;
    M.Macro = N;
    if (*K == MacroMarks::LockAnnotation) {
      // __acquires(&sk->sk_lock.slock): the text between the parentheses.
      llvm::StringRef Text = Lexer::getSourceText(
          CharSourceRange::getTokenRange(B, E), SM, LO);
      size_t Open = Text.find('(');
      if (Open != llvm::StringRef::npos && Text.ends_with(")"))
        M.Arg = Text.slice(Open + 1, Text.size() - 1).trim().str();
    }
    if (*K == MacroMarks::PublishStore &&
        !valueArgument(Args, Model.PublishStores.lookup(N), D.first, M))
      return;
    Marks.ByFile[D.first].push_back(std::move(M));
  }

private:
  /// The file extent of argument Want of a call of a macro, counted as
  /// written: a variadic macro's `...` holds several (cmpxchg(ptr, ...)).
  /// False if it is not all written in file F.
  bool valueArgument(const MacroArgs *Args, unsigned Want, FileID F,
                     MacroMarks::Mark &M) const {
    if (!Args)
      return false;
    unsigned Index = 0;
    bool Found = false;
    for (unsigned I = 0; I < Args->getNumMacroArguments(); ++I, ++Index) {
      int Depth = 0;
      for (const Token *T = Args->getUnexpArgument(I); T->isNot(tok::eof);
           ++T) {
        if (T->isOneOf(tok::l_paren, tok::l_square, tok::l_brace)) {
          ++Depth;
        } else if (T->isOneOf(tok::r_paren, tok::r_square, tok::r_brace)) {
          --Depth;
        } else if (T->is(tok::comma) && Depth == 0) {
          ++Index;
          continue;
        }
        if (Index != Want)
          continue;
        SourceLocation L = T->getLocation();
        if (L.isMacroID() || SM.getFileID(L) != F)
          return false;
        unsigned B = SM.getFileOffset(L), E = B + T->getLength();
        M.ValueBegin = Found ? std::min(M.ValueBegin, B) : B;
        M.ValueEnd = Found ? std::max(M.ValueEnd, E) : E;
        Found = true;
      }
    }
    return Found;
  }

  const SourceManager &SM;
  const LangOptions &LO;
  const KernelModel &Model;
  MacroMarks &Marks;
};

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

/// The pointer parameter an lvalue dereferences, `*valp` (also inside the
/// kernel's `*(volatile T *)&(*valp)`), with the volatile `*` if any.
struct ParamDeref {
  const ParmVarDecl *Param = nullptr;
  const Expr *VolatileDeref = nullptr;
};

std::optional<ParamDeref> derefOfParam(const Expr *E) {
  ParamDeref R;
  for (unsigned Depth = 0; E && Depth < 16; ++Depth) {
    const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParens());
    if (!U || U->getOpcode() != UO_Deref)
      return std::nullopt;
    const Expr *P = U->getSubExpr();
    bool Volatile = false;
    while (const auto *C = dyn_cast<CastExpr>(P->IgnoreParens())) {
      QualType T = C->getType();
      if (T->isPointerType() && T->getPointeeType().isVolatileQualified())
        Volatile = true;
      P = C->getSubExpr();
    }
    P = P->IgnoreParens();
    if (const auto *A = dyn_cast<UnaryOperator>(P);
        A && A->getOpcode() == UO_AddrOf) {
      if (Volatile && !R.VolatileDeref)
        R.VolatileDeref = U;
      E = A->getSubExpr();
      continue;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(P);
    const auto *PVD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!PVD || DRE->isNonOdrUse() == NOUR_Unevaluated ||
        !PVD->getType()->isPointerType() ||
        PVD->getType()->getPointeeType()->isRecordType())
      return std::nullopt;
    R.Param = PVD;
    return R;
  }
  return std::nullopt;
}

/// Whether a function does anything with its parameter P but call it or
/// test it: a callback stored, passed on, returned, copied into a struct
/// (`{ .fn = fn }`) or chosen by `?:` may run later from anywhere; only one
/// merely called runs where it is called, under the locks held there.
class ParamEscape : public RecursiveASTVisitor<ParamEscape> {
public:
  explicit ParamEscape(const ParmVarDecl *P) : P(P) {}
  bool Escapes = false;

  // Visited before their operands: the uses they make harmless are known
  // when the reference itself is visited.
  bool VisitCallExpr(CallExpr *CE) {
    const Expr *C = CE->getCallee()->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(C);
        U && U->getOpcode() == UO_Deref)
      C = U->getSubExpr()->IgnoreParenCasts();
    harmless(C);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isEqualityOp() || BO->isLogicalOp()) {
      harmless(BO->getLHS());
      harmless(BO->getRHS());
    }
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() == UO_LNot)
      harmless(U->getSubExpr());
    return true;
  }
  bool VisitIfStmt(IfStmt *S) { return harmless(S->getCond()), true; }
  bool VisitWhileStmt(WhileStmt *S) { return harmless(S->getCond()), true; }
  bool VisitDoStmt(DoStmt *S) { return harmless(S->getCond()), true; }
  bool VisitForStmt(ForStmt *S) { return harmless(S->getCond()), true; }
  bool VisitConditionalOperator(ConditionalOperator *C) {
    return harmless(C->getCond()), true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    if (DRE->getDecl() == P && !Harmless.contains(DRE) &&
        DRE->isNonOdrUse() != NOUR_Unevaluated)
      Escapes = true;
    return !Escapes;
  }

private:
  void harmless(const Expr *E) {
    if (!E)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()))
      Harmless.insert(DRE);
  }
  const ParmVarDecl *P;
  llvm::DenseSet<const DeclRefExpr *> Harmless;
};

class Walker : public RecursiveASTVisitor<Walker> {
public:
  Walker(ASTContext &Ctx, const MacroMarks &Marks, const ExtractOptions &Opts,
         FactSet &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()),
        Marks(Marks), Model(*Opts.Model), Out(Out),
        K(SM, Out, [this](FileID FID) { return fileFacts(FID).Path; }),
        Locks(Ctx, Model, Marks, K, Out), Objects(Ctx, Model, Out),
        Kinds(K, Out) {
    if (auto CWD = SM.getFileManager()
                       .getVirtualFileSystem()
                       .getCurrentWorkingDirectory())
      WorkingDir = *CWD;
    Root = Opts.Root;
    Known = Opts.Known;
    Module = Opts.Module;
    // The lock analysis names an accessor's result by its argument:
    // netdev_priv(dev) is dev's object when dev is registered.
    Locks.setAccessorTest(
        [this](const FunctionDecl *FD) { return Objects.returnsIntoParam(FD); });
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
    for (Stmt *S : CS->body()) {
      ++I;
      if (const auto *E = dyn_cast<Expr>(S))
        if (!IsStmtExprBody || I != N)
          discard(E);
    }
    return true;
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
    const VarDecl *Inode =
        Fn.Decl ? Objects.newInodeTest(S->getCond(), Negated) : nullptr;
    if (!Inode)
      return RecursiveASTVisitor::TraverseIfStmt(S);
    if (!WalkUpFromIfStmt(S))
      return false;
    for (Stmt *C : S->children()) {
      if (C == S->getThen() && !Negated) {
        std::optional<Origin> Saved = Objects.local(Inode);
        Objects.setLocal(Inode, Origins::newInode());
        bool R = TraverseStmt(C);
        Objects.setLocal(Inode, Saved);
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
      Objects.setLocal(Inode, Origins::newInode());
    return true;
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
    if (BO->getOpcode() == BO_Assign) {
      const auto *D = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
      notePrivateArea(D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr,
                      BO->getLHS()->getType(), BO->getRHS());
    }
    Objects.assign(BO->getLHS(), BO->getRHS());
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
    noteGlobalStruct(VD);
    if (const Expr *Init = VD->getInit()) {
      if (const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreImplicit()))
        if (Fn.Decl || !fileFacts(fileIDOf(VD->getLocation())).External)
          walkInitializer(ILE, VD);
      if (Fn.Decl) {
        notePrivateArea(VD, VD->getType(), Init);
        Objects.declare(VD);
      }
    }
    return true;
  }

  /// __builtin_constant_p() never evaluates its operand: test_bit()'s
  /// `__builtin_constant_p(*(const unsigned long *)(addr))` reads nothing.
  bool TraverseCallExpr(CallExpr *CE) {
    if (CE->getBuiltinCallee() == Builtin::BI__builtin_constant_p)
      return true;
    return RecursiveASTVisitor::TraverseCallExpr(CE);
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
    Objects.published(CE);
    Objects.cleared(CE, Fn.Decl->getBody());
    if (Callee) {
      std::vector<ArgOrigin> Args = Objects.args(CE);
      Args.resize(CE->getNumArgs());
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        Args[I].ObjectKind = Kinds.kindOfPointer(CE->getArg(I));
      while (!Args.empty() && Args.back().empty())
        Args.pop_back();
      Fn.CallSites.push_back({CE, K.function(Callee), std::move(Args)});
      noteFieldArgs(CE, Callee);
      noteLink(CE, Callee);
      if (const IdentifierInfo *II = Callee->getIdentifier()) {
        auto Hook = Model.AtomicHooks.find(II->getName());
        if (Hook != Model.AtomicHooks.end())
          noteAtomicAccess(CE, Hook->second);
      }
    } else if (const auto *ME = dyn_cast<MemberExpr>(
                   CE->getCallee()->IgnoreParenImpCasts())) {
      if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
          FD && FD->getIdentifier())
        Fn.SlotSites.push_back({CE, Out.save(K.record(FD->getParent())),
                                FD->getName()});
    } else if (const ParmVarDecl *P = calledParam(CE)) {
      // `fn(dev, data)` in bus_for_each_dev(): the callbacks its callers
      // pass as this argument run here, synchronously.
      Fn.SlotSites.push_back(
          {CE, Out.save(callSlotType(Fn.Decl)),
           Out.save(std::to_string(paramPosition(P))), P});
    }
    // Callbacks handed to a call: timer_setup(), INIT_WORK(), and the
    // iterators that call them in place, bus_for_each_dev().
    for (unsigned I = 0; Callee && Callee->getIdentifier() &&
                         I < CE->getNumArgs();
         ++I)
      if (const FunctionDecl *Target = functionRef(CE->getArg(I)))
        addSlot(callSlotType(Callee), std::to_string(I), Target, "",
                CE->getBeginLoc(), /*Static=*/false, Fn.Key);
    return true;
  }

  // Structs -----------------------------------------------------------------

  /// The structs a struct holds, by value or through a pointer member,
  /// recorded where it is defined: whether a lock is part of the object
  /// whose field a function writes is a question the merge asks of these.
  bool VisitRecordDecl(RecordDecl *RD) {
    if (!RD->isCompleteDefinition() || RD->isAnonymousStructOrUnion() ||
        RD->isInvalidDecl())
      return true;
    FileID FID = fileIDOf(RD->getLocation());
    if (fileFacts(FID).External)
      return true;
    // Naming a struct may bring a new file into the facts (an anonymous
    // one's name is its place), which moves the list of files: look the
    // file up again after.
    std::vector<std::pair<std::string, bool>> Held;
    membersOf(RD, Held, 0);
    llvm::sort(Held);
    Held.erase(std::unique(Held.begin(), Held.end()), Held.end());
    if (Held.empty())
      return true;
    llvm::StringRef Outer = Out.save(K.record(RD));
    FileFacts &F = fileFacts(FID);
    for (const auto &[Inner, Pointer] : Held)
      F.Embeddings.push_back({Outer, Out.save(Inner), Pointer});
    return true;
  }

  /// A global (or static) struct that is not const: the locks in it are
  /// a global's (rcu_state's, a file's `static struct { ... } state`).
  void noteGlobalStruct(const VarDecl *VD) {
    if (!VD->hasGlobalStorage() ||
        VD->isThisDeclarationADefinition() == VarDecl::DeclarationOnly)
      return;
    QualType T = VD->getType();
    while (const ArrayType *AT = Ctx.getAsArrayType(T))
      T = AT->getElementType();
    if (T.isConstQualified())
      return;
    const RecordDecl *R = T->getAsRecordDecl();
    if (R)
      R = R->getDefinition();
    if (!R)
      return;
    FileID FID = fileIDOf(VD->getLocation());
    if (fileFacts(FID).External)
      return;
    llvm::StringRef Var = K.global(VD);
    llvm::StringRef Type = Out.save(K.record(R));
    fileFacts(FID).Embeddings.push_back({Var, Type, false, true});
  }

private:
  void membersOf(const RecordDecl *RD,
                 std::vector<std::pair<std::string, bool>> &Held,
                 unsigned Depth) {
    for (const FieldDecl *FD : RD->fields()) {
      QualType T = FD->getType();
      bool Pointer = false;
      for (;;) {
        if (const ArrayType *AT = Ctx.getAsArrayType(T))
          T = AT->getElementType();
        else if (const auto *PT = T->getAs<PointerType>())
          T = PT->getPointeeType(), Pointer = true;
        else
          break;
      }
      const RecordDecl *R = T->getAsRecordDecl();
      if (!R)
        continue;
      // A pointer's struct may be only declared here: its name is enough,
      // and what a header records must not depend on which TU wrote it.
      if (const RecordDecl *Def = R->getDefinition())
        R = Def;
      else if (!Pointer)
        continue;
      // An anonymous struct's or union's members are the outer struct's.
      if (!Pointer && R->isAnonymousStructOrUnion()) {
        if (Depth < 8)
          membersOf(R, Held, Depth + 1);
        continue;
      }
      Held.emplace_back(K.record(R), Pointer);
    }
  }

  struct Pending {
    Access A;
    const Stmt *Anchor; // the MemberExpr, where the lock set is read
    FileID FID;
  };
  struct CallSite {
    const CallExpr *CE;
    llvm::StringRef Callee;
    std::vector<ArgOrigin> Args;
  };
  /// A call through a function pointer member, `ops->dump(...)`, or
  /// through the function's own parameter Param.
  struct SlotSite {
    const CallExpr *CE;
    llvm::StringRef OpsType, Slot;
    const ParmVarDecl *Param = nullptr;
  };
  /// A call passing the address of a field.
  struct FieldArgSite {
    const CallExpr *CE;
    FieldArg Arg;
  };
  struct FunctionState {
    const FunctionDecl *Decl = nullptr;
    const Stmt *Body = nullptr;
    llvm::StringRef Key;
    std::vector<Pending> Accesses;
    std::vector<CallSite> CallSites;
    std::vector<SlotSite> SlotSites;
    std::vector<ParamAccess> ParamAccesses;
    std::vector<FieldArgSite> FieldArgs;
    /// Local pointers to an object allocated with room for others: the
    /// object's struct, and the structs whose size the allocation added.
    llvm::DenseMap<const VarDecl *,
                   std::pair<const RecordDecl *,
                             llvm::SmallVector<const RecordDecl *, 2>>>
        Sized;
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
    Objects.beginFunction();
    Kinds.beginFunction(FD);
    Fn.Decl = FD;
    Fn.Key = K.function(FD);
    Fn.Body = FD->getBody();
    bool R = Traverse();
    finishFunction();
    Kinds.endFunction();
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

  /// Whether the outermost marking primitive whose body made the volatile
  /// access at L is one of the model's (WRITE_ONCE, smp_store_release...).
  std::optional<Marking> markingAt(SourceLocation L) {
    std::optional<Marking> Mark;
    for (llvm::StringRef M : bodyMacros(L, SM, LO)) {
      auto It = Model.MarkingMacros.find(M);
      if (It != Model.MarkingMacros.end() && It->second != Marking::DataRace)
        Mark = It->second;
    }
    return Mark;
  }

  /// The `->` member where ME's path within its object starts (ME for
  /// `p->f`, p->a for `p->a.f`), null for none (`x.a.f`); Union says
  /// whether a member on the way is a union's arm.
  static const MemberExpr *rootArrow(const MemberExpr *ME, bool &Union) {
    Union = false;
    while (!ME->isArrow()) {
      ME = dyn_cast<MemberExpr>(ME->getBase()->IgnoreParenImpCasts());
      if (!ME)
        return nullptr;
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      Union |= !FD || FD->getParent()->isUnion();
    }
    return ME;
  }

  /// Whether ME's object is a parameter itself: `p->f`, `p->a.f`.
  static bool isParamItself(const MemberExpr *ME) {
    bool Union = false;
    const MemberExpr *Root = rootArrow(ME, Union);
    const auto *D = Root ? dyn_cast<DeclRefExpr>(
                               Root->getBase()->IgnoreParenImpCasts())
                         : nullptr;
    return D && isa<ParmVarDecl>(D->getDecl());
  }

  /// Whether FD's body, in this TU, reads or writes a scalar field
  /// through its parameter I itself, `p->f`, or passes it on to a call: a
  /// call that passes the address of an embedded struct there touches that
  /// struct's fields (wq_list_add_tail(node, &ctx->iopoll_list) writes the
  /// list's first; wq_list_del() has wq_list_cut() do it).
  bool accessesThroughParam(const FunctionDecl *FD, unsigned I) {
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || I >= Def->getNumParams())
      return false;
    if (auto It = ParamMembers.find({Def, I}); It != ParamMembers.end())
      return It->second;
    struct Finder : RecursiveASTVisitor<Finder> {
      const ParmVarDecl *P = nullptr;
      bool Found = false;
      bool VisitMemberExpr(MemberExpr *ME) {
        const auto *D =
            dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
        const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        if (ME->isArrow() && D && D->getDecl() == P && FD &&
            !FD->getType()->isRecordType() && !FD->getType()->isArrayType())
          Found = true;
        return !Found;
      }
      bool VisitCallExpr(CallExpr *CE) {
        for (const Expr *A : CE->arguments())
          if (const auto *D = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts()))
            Found |= D->getDecl() == P;
        return !Found;
      }
    } Find;
    Find.P = Def->getParamDecl(I);
    Find.TraverseStmt(Def->getBody());
    ParamMembers[{Def, I}] = Find.Found;
    return Find.Found;
  }

  /// A link of an object into a list or tree that is a member of another
  /// struct: `list_add_tail(&msg->next, &mgr->tx_queue)`,
  /// `hlist_add_head(&e->node, &t->buckets[h])`.  The container holds the
  /// object through a pointer (Link): the container's lock guards the
  /// links, and the rules weigh it between the object's own lock and
  /// another object's (Analyzer::lockOwner()).  The model's list and tree
  /// primitives (`publish`, not the registrations of `register`, whose
  /// other arguments are a parent device or an index) take the node first
  /// and the head next (a neighbour, for hlist_add_behind(), is on the
  /// same list).
  void noteLink(const CallExpr *CE, const FunctionDecl *Callee) {
    if (!Callee->getIdentifier() ||
        Model.Register.contains(Callee->getName()))
      return;
    auto It = Model.Publish.find(Callee->getName());
    if (It == Model.Publish.end() || It->second != 0 || CE->getNumArgs() < 2)
      return;
    const RecordDecl *Inner = memberOwner(CE->getArg(0));
    const RecordDecl *Outer = memberOwner(CE->getArg(1));
    if (!Inner || !Outer || Inner->isUnion() || Outer->isUnion())
      return;
    if (const RecordDecl *Def = Inner->getDefinition())
      Inner = Def;
    if (const RecordDecl *Def = Outer->getDefinition())
      Outer = Def;
    if (Inner == Outer)
      return;
    noteHeld(CE, Outer, Inner, /*Link=*/true);
  }

  /// That Outer holds Inner through a pointer, as a call at CE shows (a
  /// list linking it, an allocation with room for it), recorded once in
  /// the call's file: a list is linked, a driver probed, in many places.
  void noteHeld(const CallExpr *CE, const RecordDecl *Outer,
                const RecordDecl *Inner, bool Link) {
    FileID FID = SM.getFileID(SM.getFileLoc(CE->getBeginLoc()));
    if (fileFacts(FID).External)
      return;
    // Naming a struct may add a file (see VisitRecordDecl): names first.
    Embedding E{Out.save(K.record(Outer)), Out.save(K.record(Inner)),
                /*Pointer=*/true, /*Global=*/false, Link};
    std::vector<Embedding> &In = fileFacts(FID).Embeddings;
    if (!llvm::is_contained(In, E))
      In.push_back(E);
  }

  /// A driver's state in the allocation of a framework's object:
  ///
  ///   indio_dev = devm_iio_device_alloc(dev, sizeof(*st));
  ///   st = iio_priv(indio_dev);
  ///
  /// (alloc_etherdev(sizeof(*priv)) then netdev_priv(), scsi_host_alloc()
  /// then shost_priv()).  A call that returns a pointer to one struct and
  /// is given the size of another, kept in a local, then a pointer to the
  /// sized struct computed from that local in the same function: the
  /// container's locks are part of the state as a pointer member's
  /// struct's are, and the container is recorded as holding the state
  /// through a pointer.  Both steps are needed: a pool sized for its
  /// elements (kmem_cache_create(), mempool_create_kmalloc_pool()) is
  /// created in one place and its elements taken from it elsewhere.  A
  /// buffer with a payload behind its header (nlmsg_put() then
  /// nlmsg_data(), fc_frame_alloc() then fc_frame_payload_get()) is
  /// recorded too: the payload does live in that allocation.
  /// Target is the variable assigned (null for another lvalue), of type
  /// TargetType.
  void notePrivateArea(const VarDecl *Target, QualType TargetType,
                       const Expr *Value) {
    const auto *CE = dyn_cast<CallExpr>(Value->IgnoreParenCasts());
    if (!CE)
      return;
    const FunctionDecl *Callee = CE->getDirectCallee();
    // The container: a local given the struct the call returns.
    if (Target && Target->hasLocalStorage() && Callee) {
      const auto *PT = Callee->getReturnType()->getAs<PointerType>();
      const RecordDecl *Outer =
          PT ? PT->getPointeeType()->getAsRecordDecl() : nullptr;
      llvm::SmallVector<const RecordDecl *, 2> Sized;
      if (Outer && !Outer->isUnion()) {
        if (const RecordDecl *Def = Outer->getDefinition())
          Outer = Def;
        for (const Expr *A : CE->arguments())
          sizedRecords(A, Sized, 0);
        llvm::erase(Sized, Outer);
      }
      if (!Sized.empty()) {
        Fn.Sized[Target] = {Outer, std::move(Sized)};
        return;
      }
      Fn.Sized.erase(Target); // assigned something else
    }
    // The state: a pointer to a sized struct computed from the container.
    const auto *PT = TargetType->getAs<PointerType>();
    const RecordDecl *Inner =
        PT ? PT->getPointeeType()->getAsRecordDecl() : nullptr;
    if (!Inner)
      return;
    if (const RecordDecl *Def = Inner->getDefinition())
      Inner = Def;
    for (const Expr *A : CE->arguments()) {
      const auto *D = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts());
      const auto *V = D ? dyn_cast<VarDecl>(D->getDecl()) : nullptr;
      auto It = V ? Fn.Sized.find(V) : Fn.Sized.end();
      if (It != Fn.Sized.end() &&
          llvm::is_contained(It->second.second, Inner)) {
        noteHeld(CE, It->second.first, Inner, /*Link=*/false);
        return;
      }
    }
  }

  /// The structs whose size an allocator's size argument adds up:
  /// `sizeof(*st)`, `sizeof(struct hba) + n`.
  static void sizedRecords(const Expr *E,
                           llvm::SmallVectorImpl<const RecordDecl *> &Sized,
                           unsigned Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *S = dyn_cast<UnaryExprOrTypeTraitExpr>(E)) {
      if (S->getKind() != UETT_SizeOf)
        return;
      const RecordDecl *R = S->getTypeOfArgument()->getAsRecordDecl();
      if (!R || R->isUnion())
        return;
      if (const RecordDecl *Def = R->getDefinition())
        R = Def;
      if (!llvm::is_contained(Sized, R))
        Sized.push_back(R);
    } else if (const auto *B = dyn_cast<BinaryOperator>(E);
               B && B->getOpcode() == BO_Add && Depth < 4) {
      sizedRecords(B->getLHS(), Sized, Depth + 1);
      sizedRecords(B->getRHS(), Sized, Depth + 1);
    }
  }

  /// The struct whose member `&x->m`, `&x->a.m` or `&x->m[i]` (m an
  /// array) is: x's, where the path within the object starts.  Null when
  /// E is not the address of a member reached through a pointer.
  static const RecordDecl *memberOwner(const Expr *E) {
    const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
    if (!U || U->getOpcode() != UO_AddrOf)
      return nullptr;
    std::optional<FieldLValue> F = fieldOfLValue(U->getSubExpr());
    bool Union = false; // which arm does not matter: the object is one
    const MemberExpr *Root = F ? rootArrow(F->ME, Union) : nullptr;
    if (!Root)
      return nullptr;
    const auto *PT = Root->getBase()->getType()->getAs<PointerType>();
    return PT ? PT->getPointeeType()->getAsRecordDecl() : nullptr;
  }

  /// The arguments of a call that are the address of a field of a
  /// published object: `set_val(&obj->f, v)`, or of an embedded struct
  /// whose fields the callee accesses through that parameter,
  /// `wq_list_add_tail(node, &ctx->iopoll_list)`.
  void noteFieldArgs(const CallExpr *CE, const FunctionDecl *Callee) {
    for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
      const auto *U =
          dyn_cast<UnaryOperator>(CE->getArg(I)->IgnoreParenImpCasts());
      if (!U || U->getOpcode() != UO_AddrOf)
        continue;
      std::optional<FieldLValue> F = fieldOfLValue(U->getSubExpr());
      if (!F || F->FD->getType()->isArrayType())
        continue;
      bool Embedded = F->FD->getType()->isRecordType();
      if (Embedded && (F->FD->getParent()->isUnion() ||
                       !accessesThroughParam(Callee, I)))
        continue;
      if (std::optional<Origin> O = Objects.ofBase(F->ME); O && O->unpublished())
        continue;
      SourceLocation L = SM.getFileLoc(F->ME->getBeginLoc());
      const FileFacts &Facts = fileFacts(SM.getFileID(L));
      if (Facts.External)
        continue;
      FieldArg A;
      A.Caller = Fn.Key;
      A.Callee = K.function(Callee);
      A.Arg = static_cast<uint16_t>(I + 1);
      A.Field = K.field(F->FD);
      // An embedded struct's kind is the one the parameter points to.
      A.ObjectKind = Embedded ? Kinds.kindOfPointer(CE->getArg(I))
                              : Kinds.kindOf(F->ME, F->FD);
      if (Embedded) {
        // Not through a union's arm: the path would say two objects where
        // the arms are one.
        bool Union = false;
        rootArrow(F->ME, Union);
        if (Union)
          continue;
        llvm::StringRef Above = Kinds.membersOf(F->ME);
        A.Members = Out.save(Above.empty()
                                 ? F->FD->getName().str()
                                 : (Above + "." + F->FD->getName()).str());
      }
      if (std::optional<CharSourceRange> R =
              fileRange(U->getSubExpr()->getSourceRange()))
        A.Text = Out.save(Lexer::getSourceText(*R, SM, LO));
      A.File = Facts.Path;
      A.Line = SM.getPresumedLineNumber(L);
      A.Col = SM.getPresumedColumnNumber(L);
      Fn.FieldArgs.push_back({CE, A});
    }
  }

  /// A call that tells KCSAN the access through its first argument is
  /// atomic: instrument_atomic_write(addr + BIT_WORD(nr), ...) in
  /// set_bit(), instrument_atomic_read_write(__ai_ptr, ...) in xchg().
  /// The pointer is a field's address, directly or through a local
  /// initialised with one (the atomic macros copy their argument), or a
  /// pointer parameter: then each caller's field, as for `WRITE_ONCE(*p,
  /// v)`.  Offsets into the word array (BIT_WORD(nr)) stay in the field.
  /// Only a macro's local is followed, and only one never assigned after
  /// its initialiser.  Not seen: a bitmap member passed without `&`
  /// (`set_bit(n, p->bits)`), an explicit cast of the address.
  void noteAtomicAccess(const CallExpr *CE, AccessKind Kind) {
    if (CE->getNumArgs() == 0 || !Fn.Decl)
      return;
    const Expr *P = CE->getArg(0);
    for (unsigned Depth = 0; Depth < 8; ++Depth) {
      P = P->IgnoreParenCasts();
      if (const auto *BO = dyn_cast<BinaryOperator>(P);
          BO && BO->isAdditiveOp() && BO->getLHS()->getType()->isPointerType()) {
        P = BO->getLHS();
        continue;
      }
      const auto *DRE = dyn_cast<DeclRefExpr>(P);
      const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      // The macro's own copy (`typeof(ptr) __ai_ptr = (ptr)`), declared in
      // its expansion beside the hook: a local of the code's own may have
      // been set before a lock was taken, and the access belongs where the
      // hook is.
      if (VD && !isa<ParmVarDecl>(VD) && VD->hasLocalStorage() &&
          VD->getInit() && VD->getLocation().isMacroID() &&
          CE->getBeginLoc().isMacroID() && !Kinds.reassigned(VD)) {
        P = VD->getInit();
        continue;
      }
      break;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(P);
        U && U->getOpcode() == UO_AddrOf) {
      recordAccess(U->getSubExpr(), Kind, nullptr, Marking::Atomic);
      return;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(P);
    const auto *PVD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!PVD || !PVD->getType()->isPointerType() ||
        PVD->getType()->getPointeeType()->isRecordType())
      return; // atomic_t and friends: their fields are not the caller's
    ParamAccess A;
    A.Function = Fn.Key;
    A.Param = static_cast<uint16_t>(PVD->getFunctionScopeIndex() + 1);
    A.Kind = Kind;
    A.Mark = Marking::Atomic;
    if (!llvm::is_contained(Fn.ParamAccesses, A))
      Fn.ParamAccesses.push_back(A);
  }

  /// `WRITE_ONCE(*valp, v)`: an access through a pointer parameter, an
  /// access of the field each caller passes the address of.
  void recordParamAccess(const Expr *LV, AccessKind Kind) {
    std::optional<ParamDeref> D = derefOfParam(LV);
    if (!D || !Fn.Decl)
      return;
    ParamAccess P;
    P.Function = Fn.Key;
    P.Param = static_cast<uint16_t>(D->Param->getFunctionScopeIndex() + 1);
    P.Kind = Kind;
    if (D->VolatileDeref)
      P.Mark = markingAt(D->VolatileDeref->getExprLoc())
                   .value_or(Marking::VolatileCast);
    for (llvm::StringRef M : enclosingMacros(LV->getBeginLoc(), SM, LO)) {
      auto It = Model.MarkingMacros.find(M);
      if (P.Mark == Marking::Plain && It != Model.MarkingMacros.end() &&
          It->second == Marking::DataRace)
        P.Mark = Marking::DataRace;
    }
    if (!llvm::is_contained(Fn.ParamAccesses, P))
      Fn.ParamAccesses.push_back(P);
  }

  /// Mark, where given, is the marking of an access that is not spelled as
  /// a load or a store (an atomic operation on its address).
  void recordAccess(const Expr *LV, AccessKind Kind, const Expr *Whole,
                    std::optional<Marking> Mark = std::nullopt) {
    std::optional<FieldLValue> F = fieldOfLValue(LV);
    if (!F) {
      recordParamAccess(LV, Kind);
      return;
    }
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
    A.Field = K.field(F->FD);
    A.Function = Fn.Key;
    A.Size = accessSize(*F);

    // Marking.
    if (FT.isVolatileQualified() ||
        (F->Element && FT->isArrayType() &&
         Ctx.getAsArrayType(FT)->getElementType().isVolatileQualified())) {
      A.Mark = Marking::VolatileField;
    } else if (F->VolatileDeref) {
      // The outermost marking primitive whose body made the volatile access.
      A.Mark = markingAt(F->VolatileDeref->getExprLoc())
                   .value_or(Marking::VolatileCast);
    }
    if (Mark && A.Mark == Marking::Plain)
      A.Mark = *Mark;
    SourceLocation Begin = ME->getBeginLoc();
    for (llvm::StringRef M : enclosingMacros(Begin, SM, LO)) {
      auto It = Model.MarkingMacros.find(M);
      if (A.Mark == Marking::Plain && It != Model.MarkingMacros.end() &&
          It->second == Marking::DataRace)
        A.Mark = Marking::DataRace;
      if (Model.RcuProtectedMacros.contains(M))
        A.Flags |= AF_RcuProtected;
    }
    if (isDataRacy(F->FD))
      A.Flags |= AF_DataRacyField;
    if (F->FD->getType()->isVoidPointerType())
      A.Flags |= AF_OpaqueField;
    if (std::optional<Origin> O = Objects.ofBase(ME))
      A.From = *O;
    if (A.From.Kind == OriginKind::Param && isParamItself(ME))
      A.Flags |= AF_ParamItself;
    A.ObjectKind = Kinds.kindOf(ME, F->FD);
    A.Members = Kinds.membersOf(ME);

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

    Fn.Accesses.push_back({A, ME, FID});
  }

  /// The bytes an access of the field reads or writes, as KCSAN counts
  /// them: an element's for an array element, the declared type's for a
  /// bitfield (its storage unit at most); 0 for what has no fixed size.
  uint8_t accessSize(const FieldLValue &F) {
    QualType T = F.Element ? F.ME->getType() : F.FD->getType();
    if (F.Element && T->isArrayType())
      T = Ctx.getAsArrayType(T)->getElementType();
    if (T->isIncompleteType() || T->isDependentType() ||
        !T->isConstantSizeType())
      return 0;
    int64_t S = Ctx.getTypeSizeInChars(T).getQuantity();
    return S > 0 && S <= 255 ? static_cast<uint8_t>(S) : 0;
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

  void finishFunction() {
    const FunctionDecl *FD = Fn.Decl;
    Function F;
    F.Key = Fn.Key;
    F.Name = Out.save(LO.CPlusPlus ? FD->getQualifiedNameAsString()
                                   : FD->getName().str());
    FileID FID = fileIDOf(FD->getLocation());
    F.File = fileFacts(FID).Path;
    F.Line = SM.getPresumedLineNumber(SM.getFileLoc(FD->getLocation()));
    if (!FD->isExternallyVisible())
      F.Flags |= FF_Static;
    if (FID == SM.getMainFileID() && !Module.empty())
      F.Module = Out.save(Module);
    SourceLocation Head = FD->getBeginLoc();
    SourceLocation BodyBegin = Fn.Body->getBeginLoc();
    if (const SectionAttr *SA = FD->getAttr<SectionAttr>())
      if (llvm::any_of(Model.InitSections, [&](const std::string &P) {
            return SA->getName().starts_with(P);
          }))
        F.Flags |= FF_Init;
    if (hasMark(Head, BodyBegin, MacroMarks::InitAttr))
      F.Flags |= FF_Init;
    if (hasMark(Head, BodyBegin, MacroMarks::ExitAttr))
      F.Flags |= FF_Exit;

    // The locks at every access and call, from the CFG.
    std::vector<const Stmt *> Anchors;
    Anchors.reserve(Fn.Accesses.size() + Fn.CallSites.size());
    for (const Pending &P : Fn.Accesses)
      Anchors.push_back(P.Anchor);
    for (const CallSite &C : Fn.CallSites)
      Anchors.push_back(C.CE);
    for (const SlotSite &C : Fn.SlotSites)
      Anchors.push_back(C.CE);
    for (const FieldArgSite &C : Fn.FieldArgs)
      Anchors.push_back(C.CE);
    LockAnalysis::LoadSites Loads;
    for (const Pending &P : Fn.Accesses)
      if (P.A.Kind == AccessKind::Load)
        Loads[P.Anchor] = isMarked(P.A.Mark);
    LockAnalysis::FunctionLocks L = Locks.run(FD, Anchors, Loads);
    if (L.RequiresLock)
      F.Flags |= FF_LockAsserted;
    // Fetched again: the lock analysis names fields (Keys), which may add
    // a file to Out.Files and move the others.
    if (FileFacts &Facts = fileFacts(FID); !Facts.External)
      Facts.Functions.push_back(F);
    for (Pending &P : Fn.Accesses) {
      P.A.Locks = L.At.lookup(P.Anchor);
      if (L.TornDown.contains(P.Anchor))
        P.A.Flags |= AF_TornDown;
      if (L.BeforePublication.contains(P.Anchor))
        P.A.Flags |= AF_BeforePublication;
      if (L.AfterMarkedLoad.contains(P.Anchor))
        P.A.Flags |= AF_AfterMarkedLoad;
      if (auto It = L.PublishedLater.find(P.Anchor);
          It != L.PublishedLater.end()) {
        std::vector<PublishCall> Calls;
        for (const LockAnalysis::FunctionLocks::MayPublish &C : It->second) {
          PublishCall Call;
          Call.Before = C.Before;
          Call.Callee = Out.save(C.Callee);
          Call.Arg = static_cast<uint16_t>(std::min(C.Arg, 0xffffU));
          Calls.push_back(Call);
        }
        llvm::sort(Calls);
        P.A.Publication = Out.save(llvm::ArrayRef<PublishCall>(Calls));
      }
      FileFacts &Dst = fileFacts(P.FID);
      if (!Dst.External)
        Dst.Accesses.push_back(P.A);
    }

    // One edge per callee: the locks held at every call to it here (and
    // those this function released before any), what every call passes.
    FileFacts &Home = fileFacts(FID); // Facts may have moved meanwhile
    if (Home.External)
      return;
    llvm::append_range(Home.ParamAccesses, Fn.ParamAccesses);
    struct Edge {
      std::vector<LockFact> Locks;
      std::vector<ArgOrigin> Args;
    };
    llvm::StringMap<Edge> Edges;
    std::vector<llvm::StringRef> Order;
    for (const CallSite &C : Fn.CallSites) {
      LockList Held = L.At.lookup(C.CE);
      auto [It, New] = Edges.try_emplace(C.Callee);
      Edge &E = It->second;
      if (New) {
        Order.push_back(C.Callee);
        E.Locks.assign(Held.begin(), Held.end());
        E.Args = C.Args;
        continue;
      }
      // What every call passes: where the calls differ, nothing known.
      E.Args.resize(std::min(E.Args.size(), C.Args.size()));
      for (size_t I = 0; I < E.Args.size(); ++I) {
        ArgOrigin &X = E.Args[I];
        const ArgOrigin &Y = C.Args[I];
        if (X.K != Y.K || X.Index != Y.Index) {
          X.K = ArgOrigin::Other;
          X.Index = 0;
        }
        X.Itself &= Y.Itself;
        if (X.ObjectKind != Y.ObjectKind)
          X.ObjectKind = "";
      }
      E.Locks = atEveryCall(E.Locks, Held);
    }
    for (llvm::StringRef Callee : Order) {
      Edge &E = Edges[Callee];
      while (!E.Args.empty() && E.Args.back().empty())
        E.Args.pop_back();
      CallEdge CE;
      CE.Caller = Fn.Key;
      CE.Callee = Callee;
      CE.Locks = Out.save(LockList(E.Locks));
      CE.Args = Out.save(llvm::ArrayRef<ArgOrigin>(E.Args));
      Home.Calls.push_back(CE);
    }
    // One record per slot called through, the same way.
    std::map<std::pair<llvm::StringRef, llvm::StringRef>,
             std::vector<LockFact>>
        BySlot;
    llvm::DenseMap<const ParmVarDecl *, bool> Escaping;
    for (const SlotSite &C : Fn.SlotSites) {
      if (C.Param) {
        auto [It, New] = Escaping.try_emplace(C.Param, false);
        if (New) {
          ParamEscape V(C.Param);
          V.TraverseStmt(const_cast<Stmt *>(Fn.Body));
          It->second = V.Escapes;
        }
        if (It->second)
          continue; // used some other way too: not only called here
      }
      LockList Held = L.At.lookup(C.CE);
      auto [It, New] = BySlot.try_emplace({C.OpsType, C.Slot});
      It->second = New ? std::vector<LockFact>(Held.begin(), Held.end())
                       : atEveryCall(It->second, Held);
    }
    for (const auto &[Key, Locks] : BySlot) {
      SlotCall S;
      S.Caller = Fn.Key;
      S.OpsType = Key.first;
      S.Slot = Key.second;
      S.Locks = Out.save(LockList(Locks));
      Home.SlotCalls.push_back(S);
    }
    // Last: filing these may add files, and move Home.  An embedded
    // struct's says whether every call to its callee passes one there.
    std::map<llvm::StringRef, unsigned> CallsOf;
    for (const CallSite &C : Fn.CallSites)
      ++CallsOf[C.Callee];
    std::map<std::pair<llvm::StringRef, unsigned>, unsigned> Embedded;
    for (const FieldArgSite &C : Fn.FieldArgs)
      if (!C.Arg.Members.empty())
        ++Embedded[{C.Arg.Callee, C.Arg.Arg}];
    for (FieldArgSite &C : Fn.FieldArgs) {
      if (!C.Arg.Members.empty())
        C.Arg.EveryCall =
            Embedded[{C.Arg.Callee, C.Arg.Arg}] == CallsOf[C.Arg.Callee];
      C.Arg.Locks = L.At.lookup(C.CE);
      fileFacts(SM.getFileID(SM.getFileLoc(C.CE->getBeginLoc())))
          .FieldArgs.push_back(C.Arg);
    }
  }

  /// The locks of several calls: held at every one, released before any.
  static std::vector<LockFact> atEveryCall(llvm::ArrayRef<LockFact> So,
                                           LockList Held) {
    std::vector<LockFact> Both;
    for (const LockFact &X : So)
      if (X.Released || llvm::is_contained(Held, X))
        Both.push_back(X);
    for (const LockFact &X : Held)
      if (X.Released && !llvm::is_contained(Both, X))
        Both.push_back(X);
    llvm::sort(Both);
    return Both;
  }

  // Ops slots ---------------------------------------------------------------

  /// The function E names: `fn`, `&fn`, `(void *)fn`.
  static const FunctionDecl *functionRef(const Expr *E) {
    E = E->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      if (U->getOpcode() == UO_AddrOf)
        E = U->getSubExpr()->IgnoreParenCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  }

  /// The slot a callback passed to F fills: "call:F".
  static std::string callSlotType(const FunctionDecl *F) {
    return (CallSlotPrefix + F->getName()).str();
  }

  /// The current function's own parameter that CE calls through: `fn(x)`
  /// or `(*fn)(x)`.
  const ParmVarDecl *calledParam(const CallExpr *CE) const {
    const Expr *E = CE->getCallee()->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref)
      E = U->getSubExpr()->IgnoreParenCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (!P || P->getDeclContext() != Fn.Decl || !Fn.Decl->getIdentifier())
      return nullptr;
    return P;
  }

  /// P's position among the current function's parameters, as callers
  /// pass them (not the order of a K&R declaration list).
  unsigned paramPosition(const ParmVarDecl *P) const {
    return llvm::find(Fn.Decl->parameters(), P) - Fn.Decl->param_begin();
  }

  void addSlot(llvm::StringRef OpsType, llvm::StringRef Slot,
               const FunctionDecl *Target, llvm::StringRef Holder,
               SourceLocation Where, bool Static,
               llvm::StringRef Caller = "") {
    SlotFill S;
    S.OpsType = Out.save(OpsType);
    S.Slot = Out.save(Slot);
    S.Function = K.function(Target);
    S.Holder = Out.save(Holder);
    S.Caller = Caller;
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
      addSlot(K.record(FD->getParent()), FD->getName(), Target, "",
              ME->getBeginLoc(), /*Static=*/false);
  }

  /// A ctl_table entry whose .data is the address of a field.
  void noteSysctl(const RecordDecl *RD, const InitListExpr *ILE) {
    const Expr *Data = nullptr, *Name = nullptr, *Handler = nullptr,
               *Mode = nullptr;
    unsigned I = 0;
    for (const FieldDecl *FD : RD->fields()) {
      if (I >= ILE->getNumInits())
        break;
      const Expr *Init = ILE->getInit(I++)->IgnoreImpCasts();
      llvm::StringRef N = FD->getName();
      if (N == Model.SysctlData)
        Data = Init;
      else if (N == Model.SysctlName)
        Name = Init;
      else if (N == Model.SysctlHandler)
        Handler = Init;
      else if (!Model.SysctlMode.empty() && N == Model.SysctlMode)
        Mode = Init;
    }
    // Read-only for everyone: the handler only ever reads the field.
    if (Mode)
      if (std::optional<llvm::APSInt> V =
              Mode->getIntegerConstantExpr(Ctx))
        if ((V->getZExtValue() & 0222) == 0)
          return;
    const auto *Addr =
        Data ? dyn_cast<UnaryOperator>(Data->IgnoreParenCasts()) : nullptr;
    if (!Addr || Addr->getOpcode() != UO_AddrOf)
      return; // a global, or nothing: no field
    std::optional<FieldLValue> F = fieldOfLValue(Addr->getSubExpr());
    if (!F || F->FD->getType()->isRecordType())
      return; // a whole struct: no field finding
    SysctlEntry E;
    E.Field = K.field(F->FD);
    E.ObjectKind = Kinds.kindOf(F->ME, F->FD);
    if (const auto *S = Name ? dyn_cast<StringLiteral>(
                                   Name->IgnoreParenImpCasts())
                             : nullptr)
      E.Procname = Out.save(S->getString());
    if (const FunctionDecl *H = Handler ? functionRef(Handler) : nullptr)
      E.Handler = K.function(H);
    SourceLocation L = SM.getFileLoc(Data->getBeginLoc());
    FileFacts &Facts = fileFacts(SM.getFileID(L));
    if (Facts.External)
      return;
    if (std::optional<CharSourceRange> R =
            fileRange(Addr->getSubExpr()->getSourceRange()))
      E.Text = Out.save(Lexer::getSourceText(*R, SM, LO));
    E.File = Facts.Path;
    E.Line = SM.getPresumedLineNumber(L);
    E.Col = SM.getPresumedColumnNumber(L);
    Facts.Sysctls.push_back(E);
  }

  void walkInitializer(const InitListExpr *ILE, const VarDecl *Holder,
                       unsigned Depth = 0) {
    if (Depth > 8)
      return;
    QualType T = ILE->getType();
    if (const RecordDecl *RD = T->getAsRecordDecl()) {
      if (!Model.SysctlTable.empty() && RD->getIdentifier() &&
          RD->getName() == Model.SysctlTable)
        noteSysctl(RD, ILE);
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
          addSlot(K.record(RD), FD->getName(), Target, Holder->getName(),
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
  const KernelModel &Model;
  FactSet &Out;
  std::string WorkingDir, Root;
  std::string Module; ///< ExtractOptions::Module
  std::function<bool(llvm::StringRef, uint64_t)> Known;
  // Declared after what they use: constructed after it.
  llvm::DenseMap<FileID, unsigned> FileIndex;
  llvm::StringMap<unsigned> PathIndex;
  Keys K;
  LockAnalysis Locks;
  Origins Objects;
  ObjectKinds Kinds;

  FunctionState Fn;
  llvm::DenseSet<const Expr *> Discarded;
  llvm::DenseSet<const Stmt *> StmtExprBodies;
  llvm::DenseMap<const FieldDecl *, bool> DataRacy;
  llvm::DenseMap<std::pair<const FunctionDecl *, unsigned>, bool> ParamMembers;
};

} // namespace

std::unique_ptr<PPCallbacks> makeMacroRecorder(const SourceManager &SM,
                                               const LangOptions &LO,
                                               const KernelModel &Model,
                                               MacroMarks &Marks) {
  return std::make_unique<MacroRecorder>(SM, LO, Model, Marks);
}

void extractFacts(ASTContext &Ctx, const MacroMarks &Marks,
                  const ExtractOptions &Opts, FactSet &Out) {
  Walker W(Ctx, Marks, Opts, Out);
  W.run();
}

} // namespace kmark
