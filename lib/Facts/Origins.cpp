//===- Origins.cpp - Where an accessed object comes from ------------------===//

#include "Origins.h"

#include "Macros.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Builtins.h"

#include <algorithm>
#include <utility>

using namespace clang;

namespace kmark {

static Origin origin(OriginKind Kind, llvm::StringRef Source = {},
                     unsigned Param = 0) {
  Origin O;
  O.Kind = Kind;
  O.Source = Source;
  O.Param = static_cast<uint16_t>(std::min(Param, 0xffffU));
  return O;
}

/// Whether a call to FD returns memory no one else has: by the model's
/// names, or by the malloc attribute the kernel's __alloc_size() and
/// __malloc expand to (__kvmalloc_node_noprof(), kmemdup_noprof()).
/// __realloc_size() carries no malloc attribute: krealloc() may return
/// the object it was given.
static bool isAllocatorCall(const FunctionDecl *FD, const KernelModel &Model) {
  return FD && FD->getIdentifier() &&
         (Model.isAllocator(FD->getName()) || FD->hasAttr<RestrictAttr>());
}

/// A variable of this function's frame that holds an object, not a
/// pointer to one: until its address escapes, no other CPU sees it.
static bool isStackObject(const VarDecl *VD) {
  if (!VD->hasLocalStorage())
    return false; // a struct parameter is passed by value: a copy
  QualType T = VD->getType();
  return T->isRecordType() || T->isArrayType();
}

/// The value of a statement expression (container_of(), alloc_hooks()):
/// its last statement, if that is an expression.
static const Expr *valueOf(const StmtExpr *SE) {
  const CompoundStmt *CS = SE->getSubStmt();
  return CS->body_empty() ? nullptr : dyn_cast<Expr>(CS->body_back());
}

template <typename Fn_> static void forEachStmt(const Stmt *S, Fn_ &&F) {
  if (!S)
    return;
  F(S);
  for (const Stmt *C : S->children())
    forEachStmt(C, F);
}

/// Whether N counts whole objects of type T: `sizeof(*p)`, `sizeof(T)`,
/// `z * sizeof(*p)`, or a local set to one (the fortified memset()'s
/// `__fortify_size`).
static bool wholeObjects(const Expr *N, QualType T, ASTContext &Ctx,
                         unsigned Depth = 0) {
  if (!N || Depth > 4)
    return false;
  N = N->IgnoreParenCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(N);
      BO && BO->getOpcode() == BO_Mul)
    return wholeObjects(BO->getLHS(), T, Ctx, Depth + 1) ||
           wholeObjects(BO->getRHS(), T, Ctx, Depth + 1);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(N)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
           wholeObjects(VD->getInit(), T, Ctx, Depth + 1);
  }
  const auto *U = dyn_cast<UnaryExprOrTypeTraitExpr>(N);
  return U && U->getKind() == UETT_SizeOf &&
         ASTContext::hasSameUnqualifiedType(U->getTypeOfArgument(), T);
}

/// The local pointer to a struct that a call clears whole, `memset(d, 0,
/// sizeof(*d))` or `z * sizeof(*d)` (fortified or not, the call is the
/// builtin's): whoever clears memory holds it alone, or the clearing is
/// itself the racing store and no WRITE_ONCE() after it would help.  A
/// partial clear (a header, up to offsetof()) says nothing of the rest.
/// Parameters are left out: clearing the object a caller passed says
/// nothing of who else can reach it.
static const VarDecl *clearedLocal(const CallExpr *CE, ASTContext &Ctx) {
  unsigned ID = CE->getBuiltinCallee();
  if ((ID != Builtin::BImemset && ID != Builtin::BI__builtin_memset) ||
      CE->getNumArgs() != 3)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreParenCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
    return nullptr;
  const auto *PT = VD->getType()->getAs<PointerType>();
  if (!PT || !PT->getPointeeType()->isRecordType() ||
      !wholeObjects(CE->getArg(2), PT->getPointeeType(), Ctx))
    return nullptr;
  return VD;
}

/// Whether CE runs on every path through Body's outermost block that
/// reaches the statements after it: part of an expression statement of
/// that block, not inside an `if`, a loop or a `switch`.
static bool unconditional(const CallExpr *CE, const Stmt *Body) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS)
    return false;
  for (const Stmt *S : CS->body()) {
    bool Found = false;
    forEachStmt(S, [&](const Stmt *X) { Found = Found || X == CE; });
    if (Found)
      return isa<Expr>(S);
  }
  return false;
}

