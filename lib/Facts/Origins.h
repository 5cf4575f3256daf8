//===- Origins.h - Where an accessed object comes from --------------------===//
//
// Whether the object an access reaches can be seen by another CPU yet: an
// allocator's result, an allocator wrapper's (a function of the TU that
// returns only new objects, NULL or error pointers), the function's own
// stack frame, an inode still marked I_NEW, or the object one of the
// function's parameters points to (fresh when every caller passes a fresh
// one, which the rules decide over the index).  Locals are followed
// through their initialisers and assignments, and so is a pointer member
// of an object not yet published that this function set to a fresh
// object (`conf->disks = kcalloc(...)`: conf->disks[i] is new too); there
// is no escape analysis.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_FACTS_ORIGINS_H
#define KMARK_LIB_FACTS_ORIGINS_H

#include "kmark/Facts.h"
#include "kmark/Model.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FieldDecl;
class FunctionDecl;
class MemberExpr;
class ParmVarDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace kmark {

class Origins {
public:
  Origins(clang::ASTContext &Ctx, const KernelModel &Model, FactSet &Out)
      : Ctx(Ctx), Model(Model), Out(Out) {}

  /// Forgets the locals of the function walked before.
  void beginFunction() {
    Locals.clear();
    FreshMembers.clear();
  }

  /// Where the object E points to (or is) comes from, if known.
  std::optional<Origin> of(const clang::Expr *E, unsigned Depth = 0);
  /// The origin of the object a member access reaches (smc->sk.sk_err: the
  /// object is smc's).
  std::optional<Origin> ofBase(const clang::MemberExpr *ME);
  /// A local pointer initialised or assigned: it now points where the value
  /// does (or nowhere known).
  void declare(const clang::VarDecl *VD);
  void assign(const clang::Expr *LHS, const clang::Expr *RHS);
  /// What each argument of a call passes: an object not yet published, one
  /// of this function's parameters, or something else.
  std::vector<ArgOrigin> args(const clang::CallExpr *CE);
  /// A call that clears the whole struct a local points to (memset()) on
  /// every path through Body: the local's object is this function's alone
  /// from there on, until the local is assigned again.
  void cleared(const clang::CallExpr *CE, const clang::Stmt *Body);
  /// A call that publishes a new inode it is given (unlock_new_inode()).
  void published(const clang::CallExpr *CE);
  /// The inode variable V of a condition `V->i_state & I_NEW` (Negated:
  /// `!(V->i_state & I_NEW)`).
  const clang::VarDecl *newInodeTest(const clang::Expr *Cond, bool &Negated);
  /// The origin recorded for a local, to save and restore around a scope.
  std::optional<Origin> local(const clang::VarDecl *VD) const;
  void setLocal(const clang::VarDecl *VD, std::optional<Origin> O);
  static Origin newInode();
  /// Whether a function of one pointer parameter returns an address inside
  /// the object it is given on every return (an accessor: netdev_priv()).
  bool returnsIntoParam(const clang::FunctionDecl *FD);

private:
  bool freshOrNone(const clang::Expr *E, const clang::Stmt *Body, bool &Fresh,
                   unsigned Depth);
  bool returnsFresh(const clang::FunctionDecl *FD);
  /// After returnsFresh(FD): whether what FD returns may be memory cleared
  /// rather than allocated (Origin::Source is then ClearedMemory).
  bool returnsCleared(const clang::FunctionDecl *FD) const;
  bool addressInto(const clang::Expr *E, const clang::ParmVarDecl *P,
                   unsigned Depth);
  /// `V->f` or `V.f` with V a local: the key of a member set to a fresh
  /// object.
  using MemberKey = std::pair<const clang::VarDecl *, const clang::FieldDecl *>;
  static std::optional<MemberKey> memberKey(const clang::Expr *E);

  clang::ASTContext &Ctx;
  const KernelModel &Model;
  FactSet &Out;
  /// Where local pointers' objects come from; Unknown once a local is
  /// assigned something of no known origin.
  llvm::DenseMap<const clang::VarDecl *, Origin> Locals;
  /// Pointer members of unpublished locals' objects that this function set
  /// to an unpublished object, with that object's origin; dropped when the
  /// member or the local is assigned again.
  llvm::DenseMap<MemberKey, Origin> FreshMembers;
  llvm::DenseMap<const clang::FunctionDecl *, bool> ReturnsFresh;
  /// Of those, the ones some return of which is memory they (or a function
  /// they call) cleared, not allocated; and whether the return being
  /// looked at is one.
  llvm::DenseSet<const clang::FunctionDecl *> ReturnsCleared;
  bool SawClear = false;
  llvm::DenseMap<const clang::FunctionDecl *, bool> ReturnsIntoParam;
};

} // namespace kmark

#endif // KMARK_LIB_FACTS_ORIGINS_H
