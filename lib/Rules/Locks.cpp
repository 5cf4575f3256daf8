//===- Locks.cpp - Which locks are held at an access ----------------------===//

#include "RulesImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace kmark {

/// The named locks held in a list: one per class, exclusive where any
/// holds it so.
static std::vector<LockFact> heldNamed(LockList L) {
  std::vector<LockFact> Out;
  for (const LockFact &F : L)
    if (!F.Released && F.named())
      Out.push_back({F.Class, F.Mode, false});
  llvm::sort(Out);
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const LockFact &A, const LockFact &B) {
                          return A.Class == B.Class;
                        }),
            Out.end());
  return Out;
}

static std::vector<LockFact> uniteLocks(std::vector<LockFact> A,
                                        llvm::ArrayRef<LockFact> B) {
  llvm::append_range(A, B);
  return heldNamed(A);
}

/// The classes both hold, in the weaker of their modes.
static std::vector<LockFact> intersectLocks(llvm::ArrayRef<LockFact> A,
                                            llvm::ArrayRef<LockFact> B) {
  std::vector<LockFact> Out;
  for (const LockFact &X : A)
    for (const LockFact &Y : B)
      if (X.Class == Y.Class) {
        LockFact F = X;
        if (Y.Mode == LockMode::Shared)
          F.Mode = LockMode::Shared;
        Out.push_back(F);
        break;
      }
  return Out;
}

/// The locks held on entry (Entry) that are still held where List was
/// recorded: those the function released on the way are gone, all of
/// them if it released one it knows only by pointer.
static std::vector<LockFact> stillHeld(llvm::ArrayRef<LockFact> Entry,
                                       LockList List) {
  std::vector<LockFact> Out;
  if (llvm::any_of(List, [](const LockFact &F) {
        return F.Released && !F.named();
      }))
    return Out;
  for (const LockFact &L : Entry)
    if (llvm::none_of(List, [&](const LockFact &F) {
          return F.Released && F.Class == L.Class;
        }))
      Out.push_back(L);
  return Out;
}

bool mayRace(const Analyzer::HeldLocks &A,
                    const Analyzer::HeldLocks &B) {
  if (!A.Any || !B.Any)
    return true;
  if (A.Unknown || B.Unknown)
    return false;
  for (const LockFact &X : A.Named)
    for (const LockFact &Y : B.Named)
      if (X.Class == Y.Class &&
          (X.Mode == LockMode::Exclusive || Y.Mode == LockMode::Exclusive))
        return false;
  return true;
}

/// The class names of a lock list, for messages.
std::string lockNames(llvm::ArrayRef<LockFact> L) {
  std::vector<std::string> Names;
  // A lock in a driver's own struct by its name ("rec::lock"); a static
  // lock keeps its file, the one thing that tells it apart.
  for (const LockFact &F : L)
    Names.push_back(
        (F.Class.contains("::") ? fieldName(F.Class) : F.Class).str());
  return llvm::join(Names, "' and '");
}