std::optional<Origin> Origins::of(const Expr *E, unsigned Depth) {
  if (!E || Depth > 12)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      auto It = Locals.find(VD);
      if (It != Locals.end()) // Unknown once reassigned
        return It->second.Kind == OriginKind::Unknown
                   ? std::nullopt
                   : std::optional<Origin>(It->second);
      // An object in this function's own frame.
      if (isStackObject(VD))
        return origin(OriginKind::Stack);
      // A local not seen yet, such as the one inside container_of().
      if (VD->hasLocalStorage() && VD->getInit())
        return of(VD->getInit(), Depth + 1);
      // The object a parameter points to: its callers say if it is new.
      if (const auto *PVD = dyn_cast<ParmVarDecl>(VD))
        if (PVD->getType()->isPointerType())
          return origin(OriginKind::Param, {},
                        PVD->getFunctionScopeIndex() + 1);
    }
    return std::nullopt;
  }
  // &local, &local.member: the frame's own object; &p[i]: p's.
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_AddrOf)
      return std::nullopt;
    const Expr *Sub = UO->getSubExpr()->IgnoreParens();
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow())
        return of(ME->getBase(), Depth + 1);
      Sub = ME->getBase()->IgnoreParens();
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Sub))
      return of(ASE->getBase(), Depth + 1);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Sub))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (isStackObject(VD))
          return origin(OriginKind::Stack);
    return std::nullopt;
  }
  // p[i] and p->array (decayed): the elements of p's object.
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return of(ASE->getBase(), Depth + 1);
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (ME->getType()->isArrayType())
      return of(ME->getBase(), Depth + 1);
    // A member this function pointed at a new object.
    if (auto Key = memberKey(ME)) {
      auto It = FreshMembers.find(*Key);
      if (It != FreshMembers.end())
        return It->second;
    }
    return std::nullopt;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    // Since 6.10 kzalloc() & co. are macros around kzalloc_noprof():
    // the allocator is the same with or without the suffix.
    if (isAllocatorCall(Callee, Model))
      return origin(OriginKind::Fresh, Out.save(Callee->getName()));
    // A function of this TU that returns what an allocator returned
    // (perf_event_alloc(), allocate_probes()).
    if (Callee && Callee->getIdentifier() && returnsFresh(Callee))
      return origin(OriginKind::Fresh,
                    returnsCleared(Callee) ? llvm::StringRef(ClearedMemory)
                                           : Out.save(Callee->getName()));
    // An accessor such as inet_sk(newsk) or netdev_priv(dev): the result
    // is an address inside the argument's object.  Not bio_list_pop(&l),
    // which returns a pointer it loads from the list.
    if (CE->getNumArgs() == 1 && CE->getType()->isPointerType() && Callee &&
        returnsIntoParam(Callee))
      return of(CE->getArg(0), Depth + 1);
    return std::nullopt;
  }
  if (const auto *SE = dyn_cast<StmtExpr>(E)) { // container_of()
    if (const Expr *Last = valueOf(SE))
      return of(Last, Depth + 1);
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    if (BO->isAdditiveOp() && BO->getType()->isPointerType())
      return of(BO->getLHS(), Depth + 1);
  return std::nullopt;
}

std::optional<Origins::MemberKey> Origins::memberKey(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParens());
  if (!ME)
    return std::nullopt;
  const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!FD || !VD || !VD->hasLocalStorage())
    return std::nullopt;
  return std::make_pair(VD, FD);
}

void Origins::assign(const Expr *LHS, const Expr *RHS) {
  // obj->member = new object, obj itself not yet published: the member
  // leads to an object no other CPU can reach either.
  if (auto Key = memberKey(LHS)) {
    FreshMembers.erase(*Key);
    if (!Key->second->getType()->isPointerType())
      return;
    std::optional<Origin> Obj =
        of(cast<MemberExpr>(LHS->IgnoreParens())->getBase());
    std::optional<Origin> Val = of(RHS);
    if (Obj && Obj->unpublished() && Val && Val->unpublished())
      FreshMembers[*Key] = *Val;
    return;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParens());
  if (!DRE)
    return;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD || !VD->hasLocalStorage() || !VD->getType()->isPointerType())
    return;
  // Neither its initialiser's origin nor its own, if RHS has none.
  Locals[VD] = of(RHS).value_or(Origin());
  // What its old object's members led to says nothing of the new one's.
  for (auto It = FreshMembers.begin(); It != FreshMembers.end();) {
    auto Cur = It++;
    if (Cur->first.first == VD)
      FreshMembers.erase(Cur);
  }
}


