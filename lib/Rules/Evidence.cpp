//===- Evidence.cpp - What says a field is accessed locklessly ------------===//

#include "RulesImpl.h"

#include "Weights.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace kmark {

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
                                    bool *ViaHelper, unsigned *Marking,
                                    unsigned *Plain) {
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
          // Made at a call to a helper given the member: the helper's.
          *ViaHelper = Helper || Idx.instanceOf(M);
          // The slot's convention: of its other fillers that access the
          // field this way, those that mark it and those that do not.
          if (Marking && Plain) {
            const llvm::StringSet<> &PlainIn =
                Loads ? V.PlainLoadIn : V.PlainStoreIn;
            llvm::StringSet<> Seen;
            *Marking = *Plain = 0;
            for (const SlotFill *O : Idx.fillersOf(S->OpsType, S->Slot)) {
              if (O->Function == A.Function ||
                  !Seen.insert(O->Function).second)
                continue;
              if (Direct(O->Function) || ThroughHelper(O->Function))
                ++*Marking;
              else if (PlainIn.contains(O->Function))
                ++*Plain;
            }
          }
          return M;
        }
      }
    }
  return nullptr;
}

Evidence evidenceAt(Evidence::Kind K, int Weight, const Access &A,
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

llvm::StringRef textOr(const Access &A, llvm::StringRef Field) {
  return A.Text.empty() ? Field : A.Text;
}

/// The site among Sites to name in a message: one in File first, then the
/// first in path order.  A READ_ONCE()/WRITE_ONCE() site before an atomic
/// operation's, which is weaker evidence: adding a set_bit() beside a
/// WRITE_ONCE() writer must not lower a finding.
const Access *pick(llvm::ArrayRef<const Access *> Sites,
                          llvm::StringRef File, SiteFilter NotIn) {
  const Access *Best = nullptr;
  auto Rank = [&](const Access *S) {
    return std::make_pair(S->Mark != Marking::Atomic, S->File == File);
  };
  for (const Access *S : Sites) {
    if (NotIn(*S))
      continue;
    if (!Best || Rank(S) > Rank(Best))
      Best = S;
  }
  return Best;
}

bool distinctMembers(const Access &A, const Access &B) {
  llvm::StringRef X = A.Members, Y = B.Members;
  if (X.empty() || Y.empty() || X == Y)
    return false;
  // One may be seen from inside the other: p->b.f, p = &x->a, beside
  // x->a.b.f.
  auto Within = [](llvm::StringRef Long, llvm::StringRef Short) {
    return Long.ends_with(Short) &&
           Long[Long.size() - Short.size() - 1] == '.';
  };
  return !(X.size() > Y.size() ? Within(X, Y) : Within(Y, X));
}

/// Whether two accesses of a field may be of the same object: not when
/// each is reached through a variable of its own (srclp->len and
/// drclp->len, node->next and prev->next); alist->x and vc->alist->x may
/// well be.
bool sameObject(const Access &A, const Access &B) {
  auto Base = [](llvm::StringRef T) {
    T = T.trim();
    // npos is the largest size_t: one more makes it 0, "not found".
    size_t Arrow = T.rfind("->") + 1, Dot = T.rfind('.') + 1;
    size_t Cut = std::max(Arrow, Dot);
    return Cut == 0 ? llvm::StringRef() : T.take_front(Cut - 1);
  };
  llvm::StringRef X = Base(A.Text), Y = Base(B.Text);
  return X == Y || !isIdentifier(X) || !isIdentifier(Y);
}

bool Analyzer::madeIn(const Access &S, llvm::StringRef Fn) {
  if (S.Function == Fn)
    return true;
  // Made at a call to Fn (or to a helper of Fn's), on the member the
  // caller passes: Fn's own access, on another object.
  if (const Access *X = Idx.instanceOf(&S))
    return X->Function == Fn;
  const FieldArg *C = Idx.helperCallOf(&S);
  return C && C->Callee == Fn;
}

std::string Analyzer::through(const Access &M) {
  if (const FieldArg *C = Idx.helperCallOf(&M))
    return " through " + displayName(C->Callee).str() + "()";
  return "";
}

const Access *Analyzer::accessorMarking(const FieldView &V, const Access &A,
                                        bool Loads) {
  const llvm::StringMap<const Access *> &In =
      Loads ? V.MarkedLoadIn : V.MarkedStoreIn;
  for (llvm::StringRef Callee : Idx.calleesOf(A.Function)) {
    auto It = In.find(Callee);
    if (It == In.end())
      continue;
    const Function *H = Idx.function(Callee);
    const Access *M = It->second;
    // A small inline helper of a header, marking through a parameter: the
    // caller's own object, not global state of the helper's.
    if (H && (H->Flags & FF_Static) && isHeader(H->File) &&
        M->From.Kind == OriginKind::Param)
      return M;
  }
  return nullptr;
}

int Analyzer::markingEvidence(const FieldView &V, const Access &A, bool Loads,
                              Finding &F, std::string &Why, bool Raced) {
  llvm::StringRef Fn = displayName(A.Function);
  llvm::StringRef Verb = Loads ? "reads" : "writes";
  int Weight = 0;
  llvm::StringRef Term;
  const llvm::StringMap<const Access *> &In =
      Loads ? V.MarkedLoadIn : V.MarkedStoreIn;
  if (In.contains(A.Function)) {
    // The marked access of the same object if there is one: one of
    // another object (srclp->len beside drclp->len) says less.
    // Of those, the last one above the access in its file, which the
    // CFG's "after" (AF_AfterMarkedLoad) most likely refers to.
    const Access *First = nullptr, *Above = nullptr;
    // An atomic operation's only where the function marks it no other way.
    for (bool Atomic : {false, true}) {
      for (const Access *C : Loads ? V.MarkedLoads : V.MarkedStores) {
        if (C->Function != A.Function || !sameObject(*C, A) ||
            (C->Mark == Marking::Atomic) != Atomic)
          continue;
        if (!First)
          First = C;
        if (C->File == A.File && C->Line <= A.Line &&
            (!Above || C->Line > Above->Line))
          Above = C;
      }
      if (First)
        break;
    }
    const Access *M = Above ? Above : First;
    if (!M)
      M = In.find(A.Function)->second;
    bool Same = sameObject(*M, A);
    // A plain re-read after the function's own marked read of the object,
    // where that read is a check the re-read relies on: an acquire, which
    // orders what follows, or a lockless pre-check before a lock that the
    // re-read holds (double-checked locking).  The marking says less of
    // this read.  "After" is the extractor's, on clang's CFG: a marked load
    // of this field of this object on every path from the entry.  A
    // re-read with nothing between is the double fetch READ_ONCE() exists
    // for, and counts.
    bool AfterCheck = false;
    if (Raced && Loads && Same && A.has(AF_AfterMarkedLoad)) {
      const HeldLocks &HA = V.Held.find(&A)->second;
      const HeldLocks &HM = V.Held.find(M)->second;
      AfterCheck = M->Mark == Marking::LoadAcquire || (HA.Any && !HM.Any);
    }
    Weight = weights::SameFunctionOtherObject;
    Term = "same-function-other-object";
    llvm::StringRef Where;
    if (AfterCheck) {
      Weight = weights::SameFunctionAfterCheck;
      Term = "same-function-after-check";
      Where = " before it";
    } else if (Same) {
      Weight = weights::SameFunction;
      Term = "same-function";
      Where = " elsewhere";
      // Marked by a helper given the member (list_empty(&obj->list)): the
      // helper's contract, as accessorMarking() weighs it.
      if (const FieldArg *C = Idx.helperCallOf(M); C && !C->Members.empty()) {
        Weight = weights::SameFunctionThroughHelper;
        Term = "same-function-through-helper";
      }
      // An atomic operation (set_bit()) marks its RMW's atomicity: as a
      // helper's contract, half the weight.
      if (M->Mark == Marking::Atomic) {
        Weight = weights::SameFunctionThroughHelper;
        Term = "same-function-atomic";
      }
    }
    llvm::StringRef What = Same ? "it" : "another object's";
    llvm::StringRef Mark = markingName(M->Mark);
    F.Notes.push_back(evidenceAt(
        Evidence::SameFunctionMarks, Weight, *M,
        llvm::formatv("{0}() {1} {2} with {3} here{4}", Fn, Verb, What, Mark,
                      AfterCheck ? " first, a check this read follows"
                                 : "")
            .str()));
    Why = llvm::formatv("; {0}() {1} {2} with {3}{4}{5}", Fn, Verb, What,
                        Mark, through(*M), Where)
              .str();
  } else if (const Access *M = accessorMarking(V, A, Loads)) {
    // An accessor this function calls on its object marks it
    // (i_size_read(inode) beside inode->i_size): the accessor's contract,
    // weaker than the function's own marking.
    Weight = weights::SameFunctionThroughHelper;
    Term = "same-function-through-helper";
    llvm::StringRef Mark = markingName(M->Mark);
    llvm::StringRef Helper = displayName(M->Function);
    F.Notes.push_back(evidenceAt(
        Evidence::SameFunctionMarks, Weight, *M,
        llvm::formatv("{0}() {1} it with {2} through {3}() here", Fn, Verb,
                      Mark, Helper)
            .str()));
    Why = llvm::formatv("; {0}() {1} it with {2} through {3}() elsewhere", Fn,
                        Verb, Mark, Helper)
              .str();
  }
  const SlotFill *Via = nullptr;
  bool Helper = false;
  unsigned Marking = 0, PlainOnly = 0;
  if (const Access *P =
          peerMarking(V, A, Loads, &Via, &Helper, &Marking, &PlainOnly)) {
    llvm::StringRef Peer = displayName(Via->Function);
    std::string How = markingName(P->Mark).str();
    // A peer's atomic operation weighs as the function's own would.
    bool Atomic = P->Mark == Marking::Atomic;
    if ((Helper || Atomic) && Idx.instanceOf(P))
      How += through(*P);
    else if (Helper)
      How += " through " + displayName(P->Function).str() + "()";
    int PeerWeight =
        Helper || Atomic ? weights::PeerThroughHelper : weights::Peer;
    // Of the slot's other fillers that access the field, fewer than a
    // third mark it: the marking is those peers', not the slot's
    // convention (apparmor's ->mkdir() among every filesystem's).
    bool Minority = 3 * Marking < Marking + PlainOnly;
    if (Minority)
      PeerWeight = std::min(PeerWeight, weights::PeerMinority);
    std::string Share =
        Minority ? llvm::formatv(" ({0} of the {1} other fillers that {2} "
                                 "it mark it)",
                                 Marking, Marking + PlainOnly,
                                 Loads ? "read" : "write")
                       .str()
                 : std::string();
    F.Notes.push_back(evidenceAt(
        Evidence::PeerMarks, PeerWeight, *P,
        llvm::formatv("{0}(), also '{1}.{2}'{3}, {4} it with {5}{6}", Peer,
                      Via->OpsType, Via->Slot,
                      Via->Holder.empty() ? std::string()
                                          : " of '" + Via->Holder.str() + "'",
                      Verb, How, Share)
            .str()));
    if (Weight == 0)
      Why = llvm::formatv("; {0}(), also '{1}.{2}', {3} {4}", Peer,
                          Via->OpsType, Via->Slot,
                          Loads ? "reads it with" : "uses", How)
                .str();
    if (PeerWeight > Weight) {
      Weight = PeerWeight;
      Term = "peer";
      if (Helper)
        Term = "peer-through-helper";
      if (Atomic)
        Term = "peer-atomic";
      if (Minority)
        Term = "peer-minority";
    }
  }
  int Score = 0;
  F.add(Term, Weight, Score);
  return Weight;
}

} // namespace kmark