const std::vector<LockFact> &Analyzer::heldOnEntry(llvm::StringRef Key) {
  // How a function is entered: its call edges, and the calls through every
  // ops slot it is stored in (every qdisc's .dump runs where the tree calls
  // ops->dump, under RTNL).  Any function whose callers the index sees,
  // static or not: kmark indexes whole trees, and a caller it cannot see (a
  // module outside the indexed directories) can only hide a race on a
  // read, never invent one (nfs_update_inode()'s callers all hold i_lock,
  // some from other files).  A callback passed to a function that calls it
  // through its parameter, and at most tests it otherwise, is entered from
  // each function that passes it, under the locks that function holds at
  // every one of its calls to the other, and those the other holds at its
  // own call (__device_attach() holds the device lock around
  // bus_for_each_drv(..., __device_attach_driver)).  A slot the
  // index sees no call through (a callback handed to a registration call
  // that stores it, a slot called through a local pointer) leaves the
  // callers unknown: no lock.
  struct Entry {
    llvm::StringRef Caller;
    LockList Locks;
    /// A callback: the locks held where the function Caller calls runs it.
    std::optional<LockList> Inner;
  };
  auto Callback = [&](const SlotFill &S, std::vector<Entry> &Out) {
    llvm::StringRef Via = S.OpsType.drop_front(CallSlotPrefix.size());
    bool Any = false;
    for (const CallEdge *E : Idx.callsFrom(S.Caller)) {
      if (displayName(E->Callee) != Via)
        continue;
      for (const SlotCall *C : Idx.slotCalls(S.OpsType, S.Slot))
        if (C->Caller == E->Callee) {
          Out.push_back({S.Caller, E->Locks, C->Locks});
          Any = true;
        }
    }
    return Any;
  };
  auto Entries = [&](llvm::StringRef F, std::vector<Entry> &Out) {
    if (!Idx.function(F))
      return false;
    for (const SlotFill *S : Idx.slotsOf(F)) {
      if (!S->Caller.empty() && S->OpsType.starts_with(CallSlotPrefix)) {
        if (!Callback(*S, Out))
          return false;
        continue;
      }
      llvm::ArrayRef<const SlotCall *> Calls =
          Idx.slotCalls(S->OpsType, S->Slot);
      if (Calls.empty())
        return false;
      for (const SlotCall *C : Calls)
        Out.push_back({C->Caller, C->Locks, std::nullopt});
    }
    for (const CallEdge *E : Idx.callsTo(F))
      Out.push_back({E->Caller, E->Locks, std::nullopt});
    return !Out.empty();
  };
  auto Deps = [&](const llvm::StringRef &F) {
    std::vector<Entry> In;
    std::vector<llvm::StringRef> D;
    if (Entries(F, In))
      for (const Entry &E : In)
        if (E.Caller != F)
          D.push_back(E.Caller);
    return D;
  };
  auto Eval = [&](const llvm::StringRef &F,
                  auto Get) -> std::optional<std::vector<LockFact>> {
    std::vector<Entry> In;
    if (!Entries(F, In))
      return std::vector<LockFact>();
    std::optional<std::vector<LockFact>> Common;
    for (const Entry &E : In) {
      if (E.Caller == F)
        continue; // recursion holds what the outer call holds
      const std::vector<LockFact> *Outer = Get(E.Caller);
      if (!Outer)
        continue; // no constraint yet (a caller in the same cycle)
      std::vector<LockFact> Held =
          uniteLocks(heldNamed(E.Locks), stillHeld(*Outer, E.Locks));
      if (E.Inner)
        Held = uniteLocks(heldNamed(*E.Inner), stillHeld(Held, *E.Inner));
      Common = Common ? intersectLocks(*Common, Held) : std::move(Held);
    }
    return Common;
  };
  return Memo->Entry.get(Key, Deps, Eval);
}

std::vector<LockFact> Analyzer::locksAt(const Access &A) {
  return uniteLocks(heldNamed(A.Locks),
                    stillHeld(heldOnEntry(A.Function), A.Locks));
}

bool Analyzer::sysctlMarks(const Access &A, HeldLocks &H, std::string &Via) {
  if (Model.SysctlMarkingHandlers.contains(displayName(A.Function)))
    return true;
  // A handler of the tree's own that calls a standard one: the write is
  // made there, under the locks held at that call (a handler that takes
  // RTNL before proc_dointvec() makes RTNL the writers' lock).
  for (llvm::StringRef Callee : Idx.calleesOf(A.Function)) {
    if (!Model.SysctlMarkingHandlers.contains(displayName(Callee)))
      continue;
    for (const CallEdge *E : Idx.callsTo(Callee)) {
      if (E->Caller != A.Function)
        continue;
      H.Named = uniteLocks(heldNamed(E->Locks),
                           stillHeld(heldOnEntry(A.Function), E->Locks));
      H.Any = anyHeld(E->Locks) || !H.Named.empty();
      H.Unknown = llvm::any_of(E->Locks, [](const LockFact &F) {
        return !F.Released && !F.named();
      });
      Via = displayName(Callee).str();
      return true;
    }
  }
  return false;
}

bool Analyzer::lockHeld(const Access &A) {
  return A.lockHeld() || !stillHeld(heldOnEntry(A.Function), A.Locks).empty();
}

Analyzer::HeldLocks Analyzer::heldAt(const Access &A) {
  HeldLocks H;
  H.Named = locksAt(A);
  H.Any = lockHeld(A);
  H.Unknown = llvm::any_of(A.Locks, [](const LockFact &F) {
    return !F.Released && !F.named();
  });
  if (H.Any && H.Named.empty())
    H.Unknown = true; // held, but by no class the index names
  return H;
}

