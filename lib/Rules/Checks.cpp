//===- Checks.cpp - Findings and their confidence -------------------------===//

#include "RulesImpl.h"

#include "Weights.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace kmark {

/// The first of Sites for each relation in Order, picked as pick() does.
static const Access *
pickByKind(const Index &Idx, llvm::ArrayRef<const Access *> Sites,
           llvm::ArrayRef<KindRelation> Order,
           llvm::function_ref<KindRelation(const Access &)> Relation,
           llvm::StringRef File, SiteFilter NotIn, KindRelation &Found) {
  for (KindRelation R : Order) {
    // Of the same kind, one whose own function knows the kind first
    // (smc_connect_work()'s smc->sk.sk_err before a helper's parameter).
    // A helper's access made at a call is the helper's, whatever kind the
    // call passes.
    for (bool Own : {true, false}) {
      std::vector<const Access *> Of;
      for (const Access *S : Sites)
        if (Relation(*S) == R &&
            (!Own || (!S->ObjectKind.empty() && !Idx.instanceOf(S))))
          Of.push_back(S);
      if (const Access *P = pick(Of, File, NotIn)) {
        Found = R;
        return P;
      }
    }
  }
  return nullptr;
}

std::optional<Finding> Analyzer::checkLoad(const FieldView &V,
                                           const Access &A) {
  // What says the field is read while written: a marked writer, or else
  // other readers that read it with READ_ONCE() (the readers disagree).
  // Under a lock that every writer holds, no store can run concurrently.
  // Only accesses of this kind of object count: TCP's WRITE_ONCE() of
  // sk_err races with no SMC socket's read.
  if (!racesWithAStore(V, A))
    return std::nullopt;
  // This function's own accesses, those its helpers make for it included.
  auto NotIn = [&](const Access &S) { return madeIn(S, A.Function); };
  const HeldLocks &H = V.Held.find(&A)->second;
  auto Rel = [&](const Access &B) { return kindRelation(V, A, B); };
  const KindRelation SameFirst[] = {KindRelation::Same, KindRelation::Unknown};
  std::vector<const Access *> Writers, NotAtomic;
  // A marked store to a new object (__d_alloc()'s smp_store_release() of
  // a new dentry's name, which orders its init) races with no reader; it
  // still shows the field's convention.  Not one "published later": a
  // link after an unlink (md_kick_rdev_from_array()) moves a live object.
  // Not one to memory the function cleared: a ring's slot marked after
  // its memset() is marked for the readers of the ring.
  auto New = [&](const Access &W) {
    return isFresh(W) && W.From.Source != ClearedMemory;
  };
  for (const Access *W : V.MarkedStores)
    if (mayRace(H, V.Held.find(W)->second) && !New(*W)) {
      Writers.push_back(W);
      if (W->Mark != Marking::Atomic)
        NotAtomic.push_back(W);
    }
  KindRelation Racing = KindRelation::Same;
  // A WRITE_ONCE() writer of this kind first; an atomic one (sock_error()'s
  // xchg()) only after a plain writer of this kind, the other half of the
  // inconsistency, below.
  const Access *Writer =
      pickByKind(Idx, NotAtomic, KindRelation::Same, Rel, A.File, NotIn,
                 Racing);
  // No marked store of this kind, but the field is marked on other kinds
  // of object (or none known) and a plain store of this kind races:
  // smc_poll()'s read and smc_connect_work()'s store.
  const Access *PlainWriter = nullptr;
  auto MarkedOnOtherKinds = [&] {
    auto Other = [&](const Access *M) { return Rel(*M) != KindRelation::Same; };
    return llvm::any_of(V.MarkedStores, Other) ||
           llvm::any_of(V.LocklessMarkedLoads, Other);
  };
  if (!Writer && V.Shared && MarkedOnOtherKinds()) {
    std::vector<const Access *> Plain;
    for (const auto &[S, SH] : V.Stores)
      if (S->Mark == Marking::Plain && S != &A && mayRace(H, SH) &&
          exemption(*S).empty())
        Plain.push_back(S);
    PlainWriter = pickByKind(Idx, Plain, KindRelation::Same, Rel, A.File,
                             [](const Access &) { return false; }, Racing);
  }
  if (!Writer && !PlainWriter)
    Writer = pickByKind(Idx, Writers, KindRelation::Same, Rel, A.File, NotIn,
                        Racing);
  if (!Writer && !PlainWriter)
    Writer = pickByKind(Idx, Writers, KindRelation::Unknown, Rel, A.File, NotIn,
                        Racing);
  const Access *Reader = nullptr;
  if (!Writer && !PlainWriter) {
    // Other readers that mark the field show its convention, not a race
    // of their own: one in a peer module counts (lockd's and nfsv4's
    // rpc_call_done callbacks read an rpc_task's status that sunrpc, not
    // indexed, writes), though its writers would not.
    auto Convention = [&](const Access &B) {
      return kindRelation(V, A, B, /*Peers=*/false);
    };
    std::vector<const Access *> Unlocked;
    for (const Access *R : V.LocklessMarkedLoads)
      if (!V.Held.find(R)->second.Any)
        Unlocked.push_back(R);
    Reader = pickByKind(Idx, Unlocked, SameFirst, Convention, A.File, NotIn,
                        Racing);
    if (!Reader)
      Reader = pickByKind(Idx, V.LocklessMarkedLoads, SameFirst, Convention,
                          A.File, NotIn, Racing);
  }
  // The function's own READ_ONCE() of the field, when no other access is
  // marked (deactivate_slab() reads slab->freelist once with READ_ONCE()
  // and once plainly): the marking evidence below is then all there is.
  // It needs a writer to race with: a store of the index that can run
  // beside this read, past its object's set-up (V.Stores leaves out new
  // objects and init code; here also stores before publication and at
  // teardown).  Where the index has stores and none can, no other CPU's
  // store is there to race.  Where it has none at all, the writer is
  // outside the index or is the device (ena's completion descriptors):
  // the finding stays, at the low tier.
  auto StoreRaces = [&] {
    return llvm::any_of(V.Stores, [&](const auto &S) {
      const Access &W = *S.first;
      return &W != &A && mayRace(H, S.second) &&
             kindRelation(V, A, W) != KindRelation::Different &&
             !W.has(AF_BeforePublication) && !W.has(AF_TornDown) &&
             !publishedLater(W);
    });
  };
  const Access *Own = nullptr;
  bool NoStoreIndexed = !V.AnyStore;
  if (!Writer && !PlainWriter && !Reader && (NoStoreIndexed || StoreRaces()))
    for (const Access *R : V.LocklessMarkedLoads)
      if (R->Function == A.Function && sameObject(*R, A)) {
        Own = R;
        Racing = KindRelation::Same;
        break;
      }
  if (!Writer && !PlainWriter && !Reader && !Own)
    return std::nullopt;
  bool Locked = lockHeld(A);
  Finding F;
  F.Check = CheckKind::MissingReadOnce;
  F.Site = &A;
  llvm::StringRef Fn = displayName(A.Function);
  std::string Why;
  int Score = weights::MarkedReaderOnly;
  llvm::StringRef Base = Own ? "own-marked-read" : "marked-reader-only";
  std::string WriterHow; // what the message says of the writer
  bool SysctlRaces = false;
  if (const SysctlEntry *S = Writer ? Idx.sysctlOf(Writer) : nullptr) {
    // A sysctl: the handler writes through ctl_table.data.
    HeldLocks Ignored;
    std::string Via;
    bool Marks = sysctlMarks(*Writer, Ignored, Via);
    SysctlRaces = Marks;
    Score = Marks ? weights::SysctlWriter : weights::SysctlUnknownHandler;
    Base = Marks ? "sysctl-writer" : "sysctl-unknown-handler";
    llvm::StringRef Handler = S->Handler.empty()
                                  ? llvm::StringRef("its handler")
                                  : displayName(Writer->Function);
    std::string Name = S->Procname.empty()
                           ? std::string()
                           : "sysctl '" + S->Procname.str() + "': ";
    std::string Call = S->Handler.empty() ? "" : "()";
    std::string How = "and kmark does not know if it marks the write";
    if (Marks)
      How = Via.empty() ? std::string("with WRITE_ONCE()")
                        : "with WRITE_ONCE() in " + Via + "()";
    F.Notes.push_back(evidenceAt(
        Evidence::MarkedWriter, Score, *Writer,
        llvm::formatv("{0}{1}{2} writes '{3}' through ctl_table.data {4}",
                      Name, Handler, Call, textOr(*Writer, V.Name), How)
            .str()));
    F.RacingFunction = Writer->Function;
    WriterHow = llvm::formatv("{0}{1}, which writes it through a sysctl's "
                              "ctl_table.data{2}",
                              Handler, Call,
                              Marks ? " with WRITE_ONCE()" : "")
                    .str();
  } else if (Writer) {
    Score = Racing == KindRelation::Same ? weights::MarkedWriter
                                         : weights::MarkedWriterUnknownKind;
    Base = Racing == KindRelation::Same ? "marked-writer"
                                        : "marked-writer-unknown-kind";
    F.Notes.push_back(evidenceAt(
        Evidence::MarkedWriter, Score, *Writer,
        llvm::formatv("{0}() writes '{1}' with {2}{3}{4}",
                      displayName(Writer->Function), textOr(*Writer, V.Name),
                      markingName(Writer->Mark), through(*Writer),
                      kindNote(V, A, *Writer, Racing))
            .str()));
    F.RacingFunction = Writer->Function;
    WriterHow = llvm::formatv("{0}(), which writes it with {1}{2}",
                              displayName(Writer->Function),
                              markingName(Writer->Mark), through(*Writer))
                    .str();
  } else if (PlainWriter) {
    Score = weights::PlainWriterSameKind;
    Base = "plain-writer-same-kind";
    F.Notes.push_back(evidenceAt(
        Evidence::PlainWriter, Score, *PlainWriter,
        llvm::formatv("{0}() writes '{1}' plainly{2}",
                      displayName(PlainWriter->Function),
                      textOr(*PlainWriter, V.Name),
                      kindNote(V, A, *PlainWriter, Racing))
            .str()));
    F.RacingFunction = PlainWriter->Function;
  } else if (Own) {
    F.RacingFunction = A.Function; // itself, on another CPU
  } else {
    F.Notes.push_back(evidenceAt(
        Evidence::LocklessMarkedReader, weights::MarkedReaderOnly, *Reader,
        llvm::formatv("{0}() reads '{1}' locklessly with {2}{3}{4}",
                      displayName(Reader->Function), textOr(*Reader, V.Name),
                      markingName(Reader->Mark), through(*Reader),
                      kindNote(V, A, *Reader, Racing))
            .str()));
    F.RacingFunction = Reader->Function;
  }

  {
    int Start = Score;
    Score = 0;
    F.add(Base, Start, Score);
  }
  if (Writer && Writer->Mark == Marking::Atomic)
    F.add("atomic-writer", weights::AtomicWriter, Score);
  else if (!Writer && Reader && Reader->Mark == Marking::Atomic)
    F.add("atomic-reader", weights::AtomicReader, Score);
  int Context = markingEvidence(V, A, /*Loads=*/true, F, Why,
                                /*Raced=*/Own == nullptr);
  // A sysctl's handler runs whenever the file is written, holding none of
  // this read's locks: the read races with it wherever it runs.
  if (SysctlRaces)
    F.add("sysctl-race", weights::SysctlRace, Context);
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
    F.add("lockless-slot", weights::LocklessSlot, Context);
  }
  if (Context == 0 && !Locked) {
    // Weak: no lock is visibly held here, though a caller may hold one.
    F.add("no-visible-lock", weights::NoVisibleLock, Context);
    Why = llvm::formatv("; no lock is visibly held in {0}()", Fn).str();
  }
  if (Context == 0)
    return std::nullopt; // nothing says this read is lockless
  Score += Context;
  unsigned Loads = V.MarkedLoadSites + V.PlainLoads;
  if (Loads)
    F.add("marked-read-share",
          static_cast<int>(weights::MarkedReadShare * V.MarkedLoadSites /
                           Loads),
          Score);
  if (Locked && !SysctlRaces)
    F.add("lock-held-at-read", weights::LockHeldAtRead, Score);
  // The function publishes this object's field itself, with WRITE_ONCE()
  // or a release, and no other function marks a store of it that races
  // with the read: it is the field's marking writer, whose stores the
  // others' lockless reads pair with, and its own plain reads race with
  // no marked store but its own, were the function to run twice at once
  // on one object (access-marking.txt: the other CPUs' reads need the
  // marking).  e1000_clean_tx_irq() reads the next_to_clean it releases;
  // a virtqueue's get_buf the last_used_idx it writes.  Not a read inside
  // that store's own value, WRITE_ONCE(x, x + 1): a counter bumped from
  // several CPUs, where the read races with the other CPU's store.  A
  // cmpxchg loop (several writers) stores atomically, which is no
  // WRITE_ONCE() or release: not the owner's marking.
  auto InValueOf = [&](const Access &W) {
    // Spelled in a macro's argument at or after the store's target: the
    // value of WRITE_ONCE(x, ...), on its line or the next few (at the
    // target itself for a wrapper, ADD_ONCE(x, n) spelling both).
    return A.has(AF_InMacroArg) && W.File == A.File &&
           (A.Line > W.Line || (A.Line == W.Line && A.Col >= W.Col)) &&
           A.Line <= W.Line + 3;
  };
  if (!Writer && !PlainWriter && !SysctlRaces) {
    const Access *OwnStore = nullptr;
    for (const Access *W : V.MarkedStores)
      if (W->Function == A.Function && sameObject(*W, A) &&
          (W->Mark == Marking::WriteOnce ||
           W->Mark == Marking::StoreRelease)) {
        if (InValueOf(*W)) {
          OwnStore = nullptr;
          break;
        }
        if (!OwnStore)
          OwnStore = W;
      }
    if (OwnStore) {
      F.Notes.push_back(evidenceAt(
          Evidence::OwnerWrites, weights::OwnerRead, *OwnStore,
          llvm::formatv("{0}() writes it with {1} here: the field's only "
                        "marking writer, whose own reads need no marking",
                        Fn, markingName(OwnStore->Mark))
              .str()));
      F.add("owner-read", weights::OwnerRead, Score);
    }
  }
  // A field read plainly almost everywhere and marked once or twice: the
  // marking is local to a fast path, not the field's rule.
  if (V.PlainLoads >= weights::ManyPlain &&
      V.MarkedLoadSites + V.MarkedStoreSites <= weights::FewMarked)
    F.add("local-fast-path", weights::LocalFastPath, Score);
  // Its own marking, and no writer to show: below the default tier.
  if (Own && NoStoreIndexed)
    F.add("no-store-indexed",
          std::min(0, weights::NoStoreIndexedCap - Score), Score);
  F.Confidence = std::clamp(Score, 0, 100);
  if (PlainWriter)
    F.Message = llvm::formatv("plain load of '{0}' races with {1}(), which "
                              "writes it plainly{2}",
                              V.Name, displayName(PlainWriter->Function), Why)
                    .str();
  else if (Writer)
    F.Message = llvm::formatv("plain load of '{0}' races with {1}{2}", V.Name,
                              WriterHow, Why)
                    .str();
  else if (Own)
    F.Message = llvm::formatv("plain load of '{0}', which {1}() reads with "
                              "{2} elsewhere{3}",
                              V.Name, Fn, markingName(Own->Mark),
                              NoStoreIndexed ? "; no store of it is indexed"
                                             : "")
                    .str();
  else
    F.Message = llvm::formatv("plain load of '{0}', which {1}() reads with "
                              "{2}{3}",
                              V.Name, displayName(Reader->Function),
                              markingName(Reader->Mark), Why)
                    .str();
  return F;
}

