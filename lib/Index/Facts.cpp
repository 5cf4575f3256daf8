//===- Facts.cpp - Names and copies of facts ------------------------------===//

#include "kmark/Facts.h"

#include "llvm/ADT/STLExtras.h"

namespace kmark {

bool anyHeld(LockList L) {
  return llvm::any_of(L, [](const LockFact &F) { return !F.Released; });
}

FileFacts &FactSet::copyFile(const FileFacts &F) {
  Files.emplace_back();
  FileFacts &C = Files.back();
  C.Path = save(F.Path);
  C.Digest = F.Digest;
  C.External = F.External;
  C.Variant = F.Variant;
  C = F;
  C.Path = save(F.Path);
  FileFacts::lists(C, [this](auto &List) {
    for (auto &Fact : List)
      own(Fact);
  });
  return C;
}

std::string lockListText(LockList L) {
  std::string S;
  for (const LockFact &F : L) {
    if (!S.empty())
      S += ";";
    if (F.Released)
      S += "-";
    S += F.named() ? F.Class.str() : std::string("?");
    if (F.Mode == LockMode::Shared && !F.Released)
      S += "(shared)";
  }
  return S;
}

std::string argListText(llvm::ArrayRef<ArgOrigin> A) {
  std::string S;
  for (const ArgOrigin &O : A) {
    if (!S.empty())
      S += ";";
    if (O.K == ArgOrigin::Fresh)
      S += "F";
    else if (O.K == ArgOrigin::Param)
      S += "P" + std::to_string(O.Index);
    else
      S += "-";
    if (!O.ObjectKind.empty())
      S += "(" + O.ObjectKind.str() + ")";
  }
  return S;
}

llvm::StringRef markingName(Marking M) {
  switch (M) {
  case Marking::Plain:
    return "plain";
  case Marking::ReadOnce:
    return "READ_ONCE()";
  case Marking::WriteOnce:
    return "WRITE_ONCE()";
  case Marking::LoadAcquire:
    return "smp_load_acquire()";
  case Marking::StoreRelease:
    return "smp_store_release()";
  case Marking::RcuDereference:
    return "rcu_dereference()";
  case Marking::RcuAssign:
    return "rcu_assign_pointer()";
  case Marking::DataRace:
    return "data_race()";
  case Marking::VolatileCast:
    return "a volatile cast";
  case Marking::VolatileField:
    return "a volatile field";
  case Marking::Atomic:
    return "an atomic operation";
  }
  return "?";
}

llvm::StringRef accessKindName(AccessKind K) {
  switch (K) {
  case AccessKind::Load:
    return "load";
  case AccessKind::Store:
    return "store";
  case AccessKind::RMW:
    return "read-modify-write";
  }
  return "?";
}

llvm::StringRef noFixReason(NoFix F) {
  switch (F) {
  case NoFix::None:
    return "";
  case NoFix::MacroBody:
    return "the access is spelled in a macro body";
  case NoFix::Bitfield:
    return "it is a bitfield";
  case NoFix::Array:
    return "it is an array";
  case NoFix::Size:
    return "its size is not 1, 2, 4 or 8 bytes";
  case NoFix::ValueUsed:
    return "the assignment's value is used";
  case NoFix::NotScalar:
    return "it is not a scalar";
  }
  return "";
}

} // namespace kmark
