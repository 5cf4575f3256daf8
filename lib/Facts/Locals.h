//===- Locals.h - Which local variable a statement writes -----------------===//
//
// Both the lock names (a pointer variable's value) and the kinds of object
// (a variable's initialiser) trust a local only while nothing assigns it
// again; this is the one test of "assigns it" they share.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_FACTS_LOCALS_H
#define KMARK_FACTS_LOCALS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace kmark {

/// The variable S writes when S is an assignment (`=`, `op=`) or an
/// increment or decrement of a variable named directly; else null.
inline const clang::VarDecl *assignedVariable(const clang::Stmt *S) {
  const clang::Expr *Target = nullptr;
  if (const auto *BO = llvm::dyn_cast<clang::BinaryOperator>(S);
      BO && BO->isAssignmentOp())
    Target = BO->getLHS();
  else if (const auto *UO = llvm::dyn_cast<clang::UnaryOperator>(S);
           UO && UO->isIncrementDecrementOp())
    Target = UO->getSubExpr();
  if (!Target)
    return nullptr;
  const auto *D =
      llvm::dyn_cast<clang::DeclRefExpr>(Target->IgnoreParenImpCasts());
  return D ? llvm::dyn_cast<clang::VarDecl>(D->getDecl()) : nullptr;
}

} // namespace kmark

#endif // KMARK_FACTS_LOCALS_H
