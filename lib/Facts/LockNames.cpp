//===- LockNames.cpp - Which lock an expression names ---------------------===//
//
// Lock types, lock identities (a member of an object, a global, a class
// of locks), the lock a primitive or an annotation names, and the names
// of the objects a teardown unpublishes.
//
//===----------------------------------------------------------------------===//

#include "LockSetImpl.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace kmark {

using namespace locks;

bool LockAnalysis::Impl::isLockType(QualType T) {
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

LockId LockAnalysis::Impl::localId(const void *Key) {
  LockId Id;
  Id.K = LockId::Local;
  Id.Name = copyString(
      Scratch, "#" + llvm::utohexstr(reinterpret_cast<uintptr_t>(Key)));
  return Id;
}

LockId LockAnalysis::Impl::classId(llvm::StringRef Class) {
  LockId Id;
  Id.K = LockId::Class;
  Id.Name = Class;
  return Id;
}

const Expr *LockAnalysis::Impl::lockInside(const Stmt *S, unsigned Depth) {
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

const Expr *LockAnalysis::Impl::valueOf(const VarDecl *VD, const FunctionDecl *Fn) {
  if (!VD->isLocalVarDecl() || !VD->getInit() || !Fn ||
      !Fn->doesThisDeclarationHaveABody())
    return nullptr;
  if (bodyInfo(Fn).Assigned.contains(VD))
    return nullptr;
  return VD->getInit();
}

const Expr *LockAnalysis::Impl::memberValue(const MemberExpr *ME, const FunctionDecl *Fn) {
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

std::optional<LockId> LockAnalysis::Impl::lockOf(const Expr *E, const FunctionDecl *Fn, unsigned Depth) {
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

std::optional<LockId> LockAnalysis::Impl::memberLock(const MemberExpr *Outer, const FunctionDecl *Fn, unsigned Depth) {
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

std::optional<LockId> LockAnalysis::Impl::memberOf(const Expr *Obj, llvm::StringRef M) {
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

std::optional<LockId> LockAnalysis::Impl::primitiveLock(const LockPrimitive &P, const CallExpr *CE, const FunctionDecl *Fn) {
  if (!P.Class.empty())
    return classId(Out.save(P.Class));
  if (P.Arg >= CE->getNumArgs())
    return std::nullopt;
  const Expr *Arg = CE->getArg(P.Arg);
  if (!P.Member.empty())
    return memberOf(Arg, P.Member);
  return lockOf(Arg, Fn);
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
  // An accessor's result lies inside its argument's object.
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (CE->getNumArgs() == 1 && Callee && IsAccessor && IsAccessor(Callee))
      return pointerName(CE->getArg(0), Fn, Depth + 1);
  }
  return std::nullopt;
}

/// E without an element of an array member (`p->items[i]`: `p->items`),
/// which lies in the same object.
static const Expr *arrayMemberOf(const Expr *E) {
  const auto *ASE = dyn_cast<ArraySubscriptExpr>(E->IgnoreParenImpCasts());
  if (!ASE)
    return E;
  const auto *Arr = dyn_cast<MemberExpr>(ASE->getBase()->IgnoreParenImpCasts());
  return Arr && Arr->getType()->isArrayType() ? Arr : E;
}

std::optional<std::string> LockAnalysis::Impl::objectOf(const Expr *E,
                                                        const FunctionDecl *Fn,
                                                        bool Elements) {
  E = E->IgnoreParenCasts();
  auto Step = [&](const Expr *X) {
    return Elements ? arrayMemberOf(X) : X->IgnoreParens();
  };
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf) {
    const Expr *Sub = Step(U->getSubExpr()->IgnoreParens());
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow())
        return pointerName(ME->getBase(), Fn);
      Sub = Step(ME->getBase()->IgnoreParens());
    }
    return std::nullopt;
  }
  return pointerName(E, Fn);
}

std::optional<std::string>
LockAnalysis::Impl::objectOfAccess(const MemberExpr *ME, const FunctionDecl *Fn,
                                   bool Elements) {
  for (unsigned Depth = 0; Depth < 16 && !ME->isArrow(); ++Depth) {
    const Expr *B = ME->getBase();
    const auto *Base =
        dyn_cast<MemberExpr>(Elements ? arrayMemberOf(B) : B->IgnoreParenImpCasts());
    if (!Base)
      return std::nullopt;
    ME = Base;
  }
  return ME->isArrow() ? pointerName(ME->getBase(), Fn) : std::nullopt;
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
    // By lookup, which sees into anonymous structs and unions:
    // io_ring_ctx's uring_lock is in one.
    const FieldDecl *Field = nullptr;
    for (const NamedDecl *D : RD->lookup(&Ctx.Idents.get(M))) {
      if (const auto *F = dyn_cast<FieldDecl>(D))
        Field = F;
      else if (const auto *I = dyn_cast<IndirectFieldDecl>(D))
        Field = I->getAnonField();
    }
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

} // namespace kmark