/// What each argument of a call passes: an object not yet published,
/// one of this function's parameters, or something else.
std::vector<ArgOrigin> Origins::args(const CallExpr *CE) {
  std::vector<ArgOrigin> Args;
  for (const Expr *Arg : CE->arguments()) {
    std::optional<Origin> O = of(Arg);
    ArgOrigin A;
    if (O && O->Kind == OriginKind::Param) {
      A.K = ArgOrigin::Param;
      A.Index = O->Param;
      const auto *D = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts());
      A.Itself = D && isa<ParmVarDecl>(D->getDecl());
    } else if (O && O->unpublished()) {
      A.K = ArgOrigin::Fresh;
    }
    Args.push_back(A);
  }
  while (!Args.empty() && Args.back().K == ArgOrigin::Other)
    Args.pop_back();
  return Args;
}

/// Whether E (in a function other than the one being walked) yields a
/// fresh object or no object: an allocator's result, NULL, ERR_PTR(),
/// or a local every assignment of which is one of those.
bool Origins::freshOrNone(const Expr *E, const Stmt *Body, bool &Fresh,
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
    const Expr *Last = valueOf(SE);
    return Last && freshOrNone(Last, SE->getSubStmt(), Fresh, Depth + 1);
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return false;
    llvm::StringRef Name = Callee->getName();
    if (Model.ErrorPointers.contains(Name))
      return true;
    if (isAllocatorCall(Callee, Model) || returnsFresh(Callee)) {
      Fresh = true;
      SawClear |= returnsCleared(Callee);
      return true;
    }
    return false;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
    return false;
  // A slot the function clears before it hands it out, wherever it was
  // taken from (firewire's context_get_descriptors(): the next descriptors
  // of a ring, memset() to zero): a whole clear on every path, every
  // assignment of the local before it, this return after it.  Not
  // `f = lookup(); if (f) return f; f = alloc(); memset(f, ...)`.
  const SourceManager &SM = Ctx.getSourceManager();
  auto Before = [&](SourceLocation A, SourceLocation B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                        SM.getExpansionLoc(B));
  };
  const CallExpr *Clear = nullptr;
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *CE = dyn_cast<CallExpr>(S);
        CE && !Clear && clearedLocal(CE, Ctx) == VD && unconditional(CE, Body))
      Clear = CE;
  });
  if (Clear && Before(Clear->getEndLoc(), E->getBeginLoc())) {
    bool AllBefore = true;
    forEachStmt(Body, [&](const Stmt *S) {
      const auto *BO = dyn_cast<BinaryOperator>(S);
      const auto *L =
          BO && BO->isAssignmentOp()
              ? dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens())
              : nullptr;
      if (L && L->getDecl() == VD &&
          !Before(BO->getEndLoc(), Clear->getBeginLoc()))
        AllBefore = false;
    });
    if (AllBefore) {
      Fresh = true;
      SawClear = true;
      return true;
    }
  }
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


/// Whether E is an address inside the object P points to, computed without
/// loading a pointer: P itself, cast, moved by an offset (container_of(),
/// `(void *)p + size`), its tag bits masked (`(unsigned long)p & ~3`),
/// the address of one of its members or elements, or another accessor's
/// result.
bool Origins::addressInto(const Expr *E, const ParmVarDecl *P,
                          unsigned Depth) {
  if (!E || Depth > 8)
    return false;
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (DRE->getDecl() == P)
      return true;
    // container_of()'s __mptr, set once from the argument.
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) &&
           VD->getInit() && addressInto(VD->getInit(), P, Depth + 1);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_AddrOf)
      return false;
    const Expr *Sub = UO->getSubExpr()->IgnoreParens();
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow())
        return addressInto(ME->getBase(), P, Depth + 1);
      Sub = ME->getBase()->IgnoreParens();
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Sub))
      return addressInto(ASE->getBase(), P, Depth + 1);
    return false;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) // p->array, decayed
    return ME->isArrow() && ME->getType()->isArrayType() &&
           addressInto(ME->getBase(), P, Depth + 1);
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->isAdditiveOp())
      return addressInto(BO->getLHS(), P, Depth + 1);
    if (BO->isBitwiseOp())
      return addressInto(BO->getLHS(), P, Depth + 1) ||
             addressInto(BO->getRHS(), P, Depth + 1);
    return false;
  }
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    const Expr *Last = valueOf(SE);
    return Last && addressInto(Last, P, Depth + 1);
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    return CE->getNumArgs() == 1 && Callee && returnsIntoParam(Callee) &&
           addressInto(CE->getArg(0), P, Depth + 1);
  }
  return false;
}

