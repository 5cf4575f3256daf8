//===- Checks.cpp - Findings and their confidence -------------------------===//

#include "RulesImpl.h"

#include "Weights.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace kmark {

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
  int Score = Writer ? weights::MarkedWriter : weights::MarkedReaderOnly;
  if (Writer) {
    F.Notes.push_back(evidenceAt(
        Evidence::MarkedWriter, weights::MarkedWriter, *Writer,
        llvm::formatv("{0}() writes '{1}' with {2}",
                      displayName(Writer->Function), textOr(*Writer, V.Field),
                      markingName(Writer->Mark))
            .str()));
    F.RacingFunction = Writer->Function;
  } else if (Own) {
    F.RacingFunction = A.Function; // itself, on another CPU
  } else {
    F.Notes.push_back(evidenceAt(
        Evidence::LocklessMarkedReader, weights::MarkedReaderOnly, *Reader,
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
    E.Weight = weights::LocklessSlot;
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
    Context += weights::LocklessSlot;
  }
  if (Context == 0 && !Locked) {
    // Weak: no lock is visibly held here, though a caller may hold one.
    Context = weights::NoVisibleLock;
    Why = llvm::formatv("; no lock is visibly held in {0}()", Fn).str();
  }
  if (Context == 0)
    return std::nullopt; // nothing says this read is lockless
  Score += Context;
  unsigned Loads = V.MarkedLoads.size() + V.PlainLoads;
  if (Loads)
    Score += static_cast<int>(weights::MarkedReadShare * V.MarkedLoads.size() /
                              Loads);
  if (Locked)
    Score += weights::LockHeldAtRead;
  // A field read plainly almost everywhere and marked once or twice: the
  // marking is local to a fast path, not the field's rule.
  if (V.PlainLoads >= weights::ManyPlain &&
      V.MarkedLoads.size() + V.MarkedStores.size() <= weights::FewMarked)
    Score += weights::LocalFastPath;
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
  int ReaderWeight = Guarded ? weights::GuardedReader : weights::LocklessReader;
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
    Score += weights::ReaderInSameFile;

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
        Evidence::LocklessPlainReader, weights::PlainReaderNearby, *L.Site,
        llvm::formatv("{0}() reads it without a lock here", RFn).str()));
    if (Strong == 0)
      Why = llvm::formatv("; {0}() reads it locklessly in this file", RFn)
                .str();
    Score += weights::PlainReaderNearby;
  }
  if (Why.empty() && Guarded)
    Why = llvm::formatv(", which holds no lock; this store holds '{0}'", Locks)
              .str();
  unsigned Stores = V.MarkedStores.size() + V.PlainStores;
  if (Stores)
    Score += static_cast<int>(weights::MarkedStoreShare *
                              V.MarkedStores.size() / Stores);
  // Most stores of the field plain: a pattern the subsystem lives with
  // (dentry::d_flags), not one store forgotten.
  if (V.PlainStores >= weights::ManyPlain)
    Score += weights::ManyPlainStores;
  // Named as an initialiser (init_srcu_struct_fields(),
  // rcu_segcblist_init()): most set up an object no other CPU sees yet,
  // some re-initialise a live one.
  if (Model.isInitialiserName(displayName(A.Function)))
    Score += weights::InitialiserName;
  F.Confidence = std::clamp(Score, 0, 100);
  F.Message =
      llvm::formatv("plain {0} to '{1}' races with {2} {3}(){4}",
                    A.Kind == AccessKind::RMW ? "read-modify-write" : "store",
                    V.Field, RH.Any ? "reader" : "lockless reader",
                    displayName(Reader->Function), Why)
          .str();
  return F;
}

} // namespace kmark