std::optional<Finding> Analyzer::checkStore(const FieldView &V,
                                            const Access &A,
                                            llvm::ArrayRef<Finding> Loads) {
  // A lockless reader of this kind of object: one that holds no lock, else
  // one that holds none of this store's locks; of the same kind first,
  // else of no known kind.  A reader of another kind (inet's READ_ONCE()
  // of sk_max_ack_backlog for an ATM socket's store) races with nothing
  // here.
  const HeldLocks &H = V.Held.find(&A)->second;
  auto Rel = [&](const Access &B) { return kindRelation(V, A, B); };
  // This function's own accesses, those its helpers make for it included.
  auto NotIn = [&](const Access &S) { return madeIn(S, A.Function); };
  // A reader that holds a lock some store of the field holds is no
  // evidence against a store whose lock kmark cannot see: that store's
  // callers likely hold it too (a READ_ONCE() left under the writers'
  // lock).
  auto HoldsWritersLock = [&](const HeldLocks &RH) {
    return llvm::any_of(V.Stores, [&](const auto &S) {
      return S.second.Any && !mayRace(RH, S.second);
    });
  };
  // A reader in this store's own kernel thread runs one piece at a time
  // with it: named only when no other reader races, and weighed down.
  std::vector<const Access *> Unlocked, Readers, OtherKinds, InThread;
  for (const Access *R : V.LocklessMarkedLoads) {
    const HeldLocks &RH = V.Held.find(R)->second;
    if (!mayRace(H, RH) || (!H.Any && RH.Any && HoldsWritersLock(RH)))
      continue;
    if (Rel(*R) != KindRelation::Same)
      OtherKinds.push_back(R);
    if (sameThread(A.Function, R->Function)) {
      if (Rel(*R) != KindRelation::Different)
        InThread.push_back(R);
      continue;
    }
    if (Rel(*R) != KindRelation::Different)
      (RH.Any ? Readers : Unlocked).push_back(R);
  }
  KindRelation Racing = KindRelation::Same;
  const Access *Reader =
      pickByKind(Idx, Unlocked, KindRelation::Same, Rel, A.File, NotIn, Racing);
  if (!Reader)
    Reader = pickByKind(Idx, Readers, KindRelation::Same, Rel, A.File, NotIn,
                        Racing);
  // None of this kind marks it, but a plain lockless reader of this kind
  // races with the store (a finding itself) and other kinds of object
  // mark the field: smc_connect_work()'s store and smc_poll()'s read,
  // where TCP's sk_err is read with READ_ONCE().
  const Finding *PlainReader = nullptr;
  const Access *Convention = nullptr;
  auto Rank = [&](const Finding &L) {
    // In this file, on another line, in another function, then the object
    // reached directly (sk->sk_err before smc->clcsock->sk->sk_err).
    return (L.Site->File == A.File ? 400 : 0) +
           (L.Site->Line != A.Line ? 200 : 0) +
           (L.Site->Function != A.Function ? 100 : 0) -
           static_cast<int>(std::min<size_t>(L.Site->Text.count("->"), 99));
  };
  if (!Reader && !OtherKinds.empty()) {
    for (const Finding &L : Loads)
      if (L.Confidence >= MediumConfidence &&
          Rel(*L.Site) == KindRelation::Same &&
          mayRace(H, V.Held.find(L.Site)->second) &&
          !sameThread(A.Function, L.Site->Function) &&
          (!PlainReader || Rank(L) > Rank(*PlainReader)))
        PlainReader = &L;
    Convention = pick(OtherKinds, A.File, NotIn);
  }
  if (!Reader && !PlainReader) {
    Reader = pickByKind(Idx, Unlocked, KindRelation::Unknown, Rel, A.File,
                        NotIn, Racing);
    if (!Reader)
      Reader = pickByKind(Idx, Readers, KindRelation::Unknown, Rel, A.File,
                          NotIn, Racing);
  }
  bool SameThread = false;
  if (!Reader && !PlainReader && !InThread.empty()) {
    Reader = pickByKind(Idx, InThread, {KindRelation::Same, KindRelation::Unknown},
                        Rel, A.File, NotIn, Racing);
    SameThread = Reader != nullptr;
  }
  if (!Reader && !PlainReader)
    return std::nullopt;
  Finding F;
  F.Check = CheckKind::MissingWriteOnce;
  F.Site = &A;
  const Access &Racer = Reader ? *Reader : *PlainReader->Site;
  F.RacingFunction = Racer.Function;
  const HeldLocks &RH = V.Held.find(&Racer)->second;
  std::string Locks = lockNames(H.Named);
  std::string Why;
  int Score = 0;
  bool Guarded = false, OtherLock = false, ListLock = false;
  if (Reader) {
    // access-marking.txt's lock-protected writes with lockless reads: this
    // store holds a lock and a reader in the same file holds none.  (The
    // same file: a reader elsewhere may read another kind of object.)
    // A reader of no known kind in the same file counts too, for less.
    Guarded = Racing != KindRelation::Different && !H.Named.empty() &&
              !RH.Any && Reader->File == A.File;
    // The best of the locks held: the object's, a list's that links it,
    // or another object's.
    LockOwner Owner = LockOwner::Object;
    if (Guarded && !H.Unknown) {
      Owner = LockOwner::Other;
      for (const LockFact &L : H.Named) {
        Owner = std::min(Owner, lockOwner(A, L.Class));
        if (Owner == LockOwner::Object)
          break;
      }
    }
    OtherLock = Owner == LockOwner::Other;
    ListLock = Owner == LockOwner::List;
    int ReaderWeight = weights::LocklessReaderUnknownKind;
    if (Guarded)
      ReaderWeight = Racing == KindRelation::Same
                         ? weights::GuardedReader
                         : weights::GuardedReaderUnknownKind;
    else if (Racing == KindRelation::Same)
      ReaderWeight = weights::LocklessReader;
    llvm::StringRef Term = "lockless-reader-unknown-kind";
    if (Guarded)
      Term = Racing == KindRelation::Same ? "guarded-reader"
                                          : "guarded-reader-unknown-kind";
    else if (Racing == KindRelation::Same)
      Term = "lockless-reader";
    F.add(Term, ReaderWeight, Score);
    if (Reader->Mark == Marking::Atomic)
      F.add("atomic-reader", weights::AtomicReader, Score);
    if (OtherLock)
      F.add("other-object-lock", weights::OtherObjectLock, Score);
    if (ListLock)
      F.add("list-lock", weights::ListLock, Score);
    llvm::StringRef Mark = markingName(Reader->Mark);
    std::string How;
    if (OtherLock)
      How = llvm::formatv("with {0} and no lock, while this store holds '{1}', "
                          "a lock of another object than the {2} it writes",
                          Mark, Locks, recordName(A.Field))
                .str();
    else if (ListLock)
      How = llvm::formatv("with {0} and no lock, while this store holds '{1}', "
                          "the lock of a list that links the {2} it writes",
                          Mark, Locks, recordName(A.Field))
                .str();
    else if (Guarded)
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
        llvm::formatv("{0}() reads '{1}'{2} {3}{4}",
                      displayName(Reader->Function),
                      textOr(*Reader, V.Name), through(*Reader), How,
                      kindNote(V, A, *Reader, Racing))
            .str()));
    if (SameThread) {
      // One kernel thread runs both, one at a time, unless several
      // threads run its function over shared data (a pool).
      F.Notes.push_back(evidenceAt(
          Evidence::SameThread, weights::SameThread, *Reader,
          llvm::formatv("{0}() and this store both run only in {1}()'s "
                        "kernel thread",
                        displayName(Reader->Function),
                        displayName(threadOf(A.Function)))
              .str()));
      F.add("same-thread", weights::SameThread, Score);
    }
  } else {
    F.add("plain-reader-same-kind", weights::PlainReaderSameKind, Score);
    llvm::StringRef RFn = displayName(Racer.Function);
    F.Notes.push_back(evidenceAt(
        Evidence::LocklessPlainReader, weights::PlainReaderSameKind, Racer,
        llvm::formatv("{0}() reads it without a lock here{1}", RFn,
                      kindNote(V, A, Racer, KindRelation::Same))
            .str()));
    if (Convention) {
      F.add("marked-on-other-kinds", weights::MarkedOnOtherKinds, Score);
      F.Notes.push_back(evidenceAt(
          Evidence::MarkedOnOtherKinds, weights::MarkedOnOtherKinds,
          *Convention,
          llvm::formatv("{0}() reads '{1}' with {2}{3}",
                        displayName(Convention->Function),
                        textOr(*Convention, V.Name),
                        markingName(Convention->Mark),
                        kindNote(V, A, *Convention, Rel(*Convention)))
              .str()));
      llvm::StringRef Other;
      if (Rel(*Convention) == KindRelation::Different)
        Other = distinctMembers(A, *Convention) ? " on another member"
                                                : " on another kind of object";
      Why = llvm::formatv("; {0}() reads it with {1}{2}",
                          displayName(Convention->Function),
                          markingName(Convention->Mark), Other)
                .str();
    }
  }
  if (Racer.File == A.File)
    F.add("reader-in-same-file", weights::ReaderInSameFile, Score);

  std::string Marking;
  int Strong = markingEvidence(V, A, /*Loads=*/false, F, Marking);
  Score += Strong;
  if (!Marking.empty())
    Why = Marking;
  // Another lockless plain reader of this kind in this file (itself a
  // missing-read-once finding): one on another line, in another function
  // if there is one.  Not one in the cited reader's own function: that
  // function reading the field twice is one context, not a second one
  // (qed's destroy_qp() re-reading ep->state after its READ_ONCE(); a
  // plain racer's own second read); its plain read is its own finding.
  const Finding *Near = nullptr;
  for (const Finding &L : Loads)
    if (L.Site->File == A.File && L.Site != &Racer &&
        L.Site->Function != Racer.Function &&
        L.Confidence >= MediumConfidence &&
        Rel(*L.Site) == KindRelation::Same &&
        !sameThread(A.Function, L.Site->Function) &&
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
    F.add("plain-reader-nearby", weights::PlainReaderNearby, Score);
  }
  // Nothing but the marked reader: a store that holds no lock, read with
  // READ_ONCE() by a function whose locks (if any) do not exclude it,
  // whose function marks nothing of the field, in no peer slot that does,
  // with no second lockless reader.  The reader is the field's convention;
  // that this store runs while the object is shared, nothing shows: such
  // stores are mostly setup of an object no reader reaches yet (a ring
  // buffer just allocated, a CPU's timer bases before it comes up).
  if (Reader && !H.Any && Strong == 0 && !Near && !SameThread)
    F.add("unlocked-reader-only", weights::UnlockedReaderOnly, Score);
  if (Why.empty() && Guarded)
    Why = llvm::formatv(", which holds no lock; this store holds '{0}'", Locks)
              .str();
  unsigned Stores = V.MarkedStoreSites + V.PlainStores;
  if (Stores)
    F.add("marked-store-share",
          static_cast<int>(weights::MarkedStoreShare * V.MarkedStoreSites /
                           Stores),
          Score);
  // Most stores of the field plain: a pattern the subsystem lives with
  // (dentry::d_flags), not one store forgotten.
  if (V.PlainStores >= weights::ManyPlain)
    F.add("many-plain-stores", weights::ManyPlainStores, Score);
  // Named as an initialiser (init_srcu_struct_fields(),
  // rcu_segcblist_init()): most set up an object no other CPU sees yet,
  // some re-initialise a live one.
  if (Model.isInitialiserName(displayName(A.Function)))
    F.add("initialiser-name", weights::InitialiserName, Score);
  F.Confidence = std::clamp(Score, 0, 100);
  F.Message =
      llvm::formatv("plain {0} to '{1}' races with {2} {3}(){4}",
                    A.Kind == AccessKind::RMW ? "read-modify-write" : "store",
                    V.Name, RH.Any ? "reader" : "lockless reader",
                    displayName(Racer.Function), Why)
          .str();
  // Where an atomic change of the field (set_bit()) may run beside this
  // plain read-modify-write (`flags |= B`), WRITE_ONCE(x, x | B) would
  // silence KCSAN and still lose its update: the fix is an atomic
  // operation or a lock, which kmark does not write.  A whole store
  // (`flags = 0`, `sk_err = e` beside sock_error()'s xchg()) loses nothing
  // WRITE_ONCE() does not: either order is one the code allows.  Atomic
  // changes made under a lock this one holds lose nothing.
  for (const auto &[S, SH] : V.Stores)
    if (A.Kind == AccessKind::RMW && S->Mark == Marking::Atomic &&
        mayRace(H, SH) && kindRelation(V, A, *S) != KindRelation::Different) {
      F.NoFixWhy = llvm::formatv("{0}() changes the field with an atomic "
                                 "operation{1} without a lock this store "
                                 "holds; this read-modify-write loses its "
                                 "update, marked or not, and WRITE_ONCE() "
                                 "would only silence KCSAN: use an atomic "
                                 "operation, or a lock",
                                 displayName(S->Function), through(*S))
                       .str();
      break;
    }
  return F;
}

