//===- Kinds.h - Which kind of object an access touches -------------------===//
//
// Many kinds of object share one struct: every protocol's socket is a
// `struct sock`, every filesystem's inode a `struct inode`, several qdiscs
// embed one stats struct.  Evidence about a field of such a struct holds
// for the kind of object it was seen on: TCP's READ_ONCE() of sk_err says
// nothing about an SMC socket's.  The kind of an access is the outermost
// struct the function knows the object to be part of: from the access path
// (`smc->sk.sk_err` is an smc_sock's), or from a conversion of the same
// pointer in the function (`smc_sk(sk)`, `container_of(sk, ...)`, a cast
// to a struct that embeds the pointee).  It is written as the chain of
// structs from there down to the field's own, "smc_sock>sock"; empty when
// the function sees only the field's own struct.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_LIB_FACTS_KINDS_H
#define KMARK_LIB_FACTS_KINDS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Expr;
class FieldDecl;
class FunctionDecl;
class MemberExpr;
class RecordDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace kmark {

class FactSet;
class Keys;

class ObjectKinds {
public:
  ObjectKinds(Keys &K, FactSet &Out) : K(K), Out(Out) {}

  /// Collects the conversions of FD's body (one pass over it).
  void beginFunction(const clang::FunctionDecl *FD);
  /// Outside any function (a static initialiser): no conversions.
  void endFunction() {
    Fn = nullptr;
    Assigned.clear();
    Converted.clear();
  }

  /// The kind of the object a member access touches: "smc_sock>sock", or
  /// "" when nothing more than the field's own struct is known.
  llvm::StringRef kindOf(const clang::MemberExpr *ME,
                         const clang::FieldDecl *Field);
  /// The members embedded in the object on the way to the field, as
  /// declared (through macros that rename them, and elements of array
  /// members, not of pointer members),
  /// outermost first and joined by '.': "replicas_gc" for
  /// c->replicas_gc.nr; "" for none.  A field directly in a union's arm
  /// is named by the union's member: "rcu_read_unlock_special" for
  /// t->rcu_read_unlock_special.b.blocked; "" when members lie below the
  /// arm.
  llvm::StringRef membersOf(const clang::MemberExpr *ME);
  /// The kind of the object a pointer points to, down to its pointee's
  /// struct: "smc_sock>sock" for &smc->sk; "" if no more is known.
  llvm::StringRef kindOfPointer(const clang::Expr *E);
  /// Whether the function begun assigns VD anywhere after its declaration.
  bool reassigned(const clang::VarDecl *VD) const {
    return Assigned.contains(VD);
  }

private:
  /// A name for the pointer E within the function, if it has a stable one
  /// (a parameter, a local never reassigned, a member chain of those).
  std::optional<std::string> identity(const clang::Expr *E, unsigned Depth = 0);
  /// The outermost struct the object E points to is known to be part of.
  const clang::RecordDecl *outerOf(const clang::Expr *E, unsigned Depth = 0);
  /// If E converts a pointer to a struct that embeds its pointee, the
  /// pointer converted and the struct.
  const clang::Expr *conversion(const clang::Expr *E,
                                const clang::RecordDecl *&To);
  /// The structs from Outer down to Inner through embedded members, joined
  /// by '>'; "" if Inner is not embedded in Outer.
  std::string chain(const clang::RecordDecl *Outer,
                    const clang::RecordDecl *Inner);
  /// Whether Outer embeds Inner (at any depth, not through pointers).
  bool embeds(const clang::RecordDecl *Outer, const clang::RecordDecl *Inner);
  void noteConversions(const clang::Stmt *S, unsigned Depth);

  Keys &K;
  FactSet &Out;
  const clang::FunctionDecl *Fn = nullptr;
  llvm::DenseMap<const clang::VarDecl *, bool> Assigned;
  /// Pointer identity -> the outermost struct it is converted to here.
  llvm::StringMap<const clang::RecordDecl *> Converted;
  llvm::DenseMap<std::pair<const clang::RecordDecl *, const clang::RecordDecl *>,
                 std::string>
      Chains;
};

} // namespace kmark

#endif // KMARK_LIB_FACTS_KINDS_H
