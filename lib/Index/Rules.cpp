//===- Rules.cpp - From facts to findings ---------------------------------===//

#include "kmark/Rules.h"

#include "Fixpoint.h"

#include "kmark/Model.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace kmark {

llvm::StringRef checkName(CheckKind K) {
  return K == CheckKind::MissingWriteOnce ? "kmark-missing-write-once"
                                          : "kmark-missing-read-once";
}

Tier tierOf(unsigned C) {
  if (C >= HighConfidence)
    return Tier::High;
  return C >= MediumConfidence ? Tier::Medium : Tier::Low;
}

llvm::StringRef tierName(Tier T) {
  switch (T) {
  case Tier::Low:
    return "low";
  case Tier::Medium:
    return "medium";
  case Tier::High:
    return "high";
  }
  return "?";
}

std::optional<unsigned> parseConfidence(llvm::StringRef S) {
  S = S.trim();
  if (S.equals_insensitive("low"))
    return 0;
  if (S.equals_insensitive("medium"))
    return MediumConfidence;
  if (S.equals_insensitive("high"))
    return HighConfidence;
  unsigned N = 0;
  if (!S.getAsInteger(10, N) && N <= 100)
    return N;
  return std::nullopt;
}

namespace {

bool isMarkedLoad(const Access &A) {
  return A.Kind == AccessKind::Load &&
         (A.Mark == Marking::ReadOnce || A.Mark == Marking::LoadAcquire ||
          A.Mark == Marking::VolatileCast);
}

bool isMarkedStore(const Access &A) {
  return A.Kind != AccessKind::Load &&
         (A.Mark == Marking::WriteOnce || A.Mark == Marking::StoreRelease ||
          A.Mark == Marking::VolatileCast);
}

bool siteLess(const Access *A, const Access *B) {
  return std::tie(A->File, A->Begin, A->Line, A->Col) <
         std::tie(B->File, B->Begin, B->Line, B->Col);
}

bool isHeader(llvm::StringRef Path) { return !Path.ends_with(".c"); }

} // namespace

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

/// The locks held at an access, as far as the index can name them.
struct Analyzer::HeldLocks {
  std::vector<LockFact> Named; ///< one per class, on entry included, sorted
  bool Any = false;     ///< some lock is held, named or not
  bool Unknown = false; ///< one held is known only by pointer
};

