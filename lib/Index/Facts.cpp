//===- Facts.cpp - Names and copies of facts ------------------------------===//

#include "kmark/Facts.h"

namespace kmark {

FileFacts &FactSet::copyFile(const FileFacts &F) {
  Files.emplace_back();
  FileFacts &C = Files.back();
  C.Path = save(F.Path);
  C.Digest = F.Digest;
  C.External = F.External;
  C.Variant = F.Variant;
  C.Accesses.reserve(F.Accesses.size());
  for (const Access &A : F.Accesses) {
    Access N = A;
    N.Field = save(A.Field);
    N.Function = save(A.Function);
    N.File = save(A.File);
    N.Text = save(A.Text);
    N.RhsText = save(A.RhsText);
    N.Op = save(A.Op);
    N.Locks = save(A.Locks);
    N.Origin = save(A.Origin);
    C.Accesses.push_back(N);
  }
  C.Functions.reserve(F.Functions.size());
  for (const Function &Fn : F.Functions) {
    Function N = Fn;
    N.Key = save(Fn.Key);
    N.Name = save(Fn.Name);
    N.File = save(Fn.File);
    C.Functions.push_back(N);
  }
  C.Slots.reserve(F.Slots.size());
  for (const SlotFill &S : F.Slots) {
    SlotFill N = S;
    N.OpsType = save(S.OpsType);
    N.Slot = save(S.Slot);
    N.Function = save(S.Function);
    N.Holder = save(S.Holder);
    N.File = save(S.File);
    C.Slots.push_back(N);
  }
  C.Calls.reserve(F.Calls.size());
  for (const CallEdge &E : F.Calls)
    C.Calls.push_back(
        {save(E.Caller), save(E.Callee), save(E.Locks), save(E.Args)});
  return C;
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
