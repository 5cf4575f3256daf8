//===- Rules.cpp - From facts to findings ---------------------------------===//

#include "RulesImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

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

bool siteLess(const Access *A, const Access *B) {
  return std::tie(A->File, A->Begin, A->Line, A->Col) <
         std::tie(B->File, B->Begin, B->Line, B->Col);
}

} // namespace

Analyzer::Analyzer(const Index &Idx, const KernelModel &Model)
    : Idx(Idx), Model(Model), Memo(std::make_unique<Memos>()) {}

Analyzer::~Analyzer() = default;

llvm::StringRef Analyzer::displayName(llvm::StringRef Key) {
  if (const Function *F = Idx.function(Key))
    return F->Name;
  return Key.split('@').first;
}

/// The function's first marked access of a field, where it has several;
/// a READ_ONCE()/WRITE_ONCE() before an atomic operation, the weaker
/// evidence.
static void preferMarked(llvm::StringMap<const Access *> &In,
                         const Access *A) {
  auto [It, New] = In.try_emplace(A->Function, A);
  if (!New && It->second->Mark == Marking::Atomic &&
      A->Mark != Marking::Atomic)
    It->second = A;
}

void Analyzer::analyzeField(llvm::StringRef Field,
                            llvm::ArrayRef<const Access *> Candidates,
                            std::vector<Finding> &Out) {
  FieldView V;
  V.Field = Field;
  V.Name = fieldName(Field);
  // A helper's access made at each call instead (Index::instantiated())
  // is left out.
  std::vector<const Access *> All;
  for (const Access *A : Idx.accessesOf(Field))
    if (!Idx.instantiated(A))
      All.push_back(A);
  llvm::sort(All, siteLess);
  for (const Access *A : All) {
    HeldLocks H = heldAt(*A);
    if (Idx.sysctlOf(A)) {
      std::string Via;
      sysctlMarks(*A, H, Via);
    }
    V.Held.try_emplace(A, std::move(H));
    if (llvm::StringRef M = Idx.moduleOf(A->Function); !M.empty())
      V.Modules.insert(M);
    // The struct is shared by several kinds of object if some access
    // that can race (not one on the stack, not yet published, in init
    // code) is of a kind of its own.
    std::vector<llvm::StringRef> K = kindsOf(*A);
    V.Shared |= llvm::any_of(K, [](llvm::StringRef X) { return !X.empty(); }) &&
                !isFresh(*A) && !isInitFunction(A->Function);
    V.Kinds.try_emplace(A, std::move(K));
    V.AnyStore |= A->Kind != AccessKind::Load;
    // Stores before publication race with nobody.
    if (A->Kind != AccessKind::Load && !isFresh(*A) &&
        !isInitFunction(A->Function))
      V.Stores.emplace_back(A, V.Held.find(A)->second);
  }
  llvm::DenseSet<const Access *> Written; // the marked accesses' sources
  auto Source = [&](const Access *A) {
    const Access *X = Idx.instanceOf(A);
    return X ? X : A;
  };
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
      // The shares of marked accesses count the field's READ_ONCE() and
      // WRITE_ONCE() convention; an atomic operation is another one.
      if (A->Mark != Marking::Atomic)
        V.MarkedLoadSites += Written.insert(Source(A)).second;
      preferMarked(V.MarkedLoadIn, A);
      // Lockless: it holds no lock, or none of the locks some store of
      // this kind of object visibly holds.  A store with no visible lock
      // says nothing here: its callers may hold the reader's lock.
      const HeldLocks &H = V.Held.find(A)->second;
      if (!H.Any || llvm::any_of(V.Stores, [&](const auto &S) {
            return S.second.Any && mayRace(H, S.second) &&
                   kindRelation(V, *A, *S.first) != KindRelation::Different;
          }))
        V.LocklessMarkedLoads.push_back(A);
    } else if (isMarkedStore(*A)) {
      V.MarkedStores.push_back(A);
      if (A->Mark != Marking::Atomic)
        V.MarkedStoreSites += Written.insert(Source(A)).second;
      preferMarked(V.MarkedStoreIn, A);
    } else if (A->Mark == Marking::Plain && exemption(*A).empty()) {
      if (A->Kind == AccessKind::Load) {
        ++V.PlainLoads;
        V.PlainLoadIn.insert(A->Function);
      } else {
        ++V.PlainStores;
        V.PlainStoreIn.insert(A->Function);
      }
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
  // A check may have found wrapping wrong already (an atomic change races).
  for (Finding &F : Out) {
    if (!F.NoFixWhy.empty())
      continue;
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