/// Whether two accesses can run at once as far as their locks tell: not
/// when both hold a lock of one class and one of them holds it
/// exclusively, nor when one holds a lock the index cannot name (it may be
/// the other's).  Two holders of a read lock run at once.
static bool mayRace(const Analyzer::HeldLocks &A,
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
static std::string lockNames(llvm::ArrayRef<LockFact> L) {
  std::vector<std::string> Names;
  for (const LockFact &F : L)
    Names.push_back(F.Class.str());
  return llvm::join(Names, "' and '");
}

struct Analyzer::FieldView {
  llvm::StringRef Field;
  /// The stores that can run concurrently with a reader (stores before
  /// publication aside), with their locks.  A read that shares a lock
  /// class with each of them races with none.
  std::vector<std::pair<const Access *, HeldLocks>> Stores;
  /// The locks of every access of the field.
  llvm::DenseMap<const Access *, HeldLocks> Held;
  std::vector<const Access *> MarkedLoads, LocklessMarkedLoads, MarkedStores;
  llvm::StringMap<const Access *> MarkedLoadIn, MarkedStoreIn;
  unsigned PlainLoads = 0, PlainStores = 0;
  llvm::StringRef Skip; ///< why the whole field is left alone
};

struct Analyzer::Memos {
  Fixpoint<llvm::StringRef, bool> Init{false};
  Fixpoint<std::pair<llvm::StringRef, unsigned>, bool> FreshParam{false};
  Fixpoint<llvm::StringRef, std::vector<LockFact>> Entry{{}};
};

Analyzer::Analyzer(const Index &Idx, const KernelModel &Model)
    : Idx(Idx), Model(Model), Memo(std::make_unique<Memos>()) {}

Analyzer::~Analyzer() = default;

llvm::StringRef Analyzer::displayName(llvm::StringRef Key) {
  if (const Function *F = Idx.function(Key))
    return F->Name;
  return Key.split('@').first;
}

bool Analyzer::isInitFunction(llvm::StringRef Key) {
  // Init itself: by its attribute, its name in the model, or the ops slot
  // it fills.
  auto Direct = [&](llvm::StringRef F) {
    const Function *Fn = Idx.function(F);
    if (Fn && (Fn->Flags & (FF_Init | FF_Exit)))
      return true;
    if (Model.InitFunctions.contains(displayName(F)))
      return true;
    return llvm::any_of(Idx.slotsOf(F), [&](const SlotFill *S) {
      return S->Static &&
             Model.InitSlots.contains((S->OpsType + "." + S->Slot).str());
    });
  };
  // Else called only from init functions (and called at all).
  auto Deps = [&](const llvm::StringRef &F) {
    std::vector<llvm::StringRef> D;
    if (!Direct(F))
      for (llvm::StringRef C : Idx.callersOf(F))
        if (C != F)
          D.push_back(C);
    return D;
  };
  auto Eval = [&](const llvm::StringRef &F, auto Get) -> std::optional<bool> {
    if (Direct(F))
      return true;
    // Init when every caller is, and one at least says so: a cycle of
    // calls that nothing init enters is not init.
    bool Grounded = false, Any = false;
    for (llvm::StringRef C : Idx.callersOf(F)) {
      if (C == F)
        continue;
      Any = true;
      const bool *V = Get(C);
      if (V && !*V)
        return false;
      Grounded |= V != nullptr;
    }
    if (!Any)
      return false;
    return Grounded ? std::optional<bool>(true) : std::nullopt;
  };
  return Memo->Init.get(Key, Deps, Eval);
}

llvm::StringRef Analyzer::exemption(const Access &A) {
  if (A.has(AF_MacroBody))
    return "spelled in a macro body";
  if (isFresh(A))
    return "the object is not yet published";
  if (A.has(AF_DataRacyField))
    return "the field is __data_racy";
  if (A.has(AF_RcuProtected))
    return "inside rcu_dereference_protected()";
  if (isInitFunction(A.Function))
    return "in an init function";
  return "";
}

bool Analyzer::isFresh(const Access &A) {
  if (A.From.unpublished())
    return true;
  return A.From.Kind == OriginKind::Param && A.From.Param &&
         freshParam(A.Function, A.From.Param);
}

bool Analyzer::freshParam(llvm::StringRef Key, unsigned N) {
  using Node = std::pair<llvm::StringRef, unsigned>;
  // What the caller passes as argument N of this edge.
  auto ArgOf = [](const CallEdge *E, unsigned N) {
    return N <= E->Args.size() ? E->Args[N - 1] : ArgOrigin();
  };
  auto Deps = [&](const Node &X) {
    std::vector<Node> D;
    for (const CallEdge *E : Idx.callsTo(X.first)) {
      ArgOrigin A = ArgOf(E, X.second);
      if (E->Caller != X.first && A.K == ArgOrigin::Param)
        D.emplace_back(E->Caller, A.Index);
    }
    return D;
  };
  auto Eval = [&](const Node &X, auto Get) -> std::optional<bool> {
    // A callback's callers are not in the call graph.
    llvm::ArrayRef<const CallEdge *> Calls = Idx.callsTo(X.first);
    if (!Idx.function(X.first) || !Idx.slotsOf(X.first).empty() ||
        Calls.empty())
      return false;
    bool Grounded = false;
    for (const CallEdge *E : Calls) {
      if (E->Caller == X.first)
        continue; // recursion passes on what the outer call got
      ArgOrigin A = ArgOf(E, X.second);
      if (A.K == ArgOrigin::Fresh) {
        Grounded = true;
        continue;
      }
      if (A.K != ArgOrigin::Param || !A.Index)
        return false;
      const bool *V = Get(Node(E->Caller, A.Index));
      if (V && !*V)
        return false;
      Grounded |= V != nullptr;
    }
    return Grounded ? std::optional<bool>(true) : std::nullopt;
  };
  return Memo->FreshParam.get(Node(Key, N), Deps, Eval);
}

const std::vector<LockFact> &Analyzer::heldOnEntry(llvm::StringRef Key) {
  // Any function whose callers the index sees, static or not: kmark
  // indexes whole trees, and a caller it cannot see (a module outside the
  // indexed directories) can only hide a race on a read, never invent one
  // (nfs_update_inode()'s callers all hold i_lock, some from other files).
  auto Eligible = [&](llvm::StringRef F) {
    return Idx.function(F) && Idx.slotsOf(F).empty() &&
           !Idx.callsTo(F).empty();
  };
  auto Deps = [&](const llvm::StringRef &F) {
    std::vector<llvm::StringRef> D;
    if (Eligible(F))
      for (const CallEdge *E : Idx.callsTo(F))
        if (E->Caller != F)
          D.push_back(E->Caller);
    return D;
  };
  auto Eval = [&](const llvm::StringRef &F,
                  auto Get) -> std::optional<std::vector<LockFact>> {
    if (!Eligible(F))
      return std::vector<LockFact>();
    std::optional<std::vector<LockFact>> Common;
    for (const CallEdge *E : Idx.callsTo(F)) {
      if (E->Caller == F)
        continue; // recursion holds what the outer call holds
      const std::vector<LockFact> *Outer = Get(E->Caller);
      if (!Outer)
        continue; // no constraint yet (a caller in the same cycle)
      std::vector<LockFact> Held =
          uniteLocks(heldNamed(E->Locks), stillHeld(*Outer, E->Locks));
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

bool Analyzer::racesWithAStore(const FieldView &V, const Access &A) {
  if (V.Stores.empty())
    return !lockHeld(A); // the writers are not in the index
  const HeldLocks &H = V.Held.find(&A)->second;
  return llvm::any_of(V.Stores, [&](const auto &S) {
    return S.first != &A && mayRace(H, S.second);
  });
}

bool Analyzer::locklessSlot(llvm::StringRef Function, const SlotFill **Via) {
  llvm::ArrayRef<const SlotFill *> Slots = Idx.slotsOf(Function);
  const auto *It = llvm::find_if(Slots, [&](const SlotFill *S) {
    return Model.LocklessSlots.contains((S->OpsType + "." + S->Slot).str());
  });
  if (It == Slots.end())
    return false;
  *Via = *It;
  return true;
}

const Access *Analyzer::peerMarking(const FieldView &V, const Access &A,
                                    bool Loads, const SlotFill **Via,
                                    bool *ViaHelper) {
  const llvm::StringMap<const Access *> &In =
      Loads ? V.MarkedLoadIn : V.MarkedStoreIn;
  if (In.empty())
    return nullptr;
  auto Direct = [&](llvm::StringRef Fn) -> const Access * {
    auto It = In.find(Fn);
    return It == In.end() ? nullptr : It->second;
  };
  // A small inline helper the peer calls, such as inet_sk_state_load() or
  // i_size_read().  Weaker: the helper's marking is its own contract, used
  // by every caller, and says little about where this peer runs.
  auto ThroughHelper = [&](llvm::StringRef Fn) -> const Access * {
    for (llvm::StringRef Callee : Idx.calleesOf(Fn)) {
      auto C = In.find(Callee);
      if (C == In.end())
        continue;
      const Function *H = Idx.function(Callee);
      if (H && (H->Flags & FF_Static) && isHeader(H->File))
        return C->second;
    }
    return nullptr;
  };
  for (bool Helper : {false, true})
    for (const SlotFill *S : Idx.slotsOf(A.Function)) {
      if (!S->Static)
        continue;
      for (const SlotFill *Peer : Idx.fillersOf(S->OpsType, S->Slot)) {
        if (Peer->Function == A.Function)
          continue;
        if (const Access *M = Helper ? ThroughHelper(Peer->Function)
                                     : Direct(Peer->Function)) {
          *Via = Peer;
          *ViaHelper = Helper;
          return M;
        }
      }
    }
  return nullptr;
}

std::vector<Edit> wrapEdits(const Access &A) {
  std::vector<Edit> E;
  if (A.Kind == AccessKind::Load) {
    E.push_back({A.Begin, 0, "READ_ONCE("});
    E.push_back({A.End, 0, ")"});
  } else if (A.Kind == AccessKind::Store) {
    E.push_back({A.Begin, 0, "WRITE_ONCE("});
    E.push_back({A.End, A.SepEnd - A.End,
                 A.has(AF_OpAtEndOfLine) ? "," : ", "});
    E.push_back({A.RhsEnd, 0, ")"});
  } else if (A.Op == "++" || A.Op == "--") {
    E.push_back({A.RhsBegin, A.RhsEnd - A.RhsBegin,
                 ("WRITE_ONCE(" + A.Text + ", " + A.Text +
                  (A.Op == "++" ? " + 1)" : " - 1)"))
                     .str()});
  } else {
    llvm::StringRef Op = A.Op.drop_back(); // "+=" -> "+"
    E.push_back({A.Begin, A.RhsEnd - A.Begin,
                 ("WRITE_ONCE(" + A.Text + ", " + A.Text + " " + Op + " " +
                  A.RhsText + ")")
                     .str()});
  }
  return E;
}

std::vector<Edit> normalizeEdits(std::vector<Edit> Edits) {
  // Sort by offset, keeping the given order among equal offsets.
  std::vector<std::pair<uint32_t, size_t>> Order;
  Order.reserve(Edits.size());
  for (size_t I = 0; I < Edits.size(); ++I)
    Order.emplace_back(Edits[I].Offset, I);
  llvm::sort(Order);
  std::vector<Edit> Out;
  for (auto [Offset, I] : Order) {
    Edit &E = Edits[I];
    if (!Out.empty() && Out.back().Offset + Out.back().Length == E.Offset) {
      Out.back().Length += E.Length;
      Out.back().Text += E.Text;
      continue;
    }
    Out.push_back(std::move(E));
  }
  return Out;
}

std::string applyEdits(llvm::StringRef Text, llvm::ArrayRef<Edit> Edits) {
  std::string Out;
  size_t Pos = 0;
  for (const Edit &E : Edits) {
    if (E.Offset < Pos || E.Offset + E.Length > Text.size())
      return std::string(Text); // overlapping or out of range: unchanged
    Out += Text.slice(Pos, E.Offset);
    Out += E.Text;
    Pos = E.Offset + E.Length;
  }
  Out += Text.substr(Pos);
  return Out;
}

static Evidence evidenceAt(Evidence::Kind K, int Weight, const Access &A,
                           std::string Note) {
  Evidence E;
  E.K = K;
  E.Weight = Weight;
  E.File = A.File;
  E.Line = A.Line;
  E.Col = A.Col;
  E.Note = std::move(Note);
  return E;
}

static llvm::StringRef textOr(const Access &A, llvm::StringRef Field) {
  return A.Text.empty() ? Field : A.Text;
}

/// The site among Sites to name in a message: one in File first, then the
/// first in path order.
static const Access *pick(llvm::ArrayRef<const Access *> Sites,
                          llvm::StringRef File, llvm::StringRef NotIn) {
  const Access *Best = nullptr;
  for (const Access *S : Sites) {
    if (S->Function == NotIn)
      continue;
    if (!Best || (S->File == File && Best->File != File))
      Best = S;
  }
  return Best;
}

/// Whether two accesses of a field may be of the same object: not when
/// each is reached through a variable of its own (srclp->len and
/// drclp->len, node->next and prev->next); alist->x and vc->alist->x may
/// well be.
static bool sameObject(const Access &A, const Access &B) {
  auto Base = [](llvm::StringRef T) {
    T = T.trim();
    // npos is the largest size_t: one more makes it 0, "not found".
    size_t Arrow = T.rfind("->") + 1, Dot = T.rfind('.') + 1;
    size_t Cut = std::max(Arrow, Dot);
    return Cut == 0 ? llvm::StringRef() : T.take_front(Cut - 1);
  };
  auto Variable = [](llvm::StringRef T) {
    return !T.empty() && !llvm::isDigit(T.front()) &&
           llvm::all_of(T, [](char C) { return llvm::isAlnum(C) || C == '_'; });
  };
  llvm::StringRef X = Base(A.Text), Y = Base(B.Text);
  return X == Y || !Variable(X) || !Variable(Y);
}

int Analyzer::markingEvidence(const FieldView &V, const Access &A, bool Loads,
                              Finding &F, std::string &Why) {
  llvm::StringRef Fn = displayName(A.Function);
  llvm::StringRef Verb = Loads ? "reads" : "writes";
  int Weight = 0;
  const llvm::StringMap<const Access *> &In =
      Loads ? V.MarkedLoadIn : V.MarkedStoreIn;
  if (In.contains(A.Function)) {
    // The marked access of the same object if there is one: one of
    // another object (srclp->len beside drclp->len) says less.
    const Access *M = In.find(A.Function)->second;
    for (const Access *C : Loads ? V.MarkedLoads : V.MarkedStores)
      if (C->Function == A.Function && sameObject(*C, A)) {
        M = C;
        break;
      }
    bool Same = sameObject(*M, A);
    Weight = Same ? 40 : 20;
    llvm::StringRef What = Same ? "it" : "another object's";
    llvm::StringRef Mark = markingName(M->Mark);
    F.Notes.push_back(evidenceAt(
        Evidence::SameFunctionMarks, Weight, *M,
        llvm::formatv("{0}() {1} {2} with {3} here", Fn, Verb, What, Mark)
            .str()));
    Why = llvm::formatv("; {0}() {1} {2} with {3}{4}", Fn, Verb, What, Mark,
                        Same ? " elsewhere" : "")
              .str();
  }
  const SlotFill *Via = nullptr;
  bool Helper = false;
  if (const Access *P = peerMarking(V, A, Loads, &Via, &Helper)) {
    llvm::StringRef Peer = displayName(Via->Function);
    std::string How = markingName(P->Mark).str();
    if (Helper)
      How += " through " + displayName(P->Function).str() + "()";
    int PeerWeight = Helper ? 20 : 40;
    F.Notes.push_back(evidenceAt(
        Evidence::PeerMarks, PeerWeight, *P,
        llvm::formatv("{0}(), also '{1}.{2}'{3}, {4} it with {5}", Peer,
                      Via->OpsType, Via->Slot,
                      Via->Holder.empty() ? std::string()
                                          : " of '" + Via->Holder.str() + "'",
                      Verb, How)
            .str()));
    if (Weight == 0)
      Why = llvm::formatv("; {0}(), also '{1}.{2}', {3} {4}", Peer,
                          Via->OpsType, Via->Slot,
                          Loads ? "reads it with" : "uses", How)
                .str();
    Weight = std::max(Weight, PeerWeight);
  }
  return Weight;
}

std::optional<Finding> Analyzer::checkLoad(const FieldView &V,
                                           const Access &A) {
  // What says the field is read while written: a marked writer, or else
  // other readers that read it with READ_ONCE() (the readers disagree).
  // Under a lock that every writer holds, no store can run concurrently.
  if (!racesWithAStore(V, A))
    return std::nullopt;
  const HeldLocks &H = V.Held.find(&A)->second;
  std::vector<const Access *> Writers;
  for (const Access *W : V.MarkedStores)
    if (mayRace(H, V.Held.find(W)->second))
      Writers.push_back(W);
  const Access *Writer = pick(Writers, A.File, A.Function);
  const Access *Reader = nullptr;
  if (!Writer) {
    std::vector<const Access *> Unlocked;
    for (const Access *R : V.LocklessMarkedLoads)
      if (!V.Held.find(R)->second.Any)
        Unlocked.push_back(R);
    Reader = pick(Unlocked, A.File, A.Function);
    if (!Reader)
      Reader = pick(V.LocklessMarkedLoads, A.File, A.Function);
  }
  // The function's own READ_ONCE() of the field, when no other access is
  // marked (deactivate_slab() reads slab->freelist once with READ_ONCE()
  // and once plainly): the marking evidence below is then all there is.
  const Access *Own = nullptr;
  if (!Writer && !Reader)
    for (const Access *R : V.LocklessMarkedLoads)
      if (R->Function == A.Function && sameObject(*R, A)) {
        Own = R;
        break;
      }
  if (!Writer && !Reader && !Own)
    return std::nullopt;
  bool Locked = lockHeld(A);
  Finding F;
  F.Check = CheckKind::MissingReadOnce;
  F.Site = &A;
  llvm::StringRef Fn = displayName(A.Function);
  std::string Why;
  int Score = Writer ? 25 : 15;
  if (Writer) {
    F.Notes.push_back(evidenceAt(
        Evidence::MarkedWriter, 25, *Writer,
        llvm::formatv("{0}() writes '{1}' with {2}",
                      displayName(Writer->Function), textOr(*Writer, V.Field),
                      markingName(Writer->Mark))
            .str()));
    F.RacingFunction = Writer->Function;
  } else if (Own) {
    F.RacingFunction = A.Function; // itself, on another CPU
  } else {
    F.Notes.push_back(evidenceAt(
        Evidence::LocklessMarkedReader, 15, *Reader,
        llvm::formatv("{0}() reads '{1}' locklessly with {2}",
                      displayName(Reader->Function), textOr(*Reader, V.Field),
                      markingName(Reader->Mark))
            .str()));
    F.RacingFunction = Reader->Function;
  }

  int Context = markingEvidence(V, A, /*Loads=*/true, F, Why);
  const SlotFill *Slot = nullptr;
  if (locklessSlot(A.Function, &Slot)) {
    Evidence E;
    E.K = Evidence::LocklessSlot;
    E.Weight = 25;
    E.File = Slot->File;
    E.Line = Slot->Line;
    E.Col = Slot->Col;
    E.Note = llvm::formatv("{0}() is '{1}.{2}'{3}, which runs without the "
                           "writers' lock",
                           Fn, Slot->OpsType, Slot->Slot,
                           Slot->Holder.empty()
                               ? std::string()
                               : " of '" + Slot->Holder.str() + "'")
                 .str();
    F.Notes.push_back(std::move(E));
    if (Context == 0)
      Why = llvm::formatv("; {0}() is '{1}.{2}', called locklessly", Fn,
                          Slot->OpsType, Slot->Slot)
                .str();
    Context += 25;
  }
  if (Context == 0 && !Locked) {
    // Weak: no lock is visibly held here, though a caller may hold one.
    Context = 10;
    Why = llvm::formatv("; no lock is visibly held in {0}()", Fn).str();
  }
  if (Context == 0)
    return std::nullopt; // nothing says this read is lockless
  Score += Context;
  unsigned Loads = V.MarkedLoads.size() + V.PlainLoads;
  if (Loads)
    Score += static_cast<int>(10 * V.MarkedLoads.size() / Loads);
  if (Locked)
    Score -= 25;
  // A field read plainly almost everywhere and marked once or twice: the
  // marking is local to a fast path, not the field's rule.
  if (V.PlainLoads >= 10 && V.MarkedLoads.size() + V.MarkedStores.size() <= 2)
    Score -= 15;
  F.Confidence = std::clamp(Score, 0, 100);
  if (Writer)
    F.Message = llvm::formatv("plain load of '{0}' races with {1}(), which "
                              "writes it with {2}{3}",
                              V.Field, displayName(Writer->Function),
                              markingName(Writer->Mark), Why)
                    .str();
  else if (Own)
    F.Message = llvm::formatv("plain load of '{0}', which {1}() reads with "
                              "{2} elsewhere",
                              V.Field, Fn, markingName(Own->Mark))
                    .str();
  else
    F.Message = llvm::formatv("plain load of '{0}', which {1}() reads with "
                              "{2}{3}",
                              V.Field, displayName(Reader->Function),
                              markingName(Reader->Mark), Why)
                    .str();
  return F;
}

std::optional<Finding> Analyzer::checkStore(const FieldView &V,
                                            const Access &A,
                                            llvm::ArrayRef<Finding> Loads) {
  // A lockless reader: one that holds no lock, else one that holds none
  // of this store's locks.
  const HeldLocks &H = V.Held.find(&A)->second;
  std::vector<const Access *> Unlocked, Readers;
  for (const Access *R : V.LocklessMarkedLoads) {
    const HeldLocks &RH = V.Held.find(R)->second;
    if (mayRace(H, RH))
      (RH.Any ? Readers : Unlocked).push_back(R);
  }
  const Access *Reader = pick(Unlocked, A.File, A.Function);
  if (!Reader)
    Reader = pick(Readers, A.File, A.Function);
  if (!Reader)
    return std::nullopt;
  Finding F;
  F.Check = CheckKind::MissingWriteOnce;
  F.Site = &A;
  F.RacingFunction = Reader->Function;
  // access-marking.txt's lock-protected writes with lockless reads: this
  // store holds a lock and a reader in the same file holds none.  (The
  // same file: a reader elsewhere may read another kind of object.)
  bool Guarded = !H.Named.empty() && !V.Held.find(Reader)->second.Any &&
                 Reader->File == A.File;
  std::string Locks = lockNames(H.Named);
  int ReaderWeight = Guarded ? 50 : 30;
  int Score = ReaderWeight;
  std::string Why;
  llvm::StringRef Mark = markingName(Reader->Mark);
  const HeldLocks &RH = V.Held.find(Reader)->second;
  std::string How;
  if (Guarded)
    How = llvm::formatv("with {0} and no lock, while this store holds '{1}'",
                        Mark, Locks)
              .str();
  else if (RH.Any && !RH.Named.empty())
    How = llvm::formatv("with {0} under '{1}', which does not exclude this "
                        "store",
                        Mark, lockNames(RH.Named))
              .str();
  else
    How = ("locklessly with " + Mark).str();
  F.Notes.push_back(evidenceAt(
      Evidence::LocklessMarkedReader, ReaderWeight, *Reader,
      llvm::formatv("{0}() reads '{1}' {2}", displayName(Reader->Function),
                    textOr(*Reader, V.Field), How)
          .str()));
  if (Reader->File == A.File)
    Score += 10;

  int Strong = markingEvidence(V, A, /*Loads=*/false, F, Why);
  Score += Strong;
  // A lockless plain reader in this file (itself a missing-read-once
  // finding): one on another line, in another function if there is one.
  const Finding *Near = nullptr;
  auto Rank = [&](const Finding &L) {
    // Another line, another function, then the object reached directly
    // (sk->sk_err before smc->clcsock->sk->sk_err).
    return (L.Site->Line != A.Line ? 200 : 0) +
           (L.Site->Function != A.Function ? 100 : 0) -
           static_cast<int>(std::min<size_t>(L.Site->Text.count("->"), 99));
  };
  for (const Finding &L : Loads)
    if (L.Site->File == A.File && L.Confidence >= MediumConfidence &&
        (!Near || Rank(L) > Rank(*Near)))
      Near = &L;
  if (Near) {
    const Finding &L = *Near;
    llvm::StringRef RFn = displayName(L.Site->Function);
    F.Notes.push_back(evidenceAt(
        Evidence::LocklessPlainReader, 30, *L.Site,
        llvm::formatv("{0}() reads it without a lock here", RFn).str()));
    if (Strong == 0)
      Why = llvm::formatv("; {0}() reads it locklessly in this file", RFn)
                .str();
    Score += 30;
  }
  if (Why.empty() && Guarded)
    Why = llvm::formatv(", which holds no lock; this store holds '{0}'", Locks)
              .str();
  unsigned Stores = V.MarkedStores.size() + V.PlainStores;
  if (Stores)
    Score += static_cast<int>(15 * V.MarkedStores.size() / Stores);
  // Most stores of the field plain: a pattern the subsystem lives with
  // (dentry::d_flags), not one store forgotten.
  if (V.PlainStores >= 10)
    Score -= 10;
  // Named as an initialiser (init_srcu_struct_fields(),
  // rcu_segcblist_init()): most set up an object no other CPU sees yet,
  // some re-initialise a live one.
  if (Model.isInitialiserName(displayName(A.Function)))
    Score -= 20;
  F.Confidence = std::clamp(Score, 0, 100);
  F.Message =
      llvm::formatv("plain {0} to '{1}' races with {2} {3}(){4}",
                    A.Kind == AccessKind::RMW ? "read-modify-write" : "store",
                    V.Field, RH.Any ? "reader" : "lockless reader",
                    displayName(Reader->Function), Why)
          .str();
  return F;
}

void Analyzer::analyzeField(llvm::StringRef Field,
                            llvm::ArrayRef<const Access *> Candidates,
                            std::vector<Finding> &Out) {
  FieldView V;
  V.Field = Field;
  std::vector<const Access *> All(Idx.accessesOf(Field).begin(),
                                  Idx.accessesOf(Field).end());
  llvm::sort(All, siteLess);
  for (const Access *A : All) {
    V.Held.try_emplace(A, heldAt(*A));
    // Stores before publication race with nobody.
    if (A->Kind != AccessKind::Load && !isFresh(*A) &&
        !isInitFunction(A->Function))
      V.Stores.emplace_back(A, V.Held.find(A)->second);
  }
  for (const Access *A : All) {
    // data_race() marks one access as an intentional, diagnostic race: it is
    // neither plain nor a lockless reader that writers must pair with.
    switch (A->Mark) {
    case Marking::VolatileField:
      V.Skip = "the field is volatile";
      break;
    case Marking::RcuDereference:
    case Marking::RcuAssign:
      V.Skip = "the field is RCU-protected";
      break;
    default:
      break;
    }
    if (A->has(AF_DataRacyField))
      V.Skip = "the field is __data_racy";
    if (isMarkedLoad(*A)) {
      V.MarkedLoads.push_back(A);
      V.MarkedLoadIn.try_emplace(A->Function, A);
      // Lockless: it holds no lock, or none of the locks some store
      // visibly holds.  A store with no visible lock says nothing here: its
      // callers may hold the reader's lock.
      const HeldLocks &H = V.Held.find(A)->second;
      if (!H.Any || llvm::any_of(V.Stores, [&](const auto &S) {
            return S.second.Any && mayRace(H, S.second);
          }))
        V.LocklessMarkedLoads.push_back(A);
    } else if (isMarkedStore(*A)) {
      V.MarkedStores.push_back(A);
      V.MarkedStoreIn.try_emplace(A->Function, A);
    } else if (A->Mark == Marking::Plain && exemption(*A).empty()) {
      if (A->Kind == AccessKind::Load)
        ++V.PlainLoads;
      else
        ++V.PlainStores;
    }
  }
  if (!V.Skip.empty())
    return;
  std::vector<Finding> Loads;
  for (const Access *A : Candidates)
    if (A->Mark == Marking::Plain && A->Kind == AccessKind::Load &&
        exemption(*A).empty())
      if (std::optional<Finding> F = checkLoad(V, *A))
        Loads.push_back(std::move(*F));
  for (const Access *A : Candidates)
    if (A->Mark == Marking::Plain && A->Kind != AccessKind::Load &&
        exemption(*A).empty())
      if (std::optional<Finding> F = checkStore(V, *A, Loads))
        Out.push_back(std::move(*F));
  for (Finding &F : Loads)
    Out.push_back(std::move(F));
}

std::vector<Finding>
Analyzer::analyze(llvm::ArrayRef<const Access *> Candidates,
                  unsigned MinConfidence) {
  llvm::StringMap<std::vector<const Access *>> ByField;
  std::vector<llvm::StringRef> Order;
  // A macro that mentions its argument twice (test_bit()) yields two
  // accesses at one site: one finding, one fix.
  std::set<std::tuple<llvm::StringRef, uint32_t, uint32_t, llvm::StringRef,
                      unsigned>>
      Sites;
  for (const Access *A : Candidates) {
    if (A->Mark != Marking::Plain)
      continue;
    if (!Sites.insert({A->File, A->Begin, A->End, A->Field,
                       static_cast<unsigned>(A->Kind)})
             .second)
      continue;
    auto &V = ByField[A->Field];
    if (V.empty())
      Order.push_back(A->Field);
    V.push_back(A);
  }
  llvm::sort(Order);
  std::vector<Finding> Out;
  for (llvm::StringRef Field : Order)
    analyzeField(Field, ByField[Field], Out);
  llvm::erase_if(Out, [&](const Finding &F) {
    return F.Confidence < MinConfidence;
  });

  // Fix-its: wrap the access; where a flagged load sits in the value of a
  // flagged store, one fix does both: WRITE_ONCE(x, READ_ONCE(y)).
  for (Finding &F : Out) {
    if (F.Site->Fix == NoFix::None)
      F.Fix = wrapEdits(*F.Site);
    else
      F.NoFixWhy = noFixReason(F.Site->Fix).str();
  }
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    return std::tie(A.Site->File, A.Site->Begin, A.Check) <
           std::tie(B.Site->File, B.Site->Begin, B.Check);
  });
  for (Finding &S : Out) {
    if (S.Fix.empty() || S.Site->Kind == AccessKind::Load)
      continue;
    for (Finding &L : Out) {
      if (&L == &S || L.Fix.empty() || L.Site->Kind != AccessKind::Load ||
          L.Site->File != S.Site->File)
        continue;
      bool Inside = L.Site->Begin >= S.Site->RhsBegin &&
                    L.Site->End <= S.Site->RhsEnd;
      bool Overlaps = L.Site->Begin < S.Site->RhsEnd &&
                      L.Site->End > S.Site->Begin;
      if (Inside && S.Site->Kind == AccessKind::Store) {
        for (Edit &E : L.Fix)
          S.Fix.push_back(std::move(E));
        L.Fix.clear();
        L.NoFixWhy = llvm::formatv("fixed with the store at line {0}",
                                   S.Site->Line)
                         .str();
      } else if (Overlaps) {
        L.Fix.clear();
        L.NoFixWhy = llvm::formatv("overlaps the fix of line {0}",
                                   S.Site->Line)
                         .str();
      }
    }
    S.Fix = normalizeEdits(std::move(S.Fix));
  }
  for (Finding &F : Out) {
    F.Message += llvm::formatv(" (confidence: {0}, {1})",
                               tierName(tierOf(F.Confidence)), F.Confidence)
                     .str();
    if (F.Fix.empty() && !F.NoFixWhy.empty() &&
        !llvm::StringRef(F.NoFixWhy).starts_with("fixed with"))
      F.Message += "; no fix-it: " + F.NoFixWhy;
  }
  return Out;
}

} // namespace kmark