/// What a note says of the kind of object an access touches, where the
/// field's struct is shared by several kinds.
std::string Analyzer::kindNote(const FieldView &V, const Access &A,
                               const Access &B,
                               KindRelation R) {
  if (!V.Shared)
    return "";
  if (R == KindRelation::Unknown)
    return ", on an object of no known kind";
  // Another member of the same kind of object: say which.
  if (R == KindRelation::Different && distinctMembers(A, B))
    return (", on another member ('" + B.Members + "')").str();
  // Name the kind the two share, not whichever of B's comes first: a
  // helper that writes sk_buff_heads of a Qdisc and of a driver is cited
  // for the driver's.
  const std::vector<llvm::StringRef> &K = V.Kinds.find(&B)->second;
  const std::vector<llvm::StringRef> &KA = V.Kinds.find(&A)->second;
  auto It = llvm::find_if(K, [&](llvm::StringRef X) {
    return !X.empty() &&
           (R != KindRelation::Same ||
            llvm::any_of(KA, [&](llvm::StringRef Y) {
              return !Y.empty() && compatibleKinds(X, Y);
            }));
  });
  if (It == K.end())
    return "";
  llvm::StringRef Outer = It->split('>').first;
  return (R == KindRelation::Different ? ", on another kind of object ("
                                       : ", on an object of this kind (") +
         Outer.str() + ")";
}

} // namespace kmark