llvm::StringRef Analyzer::threadOf(llvm::StringRef Key) {
  auto IsThread = [&](const SlotFill *S) {
    return Model.ThreadSlots.contains((S->OpsType + "." + S->Slot).str());
  };
  auto Callers = [&](llvm::StringRef F) {
    std::vector<llvm::StringRef> C;
    for (llvm::StringRef X : Idx.callersOf(F))
      if (X != F)
        C.push_back(X);
    return C;
  };
  // Only a static function of a .c file has all its callers in the index
  // (one in a header is every includer's).
  auto Local = [&](llvm::StringRef F) {
    const Function *Fn = Idx.function(F);
    return Fn && (Fn->Flags & FF_Static) && !isHeader(Fn->File);
  };
  // The thread function itself: started as a thread, once, and only so
  // (not also a callback of another kind, nor called directly).
  auto Start = [&](llvm::StringRef F) -> std::optional<llvm::StringRef> {
    llvm::ArrayRef<const SlotFill *> Slots = Idx.slotsOf(F);
    if (Slots.empty())
      return std::nullopt;
    // One start: two calls that start it make two threads of it.
    if (Local(F) && Slots.size() == 1 && IsThread(Slots.front()) &&
        Callers(F).empty())
      return F;
    return llvm::StringRef();
  };
  auto Deps = [&](const llvm::StringRef &F) {
    if (Start(F) || !Local(F))
      return std::vector<llvm::StringRef>();
    return Callers(F);
  };
  auto Eval = [&](const llvm::StringRef &F,
                  auto Get) -> std::optional<llvm::StringRef> {
    if (std::optional<llvm::StringRef> S = Start(F))
      return S;
    // A function other code may call (extern, in a header, or not in the
    // index) runs wherever that code does.
    std::vector<llvm::StringRef> C = Callers(F);
    if (!Local(F) || C.empty())
      return llvm::StringRef();
    std::optional<llvm::StringRef> T;
    for (llvm::StringRef X : C) {
      const llvm::StringRef *V = Get(X);
      if (!V)
        continue; // in this cycle: what enters it decides
      if (V->empty() || (T && *T != *V))
        return llvm::StringRef();
      T = *V;
    }
    return T;
  };
  return Memo->Thread.get(Key, Deps, Eval);
}

bool Analyzer::sameThread(llvm::StringRef A, llvm::StringRef B) {
  llvm::StringRef T = threadOf(A);
  return !T.empty() && T == threadOf(B);
}

Analyzer::LockOwner Analyzer::lockOwner(const Access &A,
                                        llvm::StringRef Class) {
  // A global's lock, or one in a global struct (rcu_state's): whose
  // object it guards, no struct tells.
  llvm::StringRef Lock = recordName(Class);
  if (Lock.empty() || Idx.inGlobal(Lock))
    return LockOwner::Object;
  llvm::StringRef Own = recordName(A.Field);
  // The lock's struct holds the object's, by value or through a pointer
  // (a device's lock over the rings it points to), or the object holds
  // the lock's (a wait queue's lock) or points to it (a task's sighand, a
  // blkcg policy's parent ioc): one pointer apart at most, either way.
  // The object's struct is the field's or an outer one its function
  // knows it to be part of.
  llvm::SmallVector<llvm::StringRef, 4> Structs;
  A.ObjectKind.split(Structs, '>', -1, /*KeepEmpty=*/false);
  Structs.push_back(Own);
  if (llvm::any_of(Structs, [&](llvm::StringRef S) {
        return Idx.holds(S, Lock, /*Pointers=*/1) ||
               Idx.holds(Lock, S, /*Pointers=*/1);
      }))
    return LockOwner::Object;
  // The lock's struct links the object (the manager's queue lock over the
  // messages on its queue); not the other way: a message's lock says
  // nothing of its queue.
  return llvm::any_of(Structs,
                      [&](llvm::StringRef S) {
                        return Idx.holds(Lock, S, /*Pointers=*/1,
                                         /*Links=*/true);
                      })
             ? LockOwner::List
             : LockOwner::Other;
}

bool Analyzer::racesWithAStore(const FieldView &V, const Access &A) {
  if (V.Stores.empty())
    return !lockHeld(A); // the writers are not in the index
  const HeldLocks &H = V.Held.find(&A)->second;
  return llvm::any_of(V.Stores, [&](const auto &S) {
    return S.first != &A && mayRace(H, S.second) &&
           kindRelation(V, A, *S.first) != KindRelation::Different;
  });
}

} // namespace kmark