bool Origins::returnsIntoParam(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || Def->getNumParams() != 1)
    return false;
  auto [It, New] = ReturnsIntoParam.try_emplace(Def->getCanonicalDecl(), false);
  if (!New)
    return It->second;
  const ParmVarDecl *P = Def->getParamDecl(0);
  bool OK = true, Any = false;
  forEachStmt(Def->getBody(), [&](const Stmt *S) {
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      Any = true;
      OK = OK && addressInto(R->getRetValue(), P, 0);
    }
  });
  ReturnsIntoParam[Def->getCanonicalDecl()] = OK && Any;
  return OK && Any;
}

/// Whether a function of this TU returns only fresh objects (and NULL or
/// errors): its callers get an object nobody else has seen.
bool Origins::returnsFresh(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD->getReturnType()->isPointerType() || !FD->hasBody(Def) || !Def)
    return false;
  auto [It, New] = ReturnsFresh.try_emplace(Def->getCanonicalDecl(), false);
  if (!New)
    return It->second; // known, or being computed: no
  const Stmt *Body = Def->getBody();
  bool OK = true, Fresh = false;
  bool Outer = std::exchange(SawClear, false);
  forEachStmt(Body, [&](const Stmt *S) {
    if (const auto *R = dyn_cast<ReturnStmt>(S))
      if (OK)
        OK = freshOrNone(R->getRetValue(), Body, Fresh, 0);
  });
  if (OK && Fresh && SawClear)
    ReturnsCleared.insert(Def->getCanonicalDecl());
  SawClear = Outer;
  ReturnsFresh[Def->getCanonicalDecl()] = OK && Fresh;
  return OK && Fresh;
}

bool Origins::returnsCleared(const FunctionDecl *FD) const {
  const FunctionDecl *Def = nullptr;
  return FD->hasBody(Def) && Def &&
         ReturnsCleared.contains(Def->getCanonicalDecl());
}

std::optional<Origin> Origins::ofBase(const MemberExpr *ME) {
  const Expr *B = ME->getBase();
  for (unsigned Depth = 0; Depth < 16; ++Depth) {
    B = B->IgnoreParenImpCasts();
    const auto *Inner = dyn_cast<MemberExpr>(B);
    if (!Inner || ME->isArrow())
      break;
    ME = Inner; // smc->sk.sk_err: the object is smc's
    B = Inner->getBase();
  }
  return of(B);
}
Origin Origins::newInode() {
  Origin O;
  O.Kind = OriginKind::NewInode;
  return O;
}

/// The inode variable V of a condition `V->i_state & I_NEW` (Negated:
/// `!(V->i_state & I_NEW)`).
const VarDecl *Origins::newInodeTest(const Expr *Cond, bool &Negated) {
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
        ME->getMemberDecl()->getName() != Model.NewInodeField)
      continue;
    SourceLocation L = Other->IgnoreParenImpCasts()->getBeginLoc();
    if (!L.isMacroID() ||
        !llvm::is_contained(enclosingMacros(L, Ctx.getSourceManager(), Ctx.getLangOpts()),
                            llvm::StringRef(Model.NewInodeFlag)))
      continue;
    const auto *DRE =
        dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
    if (DRE)
      return dyn_cast<VarDecl>(DRE->getDecl());
  }
  return nullptr;
}

void Origins::declare(const VarDecl *VD) {
  const Expr *Init = VD->getInit();
  if (Init && VD->hasLocalStorage() && VD->getType()->isPointerType())
    if (std::optional<Origin> O = of(Init))
      Locals[VD] = *O;
}

void Origins::cleared(const CallExpr *CE, const Stmt *Body) {
  if (const VarDecl *VD = clearedLocal(CE, Ctx); VD && unconditional(CE, Body))
    Locals[VD] = origin(OriginKind::Fresh, ClearedMemory);
}

void Origins::published(const CallExpr *CE) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier() ||
      !Model.PublishNewInode.contains(Callee->getName()))
    return;
  for (const Expr *Arg : CE->arguments())
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        auto It = Locals.find(VD);
        if (It != Locals.end() && It->second.Kind == OriginKind::NewInode)
          Locals.erase(It);
      }
}

std::optional<Origin> Origins::local(const VarDecl *VD) const {
  auto It = Locals.find(VD);
  if (It == Locals.end())
    return std::nullopt;
  return It->second;
}

void Origins::setLocal(const VarDecl *VD, std::optional<Origin> O) {
  if (O)
    Locals[VD] = *O;
  else
    Locals.erase(VD);
}

} // namespace kmark
