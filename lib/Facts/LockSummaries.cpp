//===- LockSummaries.cpp - What a callee does to its caller's locks -------===//
//
// Function bodies' facts, callees summarised first (Tarjan's SCCs), and
// a call's effects in its caller's names.
//
//===----------------------------------------------------------------------===//

#include "LockSetImpl.h"
#include "Locals.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace kmark {

using namespace locks;

llvm::SmallVector<LockAnalysis::Impl::CallEffect, 2> LockAnalysis::Impl::callEffects(const CallExpr *CE, const FunctionDecl *Fn) {
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
      R.push_back({E.Op, *Id, E.Mode, E.SuccessIsZero});
  }
  return R;
}

llvm::ArrayRef<LockEffect> LockAnalysis::Impl::summaryOf(const FunctionDecl *FD) {
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

const FunctionDecl *LockAnalysis::Impl::bodyOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  return FD->hasBody(Def) && Def && !Def->isDependentContext() ? Def
                                                               : nullptr;
}

void LockAnalysis::Impl::strongConnect(const FunctionDecl *FD, unsigned Depth) {
  TarjanNode &N = Tarjan[FD];
  N.Index = N.Low = TarjanIndex++;
  N.OnStack = true;
  TarjanStack.push_back(FD);
  if (const FunctionDecl *Def = bodyOf(FD); Def && Depth < 256)
    for (const FunctionDecl *C : bodyInfo(Def).Callees) {
      if (Summaries.contains(C) || Model.LockFunctions.contains(C->getName()))
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
  Computed.reserve(SCC.size());
  for (const FunctionDecl *M : SCC)
    Computed.push_back(summarise(M));
  for (size_t I = 0; I < SCC.size(); ++I) {
    Summaries[SCC[I]].Effects = std::move(Computed[I]);
    Summaries[SCC[I]].Done = true;
  }
}

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
    if (const VarDecl *VD = assignedVariable(S)) {
      B.Assigned.insert(VD);
    } else if (const auto *U = dyn_cast<UnaryOperator>(S);
               U && U->getOpcode() == UO_AddrOf) {
      if (const auto *D =
              dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()))
          B.AddressTaken.insert(VD);
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
      if (M.Offset >= DB.second && M.Offset <= EO) {
        if (M.K == MacroMarks::LockAssert)
          B.Asserts.push_back(&M);
        else if (M.K == MacroMarks::PublishStore)
          B.PublishStores.push_back(&M);
      }
  }
  return B;
}

} // namespace kmark
