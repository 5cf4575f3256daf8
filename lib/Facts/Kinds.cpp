//===- Kinds.cpp - Which kind of object an access touches -----------------===//

#include "Kinds.h"

#include "Keys.h"
#include "Locals.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/StringExtras.h"

#include <deque>

using namespace clang;

namespace kmark {

namespace {

/// The struct a pointer type points to, if any.
const RecordDecl *pointee(QualType T) {
  if (T.isNull() || !T->isPointerType())
    return nullptr;
  const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
  return RD ? RD->getDefinition() : nullptr;
}

/// The named struct a field's key is made of: members of anonymous structs
/// and unions belong to the nearest named one.
const RecordDecl *keyRecord(const FieldDecl *FD) {
  const RecordDecl *RD = FD->getParent();
  for (unsigned Depth = 0; RD && Depth < 16; ++Depth) {
    if (RD->getIdentifier() || RD->getTypedefNameForAnonDecl())
      return RD;
    const auto *Parent = dyn_cast<RecordDecl>(RD->getDeclContext());
    if (!Parent)
      return RD;
    RD = Parent;
  }
  return RD;
}

bool named(const RecordDecl *RD) {
  return RD->getIdentifier() || RD->getTypedefNameForAnonDecl();
}

} // namespace

std::string ObjectKinds::chain(const RecordDecl *Outer,
                               const RecordDecl *Inner) {
  if (!Outer || !Inner || Outer == Inner)
    return "";
  auto [It, New] = Chains.try_emplace({Outer, Inner});
  if (!New)
    return It->second;
  // Breadth first through members that are structs (not pointers), so the
  // shortest embedding wins; anonymous structs on the way are not named.
  struct Step {
    const RecordDecl *RD;
    std::vector<const RecordDecl *> Path;
  };
  std::deque<Step> Work;
  Work.push_back({Outer, {Outer}});
  std::string Found;
  for (unsigned Visited = 0; !Work.empty() && Visited < 512; ++Visited) {
    Step S = std::move(Work.front());
    Work.pop_front();
    if (S.Path.size() > 10)
      continue;
    for (const FieldDecl *F : S.RD->fields()) {
      const RecordDecl *Sub = F->getType()->getAsRecordDecl();
      if (Sub)
        Sub = Sub->getDefinition();
      if (!Sub)
        continue;
      std::vector<const RecordDecl *> Path = S.Path;
      Path.push_back(Sub);
      if (Sub == Inner) {
        std::vector<std::string> Names;
        for (const RecordDecl *R : Path)
          if (named(R))
            Names.push_back(K.record(R));
        Found = llvm::join(Names, ">");
        Work.clear();
        break;
      }
      Work.push_back({Sub, std::move(Path)});
    }
  }
  Chains[{Outer, Inner}] = Found;
  return Found;
}

bool ObjectKinds::embeds(const RecordDecl *Outer, const RecordDecl *Inner) {
  return Outer == Inner || !chain(Outer, Inner).empty();
}

const Expr *ObjectKinds::conversion(const Expr *E, const RecordDecl *&To) {
  E = E->IgnoreParens();
  To = pointee(E->getType());
  if (!To)
    return nullptr;
  // (struct tcp_sock *)sk
  if (const auto *C = dyn_cast<ExplicitCastExpr>(E)) {
    const Expr *Sub = C->getSubExpr()->IgnoreParenImpCasts();
    const RecordDecl *From = pointee(Sub->getType());
    return From && From != To && embeds(To, From) ? Sub : nullptr;
  }
  // tcp_sk(sk), smc_sk(sk), EXT4_I(inode): one pointer in, a pointer to a
  // struct that embeds its pointee out.
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (CE->getNumArgs() != 1 || !CE->getDirectCallee())
      return nullptr;
    const Expr *Arg = CE->getArg(0)->IgnoreParenImpCasts();
    const RecordDecl *From = pointee(Arg->getType());
    return From && From != To && embeds(To, From) ? Arg : nullptr;
  }
  // container_of(ptr, type, member): a statement expression that subtracts
  // offsetof(type, member) from ptr.
  if (const auto *SE = dyn_cast<StmtExpr>(E)) {
    bool HasOffsetOf = false;
    const Expr *Ptr = nullptr;
    std::vector<const Stmt *> Work{SE->getSubStmt()};
    for (unsigned N = 0; !Work.empty() && N < 256; ++N) {
      const Stmt *S = Work.back();
      Work.pop_back();
      if (!S)
        continue;
      if (const auto *O = dyn_cast<OffsetOfExpr>(S))
        HasOffsetOf |= O->getTypeSourceInfo()->getType()->getAsRecordDecl() ==
                       To;
      if (const auto *X = dyn_cast<Expr>(S); X && !Ptr) {
        const Expr *Inner = X->IgnoreParenImpCasts();
        const RecordDecl *From = pointee(Inner->getType());
        if (From && From != To && embeds(To, From))
          Ptr = Inner;
      }
      for (const Stmt *C : S->children())
        Work.push_back(C);
    }
    return HasOffsetOf ? Ptr : nullptr;
  }
  return nullptr;
}

std::optional<std::string> ObjectKinds::identity(const Expr *E,
                                                 unsigned Depth) {
  if (!E || Depth > 8)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    if (VD->isLocalVarDecl() && VD->getInit() && !Assigned.lookup(VD))
      if (std::optional<std::string> Init = identity(VD->getInit(), Depth + 1))
        return Init;
    return "#" + llvm::utohexstr(reinterpret_cast<uintptr_t>(VD));
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    std::optional<std::string> Base = identity(ME->getBase(), Depth + 1);
    if (!Base || !ME->getMemberDecl()->getIdentifier())
      return std::nullopt;
    return *Base + (ME->isArrow() ? "->" : ".") +
           ME->getMemberDecl()->getName().str();
  }
  return std::nullopt;
}

