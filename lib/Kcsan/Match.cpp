//===- Match.cpp - A KCSAN report, resolved against the index -------------===//

#include "kmark/KcsanMatch.h"

#include "kmark/Report.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

namespace kmark {

namespace {

/// Below this many points between the best field and the next, the report
/// does not say which field it is about.
constexpr unsigned DecisiveMargin = 10;

llvm::StringRef nameOf(llvm::StringRef FunctionKey) {
  return FunctionKey.split('@').first;
}

/// How well an access of the index matches the report's access kind; 0
/// when it cannot be that access.
unsigned kindScore(KcsanAccessKind K, AccessKind A) {
  switch (K) {
  case KcsanAccessKind::Read:
    if (A == AccessKind::RMW)
      return 15; // a read-modify-write reads
    return A == AccessKind::Load ? 30 : 0;
  case KcsanAccessKind::Write:
    if (A == AccessKind::RMW)
      return 15; // and writes
    return A == AccessKind::Store ? 30 : 0;
  case KcsanAccessKind::ReadWrite:
    return A == AccessKind::RMW ? 30 : 10;
  case KcsanAccessKind::AssertNoWrites:
  case KcsanAccessKind::AssertNoAccesses:
    return 5; // an assertion, not an access: any access of its field
  }
  return 0;
}

/// Whether two paths name the same file: the report's is relative to the
/// kernel's source root, the index's relative to the tree's root.
bool sameFile(llvm::StringRef Report, llvm::StringRef Indexed) {
  if (Report.empty() || Indexed.empty())
    return false;
  return Report == Indexed || Indexed.ends_with(("/" + Report).str()) ||
         Report.ends_with(("/" + Indexed).str());
}

unsigned lineScore(unsigned Distance) {
  if (Distance == 0)
    return 30;
  if (Distance <= 3)
    return 25;
  if (Distance <= 20)
    return 20;
  if (Distance <= 100)
    return 12;
  if (Distance <= 500)
    return 6;
  return 2;
}

/// Whether two accesses exclude each other by a lock both hold.
bool shareALock(const Access &A, const Access &B) {
  for (const LockFact &L : A.Locks) {
    if (L.Released || !L.named())
      continue;
    for (const LockFact &M : B.Locks)
      if (!M.Released && M.Class == L.Class &&
          (L.Mode != LockMode::Shared || M.Mode != LockMode::Shared))
        return true;
  }
  return false;
}

bool writes(const Access &A) { return A.Kind != AccessKind::Load; }

/// Whether two accesses reach objects of one kind: the struct chains
/// (lib/Facts/Kinds.h) are equal, or one is the other's tail.
bool kindsAgree(llvm::StringRef A, llvm::StringRef B) {
  return A == B || A.ends_with((">" + B).str()) ||
         B.ends_with((">" + A).str());
}

/// What the objects' kinds say about a pair of accesses to one address:
/// +10 for one known kind, -10 for two different ones, 0 when unknown.
int kindAgreement(const Access &A, const Access &B) {
  if (A.ObjectKind.empty() || B.ObjectKind.empty())
    return 0;
  if (A.ObjectKind == B.ObjectKind)
    return 10;
  return kindsAgree(A.ObjectKind, B.ObjectKind) ? 0 : -10;
}

Evidence evidenceAt(const Access &A, Evidence::Kind K) {
  Evidence E;
  E.K = K;
  E.File = A.File;
  E.Line = A.Line;
  E.Col = A.Col;
  return E;
}

std::string functionText(const Access &A) {
  return (nameOf(A.Function) + "()").str();
}

} // namespace

llvm::StringRef kcsanVerdictName(KcsanVerdict V) {
  switch (V) {
  case KcsanVerdict::PlainPlain:
    return "plain against plain: mark both sides";
  case KcsanVerdict::PlainMarked:
    return "plain against marked: mark the plain side";
  case KcsanVerdict::BothMarked:
    return "both sides are marked in this tree: fixed here, or the race is "
           "about something else (a shared bitfield word, another size)";
  case KcsanVerdict::Bitfield:
    return "bitfields: READ_ONCE() and WRITE_ONCE() cannot mark a bitfield; "
           "move the racing field out of the bitfield word, or mark the "
           "intended race with data_race()";
  case KcsanVerdict::Ambiguous:
    return "ambiguous: more than one field fits; no fix";
  case KcsanVerdict::NotFound:
    return "not found";
  }
  return "";
}

KcsanResolver::KcsanResolver(const Index &Idx) : Idx(Idx) {
  Idx.forEachAccess(
      [&](const Access &A) { ByFunction[nameOf(A.Function)].push_back(&A); });
}

std::vector<KcsanSite> KcsanResolver::sitesFor(const KcsanAccess &Side,
                                               std::string &Problem) const {
  std::vector<const KcsanFrame *> Frames;
  for (const KcsanFrame &F : Side.Frames)
    if (!F.Unreliable)
      Frames.push_back(&F);
  std::vector<KcsanSite> Out;
  if (Frames.empty() || Frames.front()->Function.empty()) {
    Problem = "the access has no symbolized stack frame";
    return Out;
  }
  // The access is in the top frame's function; when that function was
  // inlined, the index may hold the access in the function it was inlined
  // into instead (an accessor whose marking the index sees through).
  std::vector<std::string> Looked;
  bool Indexed = false;
  for (size_t Depth = 0; Depth < Frames.size(); ++Depth) {
    const KcsanFrame &F = *Frames[Depth];
    Looked.push_back(F.Function + "()");
    auto It = ByFunction.find(F.Function);
    if (It != ByFunction.end()) {
      Indexed = true;
      for (const Access *A : It->second) {
        unsigned Kind = kindScore(Side.Kind, A->Kind);
        if (!Kind)
          continue;
        KcsanSite S;
        S.A = A;
        S.Score = Kind;
        S.Why.emplace_back(accessKindName(A->Kind));
        if (Side.Marked == isMarked(A->Mark)) {
          S.Score += 10;
          S.Why.emplace_back(isMarked(A->Mark) ? "marked, as reported"
                                               : "plain, as reported");
        } else {
          S.Why.push_back(isMarked(A->Mark)
                              ? "marked here (" + markingName(A->Mark).str() +
                                    "), plain in the report"
                              : "plain here, marked in the report");
        }
        if (A->Size && Side.Size) {
          if (A->Size == Side.Size) {
            S.Score += 20;
            S.Why.push_back(llvm::formatv("{0} bytes", Side.Size).str());
          } else if (A->Fix == NoFix::Bitfield && Side.Size <= A->Size) {
            S.Score += 10;
            S.Why.emplace_back("a bitfield in a word of the reported size");
          } else {
            continue; // another field's size
          }
        }
        if (sameFile(F.File, A->File)) {
          S.Score += 10;
          if (F.Line) {
            unsigned D = F.Line > A->Line ? F.Line - A->Line : A->Line - F.Line;
            S.Score += lineScore(D);
            S.Why.push_back(
                D == 0 ? llvm::formatv("line {0}", F.Line).str()
                       : llvm::formatv("line {0} -> {1} (drift {2}{3})",
                                       F.Line, A->Line,
                                       A->Line > F.Line ? "+" : "-", D)
                             .str());
          }
        } else if (!F.File.empty()) {
          S.Why.push_back(("in " + A->File + ", the report says " + F.File)
                              .str());
        }
        if (Depth) {
          unsigned Penalty = 15 * static_cast<unsigned>(Depth);
          S.Score = S.Score > Penalty ? S.Score - Penalty : 0;
          S.Why.push_back(llvm::formatv("in {0}(), into which {1}() is "
                                        "inlined",
                                        F.Function,
                                        Frames.front()->Function)
                              .str());
        }
        Out.push_back(std::move(S));
      }
    }
    if (!F.Inline)
      break;
  }
  if (Out.empty() && !Indexed)
    Problem = llvm::formatv("no access of {0} in the index (is its file "
                            "indexed?)",
                            llvm::join(Looked, " or "))
                  .str();
  else if (Out.empty())
    Problem = llvm::formatv("no access of the reported kind and size in {0}",
                            llvm::join(Looked, " or "))
                  .str();
  return Out;
}

/// Bitfields of one record that the two sides access: one word in
/// memory, which KCSAN sees as one address, two fields in the source.
static void
sharedWords(const std::map<std::string, std::vector<KcsanSite>> (&ByField)[2],
            std::vector<KcsanCandidate> &Out) {
  for (const auto &[F0, Sites0] : ByField[0])
    for (const auto &[F1, Sites1] : ByField[1]) {
      if (F0 == F1 || llvm::StringRef(F0).split("::").first !=
                          llvm::StringRef(F1).split("::").first)
        continue;
      KcsanCandidate C;
      C.SharedWord = true;
      C.Field = F0;
      C.Field += " / ";
      C.Field += F1;
      for (const KcsanSite &S0 : Sites0)
        for (const KcsanSite &S1 : Sites1) {
          if (S0.A->Fix != NoFix::Bitfield || S1.A->Fix != NoFix::Bitfield ||
              S0.Score + S1.Score <= C.Score)
            continue;
          C.Sides[0] = S0;
          C.Sides[1] = S1;
          C.Score = S0.Score + S1.Score;
        }
      if (C.Sides[0].A) {
        C.Sides[1].Why.push_back("a bitfield in the same word as " + F0);
        Out.push_back(std::move(C));
      }
    }
}

KcsanResolution KcsanResolver::resolve(const KcsanReport &R) const {
  KcsanResolution Res;
  Res.Report = &R;
  size_t NSides = std::min<size_t>(R.Accesses.size(), 2);
  if (NSides == 0) {
    Res.Problem = "the report has no access";
    return Res;
  }
  // Each side's sites, by field.
  std::map<std::string, std::vector<KcsanSite>> ByField[2];
  for (size_t I = 0; I < NSides; ++I) {
    std::string Problem;
    for (KcsanSite &S : sitesFor(R.Accesses[I], Problem))
      ByField[I][S.A->Field.str()].push_back(std::move(S));
    if (ByField[I].empty()) {
      Res.Problem = Problem;
      return Res;
    }
  }
  // A field both sides reach, with its best pair: both accesses hit one
  // address, so a pair on objects of one kind fits better than a pair on
  // objects of two.
  for (auto &[Field, Sites0] : ByField[0]) {
    const std::vector<KcsanSite> *Sites1 = nullptr;
    if (NSides == 2) {
      auto It = ByField[1].find(Field);
      if (It == ByField[1].end())
        continue;
      Sites1 = &It->second;
    }
    KcsanCandidate C;
    C.Field = Field;
    bool Have = false;
    for (const KcsanSite &S0 : Sites0) {
      if (!Sites1) {
        if (!Have || S0.Score > C.Score) {
          C.Sides[0] = S0;
          C.Score = S0.Score;
          Have = true;
        }
        continue;
      }
      for (const KcsanSite &S1 : *Sites1) {
        int Kind = kindAgreement(*S0.A, *S1.A);
        unsigned Score = S0.Score + S1.Score;
        Score = Kind < 0 && Score < 10 ? 0 : Score + Kind;
        if (Have && Score <= C.Score)
          continue;
        C.Sides[0] = S0;
        C.Sides[1] = S1;
        C.Score = Score;
        Have = true;
        if (Kind > 0)
          C.Sides[1].Why.push_back("the same kind of object as the other "
                                   "side (" + S1.A->ObjectKind.str() + ")");
        else if (Kind < 0)
          C.Sides[1].Why.emplace_back("another kind of object than the other "
                                      "side's");
      }
    }
    Res.Candidates.push_back(std::move(C));
  }
  if (Res.Candidates.empty() && NSides == 2)
    sharedWords(ByField, Res.Candidates);
  if (Res.Candidates.empty()) {
    Res.Problem = "no field is accessed by both sides";
    return Res;
  }
  llvm::sort(Res.Candidates,
             [](const KcsanCandidate &A, const KcsanCandidate &B) {
               return A.Score != B.Score ? A.Score > B.Score
                                         : A.Field < B.Field;
             });
  if (Res.Candidates.size() > 1 &&
      Res.Candidates[0].Score - Res.Candidates[1].Score < DecisiveMargin) {
    Res.Verdict = KcsanVerdict::Ambiguous;
    return Res;
  }

  const KcsanCandidate &C = Res.Candidates.front();
  const Access *Side[2] = {C.Sides[0].A, C.Sides[1].A};
  bool Plain0 = !isMarked(Side[0]->Mark);
  bool Plain1 = Side[1] && !isMarked(Side[1]->Mark);
  if (C.SharedWord || Side[0]->Fix == NoFix::Bitfield)
    Res.Verdict = KcsanVerdict::Bitfield;
  else if (Plain0 && Plain1)
    Res.Verdict = KcsanVerdict::PlainPlain;
  else if (Plain0 || Plain1)
    Res.Verdict = KcsanVerdict::PlainMarked;
  else
    Res.Verdict = KcsanVerdict::BothMarked;

  // What to mark: the plain racing sites, and in the two racing functions
  // the field's other plain accesses that race with the other side.
  // A read-modify-write of a field that atomic operations change
  // (`flags |= B` beside set_bit()) is not WRITE_ONCE()'s to fix: it would
  // silence the report and still lose their updates.
  bool ChangedAtomically =
      llvm::any_of(Idx.accessesOf(C.Field), [](const Access *A) {
        return A->Mark == Marking::Atomic && A->Kind != AccessKind::Load;
      });
  auto Fixable = [&](const Access *A) {
    return A && !isMarked(A->Mark) && A->Fix == NoFix::None &&
           !A->has(AF_MacroBody) &&
           (A->Kind != AccessKind::RMW || !ChangedAtomically);
  };
  if (Res.Verdict == KcsanVerdict::Bitfield)
    return Res;
  llvm::SmallPtrSet<const Access *, 8> Taken;
  auto Take = [&](const Access *A) {
    if (Fixable(A) && Taken.insert(A).second)
      Res.ToMark.push_back(A);
  };
  for (const Access *S : Side)
    if (S && !isMarked(S->Mark) && S->Kind == AccessKind::RMW &&
        ChangedAtomically)
      Res.NoFix = "other code changes the field with atomic operations "
                  "(set_bit(), xchg()): WRITE_ONCE() would silence the "
                  "report and still lose their updates; use one of them, "
                  "or a lock";
  Take(Side[0]);
  Take(Side[1]);
  for (int I = 0; I < 2; ++I) {
    const Access *Mine = Side[I], *Other = Side[1 - I];
    if (!Mine || !Other)
      continue;
    for (const Access *A : Idx.accessesOf(C.Field)) {
      if (A->Function != Mine->Function || !Fixable(A))
        continue;
      if (A->From.unpublished() || shareALock(*A, *Other))
        continue;
      // The object KCSAN saw is of the reported access's kind.
      if (A->ObjectKind.empty() != Mine->ObjectKind.empty() ||
          !kindsAgree(A->ObjectKind, Mine->ObjectKind))
        continue;
      // Two loads do not race; a load races with the other side's store.
      if (writes(*A) || writes(*Other))
        Take(A);
    }
  }

  llvm::StringSet<> Slots;
  for (const Access *A : Side)
    if (A)
      for (const SlotFill *S : Idx.slotsOf(A->Function))
        Slots.insert(S->Slot);
  // One access per function, the closest precedent first: a function of
  // a racing function's slot (tcp_poll() for smc_poll()), then the same
  // kind of access as the fix, then READ_ONCE()/WRITE_ONCE() over
  // data_race().
  std::map<llvm::StringRef, std::pair<int, const Access *>> ByFn;
  for (const Access *A : Idx.accessesOf(C.Field)) {
    ++Res.FieldAccesses;
    if (!isMarked(A->Mark))
      continue;
    ++Res.FieldMarked;
    // An atomic operation is no precedent for READ_ONCE()/WRITE_ONCE().
    if (A == Side[0] || A == Side[1] || A->Mark == Marking::Atomic)
      continue;
    bool SameSlot = llvm::any_of(Idx.slotsOf(A->Function),
                                 [&](const SlotFill *S) {
                                   return Slots.contains(S->Slot);
                                 });
    bool SameKind = llvm::any_of(Res.ToMark, [&](const Access *T) {
      return writes(*T) == writes(*A);
    });
    int Rank = (SameSlot ? 4 : 0) + (SameKind ? 2 : 0) +
               (A->Mark != Marking::DataRace ? 1 : 0);
    auto [It, New] = ByFn.try_emplace(A->Function, Rank, A);
    if (!New && Rank > It->second.first)
      It->second = {Rank, A};
  }
  std::vector<std::pair<int, const Access *>> Marked;
  Marked.reserve(ByFn.size());
  for (auto &[Fn, RA] : ByFn)
    Marked.push_back(RA);
  llvm::sort(Marked, [](const auto &A, const auto &B) {
    if (A.first != B.first)
      return A.first > B.first;
    return std::tie(A.second->File, A.second->Begin) <
           std::tie(B.second->File, B.second->Begin);
  });
  for (size_t I = 0; I < Marked.size() && I < 5; ++I)
    Res.Precedent.push_back(Marked[I].second);
  return Res;
}

std::vector<Finding> KcsanResolver::findings(const KcsanResolution &Res) {
  std::vector<Finding> Out;
  if (Res.Candidates.empty() || Res.Verdict == KcsanVerdict::Ambiguous)
    return Out;
  const KcsanCandidate &C = Res.Candidates.front();
  const Access *const Side[2] = {C.Sides[0].A, C.Sides[1].A};
  std::string Title = Res.Report->Title;
  for (const Access *A : Res.ToMark) {
    Finding F;
    F.Site = A;
    F.Check = writes(*A) ? CheckKind::MissingWriteOnce
                         : CheckKind::MissingReadOnce;
    bool Reported = A == Side[0] || A == Side[1];
    F.Confidence = Reported ? 95 : 85;
    int Mine = A->Function == Side[0]->Function ? 0 : 1;
    const Access *Other = Side[1 - Mine];
    F.RacingFunction = Other ? Other->Function : llvm::StringRef();
    std::string Racer =
        Other ? functionText(*Other)
              : std::string("an access KCSAN did not see (unknown origin)");
    llvm::StringRef What = writes(*A) ? "store" : "load";
    llvm::StringRef Use = writes(*A) ? "WRITE_ONCE()" : "READ_ONCE()";
    F.Message =
        Reported
            ? llvm::formatv("plain {0} of '{1}' races with {2}, as KCSAN "
                            "reported ('{3}'); use {4}",
                            What, C.Field, Racer, Title, Use)
                  .str()
            : llvm::formatv("plain {0} of '{1}' in {2}, which KCSAN "
                            "reported racing with {3} ('{4}'); use {5}",
                            What, C.Field, functionText(*A), Racer, Title,
                            Use)
                  .str();
    if (Other) {
      Evidence E = evidenceAt(*Other, writes(*Other)
                                          ? Evidence::PlainWriter
                                          : Evidence::LocklessPlainReader);
      E.Note = llvm::formatv("the other side of the report: {0} {1} "
                             "'{2}'{3}",
                             Racer, writes(*Other) ? "writes" : "reads",
                             Other->Text,
                             isMarked(Other->Mark)
                                 ? " with " + markingName(Other->Mark).str()
                                 : std::string(" without marking"))
                   .str();
      F.Notes.push_back(std::move(E));
    }
    for (const Access *P : Res.Precedent) {
      Evidence E = evidenceAt(*P, writes(*P) ? Evidence::MarkedWriter
                                             : Evidence::LocklessMarkedReader);
      E.Note = llvm::formatv("{0} {1} it with {2}", functionText(*P),
                             writes(*P) ? "writes" : "reads",
                             markingName(P->Mark))
                   .str();
      F.Notes.push_back(std::move(E));
    }
    F.Fix = wrapEdits(*A);
    Out.push_back(std::move(F));
  }
  // Innermost first within a file, so that a store's closing parenthesis
  // goes after that of a load in its value.
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    if (A.Site->File != B.Site->File)
      return A.Site->File < B.Site->File;
    return A.Site->Begin > B.Site->Begin;
  });
  return Out;
}