const RecordDecl *ObjectKinds::outerOf(const Expr *E, unsigned Depth) {
  if (!E || Depth > 12)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  const RecordDecl *To = nullptr;
  if (const Expr *From = conversion(E, To)) {
    const RecordDecl *R = outerOf(From, Depth + 1);
    return R && embeds(R, To) ? R : To;
  }
  // &X->a.b: a part of the object X points to.
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf) {
    const Expr *Sub = U->getSubExpr()->IgnoreParens();
    while (const auto *ME = dyn_cast<MemberExpr>(Sub)) {
      if (ME->isArrow())
        return outerOf(ME->getBase(), Depth + 1);
      Sub = ME->getBase()->IgnoreParens();
    }
    if (const RecordDecl *RD = Sub->getType()->getAsRecordDecl())
      return RD->getDefinition();
    return nullptr;
  }
  if (std::optional<std::string> Id = identity(E)) {
    auto It = Converted.find(*Id);
    if (It != Converted.end())
      return It->second ? It->second : pointee(E->getType());
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->isLocalVarDecl() && VD->getInit() && !Assigned.lookup(VD))
        if (const RecordDecl *R = outerOf(VD->getInit(), Depth + 1))
          return R;
  return pointee(E->getType());
}

void ObjectKinds::noteConversions(const Stmt *S, unsigned Depth) {
  if (!S || Depth > 256)
    return;
  if (const auto *E = dyn_cast<Expr>(S)) {
    const RecordDecl *To = nullptr;
    if (const Expr *From = conversion(E, To))
      if (std::optional<std::string> Id = identity(From)) {
        auto [It, New] = Converted.try_emplace(*Id, To);
        // Two conversions of one pointer: the outer struct, or no kind
        // when neither embeds the other.
        if (!New && It->second && It->second != To) {
          if (embeds(To, It->second))
            It->second = To;
          else if (!embeds(It->second, To))
            It->second = nullptr;
        }
      }
  }
  for (const Stmt *C : S->children())
    noteConversions(C, Depth + 1);
}

void ObjectKinds::beginFunction(const FunctionDecl *FD) {
  Fn = FD;
  Assigned.clear();
  Converted.clear();
  const Stmt *Body = FD->getBody();
  std::vector<const Stmt *> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.back();
    Work.pop_back();
    if (!S)
      continue;
    if (const VarDecl *VD = assignedVariable(S))
      Assigned[VD] = true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  noteConversions(Body, 0);
}

llvm::StringRef ObjectKinds::kindOf(const MemberExpr *ME,
                                    const FieldDecl *Field) {
  const RecordDecl *Own = keyRecord(Field);
  // Up the `.` members to the object: smc->sk.sk_err is in *smc.
  const MemberExpr *M = ME;
  while (!M->isArrow()) {
    const auto *Base = dyn_cast<MemberExpr>(M->getBase()->IgnoreParenImpCasts());
    if (!Base)
      break;
    M = Base;
  }
  const RecordDecl *Outer = nullptr;
  if (M->isArrow()) {
    Outer = outerOf(M->getBase());
  } else {
    const Expr *Base = M->getBase()->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(Base);
        U && U->getOpcode() == UO_Deref)
      Outer = outerOf(U->getSubExpr());
    else if (const RecordDecl *RD = Base->getType()->getAsRecordDecl())
      Outer = RD->getDefinition();
  }
  if (!Outer || !Own || Outer == Own->getDefinition())
    return "";
  std::string C = chain(Outer, Own->getDefinition());
  return C.empty() ? llvm::StringRef() : llvm::StringRef(Out.save(C));
}

llvm::StringRef ObjectKinds::membersOf(const MemberExpr *ME) {
  llvm::SmallVector<llvm::StringRef, 4> Names;
  for (const MemberExpr *M = ME; !M->isArrow();) {
    const Expr *B = M->getBase()->IgnoreParenImpCasts();
    // Through an array's element, not a pointer's: p->ring[i].f is in the
    // object ring points to, which another member may point to as well.
    while (const auto *AS = dyn_cast_or_null<ArraySubscriptExpr>(B)) {
      B = AS->getBase()->IgnoreParenImpCasts();
      if (!B->getType()->isArrayType())
        B = nullptr;
    }
    const auto *Base = dyn_cast_or_null<MemberExpr>(B);
    if (!Base)
      break; // a variable's own member, *p's or a pointer's element's
    const auto *FD = dyn_cast<FieldDecl>(Base->getMemberDecl());
    if (!FD)
      return "";
    // A union's arms are one object, seen as each: a field directly in an
    // arm is named by the union's member (t->rcu_read_unlock_special and
    // t->trc_reader_special are two objects of one union type).  Members
    // below the arm give no path: x->u.a.cur.f is p->cur.f for p = &x->u.a,
    // and "u" beside "cur" would read as two objects.
    if (FD->getParent()->isUnion()) {
      if (!Names.empty())
        return "";
    } else if (!FD->isAnonymousStructOrUnion()) {
      Names.push_back(FD->getName());
    }
    M = Base;
  }
  if (Names.empty())
    return "";
  std::reverse(Names.begin(), Names.end());
  return Out.save(llvm::join(Names, "."));
}

llvm::StringRef ObjectKinds::kindOfPointer(const Expr *E) {
  const RecordDecl *Own = pointee(E->IgnoreParenImpCasts()->getType());
  if (!Own)
    return "";
  const RecordDecl *Outer = outerOf(E);
  if (!Outer || Outer == Own)
    return "";
  std::string C = chain(Outer, Own);
  return C.empty() ? llvm::StringRef() : llvm::StringRef(Out.save(C));
}

} // namespace kmark