KcsanMailText kcsanMail(const KcsanResolution &Res, llvm::StringRef Prefix,
                        llvm::ArrayRef<std::string> Trailers) {
  KcsanMailText M;
  const KcsanReport &R = *Res.Report;
  const KcsanCandidate &C = Res.Candidates.front();
  // The access as most of the fixed sites spell it.
  std::map<std::string, unsigned> Spellings;
  std::vector<std::string> Fns;
  bool Stores = false, Loads = false;
  for (const Access *A : Res.ToMark) {
    ++Spellings[A->Text.str()];
    std::string Fn = functionText(*A);
    if (!llvm::is_contained(Fns, Fn))
      Fns.push_back(Fn);
    (writes(*A) ? Stores : Loads) = true;
  }
  std::string Text = Res.ToMark.empty() ? C.Field
                                        : Res.ToMark.back()->Text.str();
  // The shortest spelling, as a subject names it (sk->sk_err, not
  // smc->sk.sk_err); the most common among equals.
  for (auto &[T, N] : Spellings)
    if (T.size() < Text.size() ||
        (T.size() == Text.size() && N > Spellings[Text]))
      Text = T;
  M.Subject = llvm::formatv("{0}: annotate data-race{1} around {2}", Prefix,
                            Res.ToMark.size() > 1 ? "s" : "", Text)
                  .str();

  std::string Names = Fns.empty() ? std::string("two functions") : Fns.front();
  if (R.TitleFunctions.size() == 2)
    Names = R.TitleFunctions[0] + "() and " + R.TitleFunctions[1] + "()";
  std::string Why;
  if (C.Sides[1].A) {
    const Access *W = writes(*C.Sides[0].A) ? C.Sides[0].A : C.Sides[1].A;
    const Access *Rd = W == C.Sides[0].A ? C.Sides[1].A : C.Sides[0].A;
    Why = writes(*Rd)
              ? llvm::formatv("KCSAN reported a data race between {0}, "
                              "which both write {1} concurrently.",
                              Names, Text)
                    .str()
              : llvm::formatv("KCSAN reported a data race between {0}: {1} "
                              "reads {2} while {3} changes it.",
                              Names, functionText(*Rd), Text,
                              functionText(*W))
                    .str();
  } else {
    Why = llvm::formatv("KCSAN reported a data race on {0} in {1}.", Text,
                        functionText(*C.Sides[0].A))
              .str();
  }
  std::string Marks = Stores ? "WRITE_ONCE()" : "READ_ONCE()";
  if (Stores && Loads)
    Marks = "WRITE_ONCE() and READ_ONCE()";
  std::string How = "Annotate the accesses with " + Marks;
  if (!Res.Precedent.empty())
    How += llvm::formatv(", as {0} already does{1}",
                         functionText(*Res.Precedent.front()),
                         Res.Precedent.size() > 1 ? " among others" : "")
               .str();
  How += ", so that the compiler cannot tear, fuse or refetch them and "
         "KCSAN does not report the race.";
  M.Body = wrapText(Why, 72) + "\n" + wrapText(How, 72) + "\n";

  // The report as upstream commits quote it: the title, each access
  // header with its top frames, the value change.
  M.Body += "BUG: KCSAN: " + R.Title.substr(R.Title.find(' ') + 1) + "\n";
  for (const KcsanAccess &A : R.Accesses) {
    M.Body += "\n";
    M.Body += llvm::formatv("{0}{1} to {2} of {3} bytes by {4}", 
                            kcsanAccessKindName(A.Kind),
                            A.Marked ? " (marked)" : "", A.Address, A.Size,
                            A.Interrupt ? std::string("interrupt")
                                        : "task " + std::to_string(A.Task))
                  .str();
    if (A.Cpu >= 0)
      M.Body += " on cpu " + std::to_string(A.Cpu);
    M.Body += ":\n";
    unsigned Shown = 0;
    for (const KcsanFrame &F : A.Frames) {
      if (Shown++ == 4)
        break;
      M.Body += " " + F.RawFunction;
      if (F.SymbolSize)
        M.Body += llvm::formatv("+{0:x}/{1:x}", F.Offset, F.SymbolSize).str();
      if (!F.File.empty())
        M.Body += " " + F.File + ":" + std::to_string(F.Line);
      if (F.Inline)
        M.Body += " [inline]";
      if (!F.Module.empty())
        M.Body += " [" + F.Module + "]";
      M.Body += "\n";
    }
    if (A.Frames.size() > 4)
      M.Body += " ...\n";
  }
  if (!R.OldValue.empty())
    M.Body += "\nvalue changed: " + R.OldValue + " -> " + R.NewValue + "\n";
  M.Body += "\nEvidence (found by kmark):\n";
  for (const KcsanSite &S : C.Sides)
    if (S.A)
      M.Body += llvm::formatv("  {0}:{1}: {2} {3} '{4}' {5}, {6}\n", S.A->File,
                              S.A->Line, functionText(*S.A),
                              writes(*S.A) ? "writes" : "reads", S.A->Text,
                              isMarked(S.A->Mark)
                                  ? "with " + markingName(S.A->Mark).str()
                                  : std::string("plainly"),
                              anyHeld(S.A->Locks)
                                  ? "holding " + lockListText(S.A->Locks)
                                  : std::string("without a lock"))
                    .str();
  for (const Access *P : Res.Precedent)
    M.Body += llvm::formatv("  {0}:{1}: {2} {3} it with {4}\n", P->File,
                            P->Line, functionText(*P),
                            writes(*P) ? "writes" : "reads",
                            markingName(P->Mark))
                  .str();
  if (!Trailers.empty()) {
    M.Body += "\n";
    for (const std::string &T : Trailers)
      M.Body += T + "\n";
  }
  return M;
}

} // namespace kmark
