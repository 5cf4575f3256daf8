//===- Report.cpp - Findings as text, YAML, SARIF and patches -------------===//

#include "kmark/Report.h"
#include "kmark/Baseline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <map>

namespace kmark {

// --- Sources ----------------------------------------------------------------

std::string SourceCache::absolute(llvm::StringRef Path) const {
  if (llvm::sys::path::is_absolute(Path) || Root.empty())
    return Path.str();
  llvm::SmallString<256> A(Root);
  llvm::sys::path::append(A, Path);
  return std::string(A);
}

const std::string *SourceCache::contents(llvm::StringRef Path) {
  auto It = Files.find(Path);
  if (It == Files.end()) {
    std::unique_ptr<std::string> Text;
    if (auto Buf = llvm::MemoryBuffer::getFile(absolute(Path),
                                               /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false))
      Text = std::make_unique<std::string>((*Buf)->getBuffer());
    It = Files.try_emplace(Path, std::move(Text)).first;
  }
  return It->second.get();
}

llvm::StringRef SourceCache::line(llvm::StringRef Path, unsigned Line) {
  const std::string *Text = contents(Path);
  if (!Text || Line == 0)
    return "";
  llvm::StringRef Rest(*Text);
  for (unsigned I = 1; I < Line && !Rest.empty(); ++I)
    Rest = Rest.split('\n').second;
  return Rest.split('\n').first;
}

unsigned offsetOf(SourceCache &Sources, llvm::StringRef Path,
                         unsigned Line, unsigned Col) {
  const std::string *Text = Sources.contents(Path);
  if (!Text || Line == 0)
    return 0;
  size_t Pos = 0;
  for (unsigned I = 1; I < Line; ++I) {
    Pos = Text->find('\n', Pos);
    if (Pos == std::string::npos)
      return 0;
    ++Pos;
  }
  return static_cast<unsigned>(std::min(Pos + (Col ? Col - 1 : 0),
                                        Text->size()));
}

// --- NOLINT -----------------------------------------------------------------

// clang-tidy's semantics, so the driver suppresses exactly what the plugin
// under clang-tidy does.  (The directives are spelled apart here, as
// NOLINT + suffix, so that linting this file reads none of them.)  A
// directive is NOLINT followed by letters that make NOLINT itself or NOLINT
// + NEXTLINE, BEGIN or END; any other letters make no directive.  A check
// list follows only as `(...)` closed on the same line, else the directive
// covers every check; an empty list covers none.  The list is
// comma-separated globs, spaces around each ignored, `*` matching any run
// of characters, negative (`-`) globs dropped.  An END closes the innermost
// open BEGIN only when their lists are the same; blocks cover what lies
// strictly between them, and unmatched ones cover nothing.

namespace {

enum class NoLintKind { Line, NextLine, Begin, End };

constexpr llvm::StringLiteral Directive = "NOLINT";
constexpr llvm::StringLiteral NextLineDirective = "NOLINT" "NEXTLINE";
constexpr llvm::StringLiteral BeginDirective = "NOLINT" "BEGIN";
constexpr llvm::StringLiteral EndDirective = "NOLINT" "END";

struct NoLint {
  NoLintKind Kind;
  size_t Pos;                        ///< of the N
  std::optional<std::string> Checks; ///< no list: every check
};

/// Whether a glob where `*` matches any run of characters matches Name
/// whole.
bool globMatches(llvm::StringRef Glob, llvm::StringRef Name) {
  if (Glob.empty())
    return Name.empty();
  if (Glob.front() == '*') {
    for (size_t I = 0; I <= Name.size(); ++I)
      if (globMatches(Glob.drop_front(), Name.drop_front(I)))
        return true;
    return false;
  }
  return !Name.empty() && Glob.front() == Name.front() &&
         globMatches(Glob.drop_front(), Name.drop_front());
}

bool covers(const NoLint &N, llvm::StringRef Check) {
  if (!N.Checks)
    return true;
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  llvm::StringRef(*N.Checks).split(Globs, ',');
  for (llvm::StringRef G : Globs) {
    G = G.trim();
    if (!G.empty() && !G.starts_with("-") && globMatches(G, Check))
      return true;
  }
  return false;
}

/// The list with the spaces around each entry removed: BEGIN and END match
/// when these are equal.
std::string normalised(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Checks.split(Parts, ',');
  for (llvm::StringRef &P : Parts)
    P = P.trim();
  return llvm::join(Parts, ",");
}

std::vector<NoLint> scanNoLints(llvm::StringRef Text) {
  std::vector<NoLint> Out;
  size_t Pos = 0;
  while ((Pos = Text.find(Directive, Pos)) != llvm::StringRef::npos) {
    size_t Start = Pos;
    Pos += Directive.size();
    while (Pos < Text.size() && llvm::isAlpha(Text[Pos]))
      ++Pos;
    std::optional<NoLintKind> Kind =
        llvm::StringSwitch<std::optional<NoLintKind>>(Text.slice(Start, Pos))
            .Case(Directive, NoLintKind::Line)
            .Case(NextLineDirective, NoLintKind::NextLine)
            .Case(BeginDirective, NoLintKind::Begin)
            .Case(EndDirective, NoLintKind::End)
            .Default(std::nullopt);
    if (!Kind)
      continue;
    NoLint N{*Kind, Start, std::nullopt};
    if (Pos < Text.size() && Text[Pos] == '(') {
      size_t Close = Text.find_first_of("\n)", Pos + 1);
      if (Close != llvm::StringRef::npos && Text[Close] == ')') {
        N.Checks = normalised(Text.slice(Pos + 1, Close));
        Pos = Close + 1;
      }
    }
    Out.push_back(std::move(N));
  }
  return Out;
}

/// Whether a directive of Kind on the line [Begin, End) of Text covers Check.
bool lineCovers(llvm::StringRef Text, size_t Begin, size_t End,
                NoLintKind Kind, llvm::StringRef Check) {
  return llvm::any_of(scanNoLints(Text.slice(Begin, End)),
                      [&](const NoLint &N) {
                        return N.Kind == Kind && covers(N, Check);
                      });
}

} // namespace

bool nolintCovers(llvm::StringRef Text, size_t Offset, llvm::StringRef Check) {
  if (!Text.contains(Directive))
    return false;
  Offset = std::min(Offset, Text.size());
  size_t LineBegin = Text.rfind('\n', Offset);
  LineBegin = LineBegin == llvm::StringRef::npos ? 0 : LineBegin + 1;
  size_t LineEnd = std::min(Text.find('\n', Offset), Text.size());
  if (lineCovers(Text, LineBegin, LineEnd, NoLintKind::Line, Check))
    return true;
  if (LineBegin > 0) {
    size_t PrevBegin = Text.rfind('\n', LineBegin - 1);
    PrevBegin = PrevBegin == llvm::StringRef::npos ? 0 : PrevBegin + 1;
    if (lineCovers(Text, PrevBegin, LineBegin - 1, NoLintKind::NextLine,
                   Check))
      return true;
  }
  std::vector<const NoLint *> Open;
  std::vector<NoLint> All = scanNoLints(Text);
  for (const NoLint &N : All) {
    if (N.Kind == NoLintKind::Begin) {
      Open.push_back(&N);
    } else if (N.Kind == NoLintKind::End && !Open.empty() &&
               Open.back()->Checks == N.Checks) {
      const NoLint *B = Open.back();
      Open.pop_back();
      if (B->Pos < Offset && Offset < N.Pos && covers(*B, Check))
        return true;
    }
  }
  return false;
}

bool isSuppressed(SourceCache &Sources, llvm::StringRef Path, unsigned Line,
                  unsigned Col, llvm::StringRef Check) {
  const std::string *Text = Sources.contents(Path);
  if (!Text)
    return false;
  return nolintCovers(*Text, offsetOf(Sources, Path, Line, Col), Check);
}

// --- Text -------------------------------------------------------------------

void renderText(llvm::raw_ostream &OS, const Finding &F, SourceCache &Sources) {
  const Access &A = *F.Site;
  std::string Abs = Sources.absolute(A.File);
  OS << Abs << ":" << A.Line << ":" << A.Col << ": warning: " << F.Message
     << " [" << checkName(F.Check) << "]\n";
  llvm::StringRef Line = Sources.line(A.File, A.Line);
  if (!Line.empty()) {
    OS << llvm::formatv("{0,5} | ", A.Line) << Line << "\n";
    // The caret under the column, keeping the line's tabs so it lines up.
    std::string Pad;
    for (unsigned I = 0; I + 1 < A.Col && I < Line.size(); ++I)
      Pad += Line[I] == '\t' ? '\t' : ' ';
    OS << "      | " << Pad << "^\n";
    if (!F.Fix.empty()) {
      // The line as the fix-it leaves it.
      unsigned LineStart = offsetOf(Sources, A.File, A.Line, 1);
      const std::string *Text = Sources.contents(A.File);
      size_t LineEnd = Text ? Text->find('\n', LineStart) : 0;
      if (Text && LineEnd == std::string::npos)
        LineEnd = Text->size();
      std::vector<Edit> Local;
      bool Fits = Text != nullptr;
      for (const Edit &E : F.Fix) {
        if (E.Offset < LineStart || E.Offset + E.Length > LineEnd)
          Fits = false;
        else
          Local.push_back({E.Offset - LineStart, E.Length, E.Text});
      }
      if (Fits)
        OS << "      | fix: "
           << llvm::StringRef(applyEdits(
                                  llvm::StringRef(*Text).slice(LineStart,
                                                               LineEnd),
                                  Local))
                  .ltrim()
           << "\n";
    }
  }
  for (const Evidence &E : F.Notes) {
    OS << Sources.absolute(E.File) << ":" << E.Line << ":" << E.Col
       << ": note: " << E.Note << "\n";
    llvm::StringRef L = Sources.line(E.File, E.Line);
    if (!L.empty())
      OS << llvm::formatv("{0,5} | ", E.Line) << L << "\n";
  }
}

// --- SARIF ------------------------------------------------------------------

static llvm::json::Object sarifLocation(llvm::StringRef Path, unsigned Line,
                                        unsigned Col) {
  return llvm::json::Object{
      {"physicalLocation",
       llvm::json::Object{
           {"artifactLocation",
            llvm::json::Object{{"uri", Path}, {"uriBaseId", "SRCROOT"}}},
           {"region", llvm::json::Object{{"startLine", Line},
                                         {"startColumn", std::max(1U, Col)}}},
       }}};
}

void writeSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                SourceCache &Sources, llvm::StringRef ToolVersion,
                const Baseline *Base) {
  const CheckKind Kinds[] = {CheckKind::MissingWriteOnce,
                             CheckKind::MissingReadOnce};
  llvm::json::Array Rules;
  for (CheckKind K : Kinds)
    Rules.push_back(llvm::json::Object{
        {"id", checkName(K)},
        {"shortDescription",
         llvm::json::Object{
             {"text", K == CheckKind::MissingWriteOnce
                          ? "Plain store to a field read locklessly with "
                            "READ_ONCE(); use WRITE_ONCE()"
                          : "Plain lockless load of a field written with "
                            "WRITE_ONCE(); use READ_ONCE()"}}},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}},
    });
  llvm::json::Array Results;
  for (const Finding &F : Findings) {
    const Access &A = *F.Site;
    llvm::json::Array Related;
    unsigned Id = 0;
    for (const Evidence &E : F.Notes) {
      llvm::json::Object L = sarifLocation(E.File, E.Line, E.Col);
      L["id"] = Id++;
      L["message"] = llvm::json::Object{{"text", E.Note}};
      Related.push_back(std::move(L));
    }
    llvm::json::Object Terms;
    for (const auto &[Term, Weight] : F.Terms)
      Terms[Term] = Weight;
    llvm::json::Object R{
        {"ruleId", checkName(F.Check)},
        {"ruleIndex", F.Check == CheckKind::MissingWriteOnce ? 0 : 1},
        {"level", "warning"},
        {"message", llvm::json::Object{{"text", F.Message}}},
        {"locations", llvm::json::Array{sarifLocation(A.File, A.Line, A.Col)}},
        {"relatedLocations", std::move(Related)},
        {"partialFingerprints",
         llvm::json::Object{{"kmarkSite/v2", fingerprint(F)}}},
        {"properties",
         llvm::json::Object{{"confidence", F.Confidence},
                            {"tier", tierName(tierOf(F.Confidence))},
                            {"field", A.Field},
                            {"terms", std::move(Terms)}}},
    };
    if (!F.Fix.empty()) {
      llvm::json::Array Reps;
      for (const Edit &E : F.Fix)
        Reps.push_back(llvm::json::Object{
            {"deletedRegion", llvm::json::Object{{"charOffset", E.Offset},
                                                 {"charLength", E.Length}}},
            {"insertedContent", llvm::json::Object{{"text", E.Text}}}});
      R["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description",
           llvm::json::Object{{"text", F.Check == CheckKind::MissingWriteOnce
                                           ? "Use WRITE_ONCE()"
                                           : "Use READ_ONCE()"}}},
          {"artifactChanges",
           llvm::json::Array{llvm::json::Object{
               {"artifactLocation",
                llvm::json::Object{{"uri", A.File}, {"uriBaseId", "SRCROOT"}}},
               {"replacements", std::move(Reps)}}}}}};
    }
    if (Base)
      R["baselineState"] = Base->contains(F) ? "unchanged" : "new";
    Results.push_back(std::move(R));
  }
  // What the baseline lists and this run no longer finds.
  if (Base) {
    llvm::StringSet<> Found;
    for (const Finding &F : Findings)
      Found.insert(fingerprint(F));
    for (const BaselineEntry &E : Base->entries()) {
      if (Found.contains(E.Fingerprint))
        continue;
      Results.push_back(llvm::json::Object{
          {"ruleId", E.Check},
          {"ruleIndex", E.Check == "kmark-missing-write-once" ? 0 : 1},
          {"level", "warning"},
          {"message",
           llvm::json::Object{
               {"text", "no longer found: " + E.Field + " in " + E.Function +
                            "()"}}},
          {"locations",
           llvm::json::Array{sarifLocation(E.File, E.Line, 1)}},
          {"partialFingerprints",
           llvm::json::Object{{"kmarkSite/v2", E.Fingerprint}}},
          {"baselineState", "absent"}});
    }
  }
  std::string RootUri = "file://" + Sources.root();
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += "/";
  llvm::json::Object Log{
      {"version", "2.1.0"},
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"runs",
       llvm::json::Array{llvm::json::Object{
           {"tool",
            llvm::json::Object{
                {"driver",
                 llvm::json::Object{
                     {"name", "kmark"},
                     {"version", ToolVersion},
                     {"informationUri",
                      "https://www.kernel.org/doc/html/latest/dev-tools/"
                      "kcsan.html"},
                     {"rules", std::move(Rules)}}}}},
           {"originalUriBaseIds",
            llvm::json::Object{
                {"SRCROOT", llvm::json::Object{{"uri", RootUri}}}}},
           {"columnKind", "unicodeCodePoints"},
           {"results", std::move(Results)}}}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Log))) << "\n";
}

// --- Patches ----------------------------------------------------------------

std::string subjectPrefix(llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 6> Parts;
  Path.split(Parts, '/');
  if (Parts.size() < 2)
    return llvm::sys::path::stem(Path).str();
  llvm::StringRef Top = Parts[0], Dir = Parts[1];
  llvm::StringRef Stem = llvm::sys::path::stem(Parts.back());
  if (Top == "net") {
    if (Dir == "ipv4" || Dir == "ipv6") {
      for (llvm::StringRef P : {"tcp", "udp", "raw", "ping", "icmp", "igmp",
                                "mptcp", "inet_diag", "fib"})
        if (Stem.starts_with(P))
          return P.str();
      return Dir.str();
    }
    if (Dir == "unix")
      return "af_unix";
    if (Dir == "smc" || Dir == "core" || Dir == "sched" || Dir == "rds" ||
        Dir == "tls" || Dir == "packet")
      return ("net/" + Dir).str();
    return Parts.size() > 2 ? Dir.str() : ("net: " + Stem).str();
  }
  if (Top == "drivers" && Parts.size() > 3 && Dir == "net") {
    // drivers/net/ethernet/VENDOR/DRIVER/... -> DRIVER
    if (Parts[2] == "ethernet" && Parts.size() > 5)
      return ("net: " + Parts[4]).str();
    return ("net: " + Parts[Parts.size() > 4 ? 3 : 2]).str();
  }
  if (Top == "fs" && Parts.size() > 2)
    return Dir.str();
  if (Top == "mm" || Top == "block")
    return Top.str();
  if (Top == "kernel")
    return Parts.size() > 2 ? Dir.str() : Stem.str();
  return (Top + "/" + Dir).str();
}

std::string wrapText(llvm::StringRef Text, unsigned Width) {
  std::string Out;
  for (llvm::StringRef Para : llvm::split(Text, "\n")) {
    unsigned Col = 0;
    llvm::SmallVector<llvm::StringRef, 32> Words;
    Para.split(Words, ' ', -1, false);
    for (llvm::StringRef W : Words) {
      if (Col && Col + 1 + W.size() > Width) {
        Out += "\n";
        Col = 0;
      } else if (Col) {
        Out += " ";
        ++Col;
      }
      Out += W;
      Col += W.size();
    }
    Out += "\n";
  }
  return Out;
}

std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Old,
                        llvm::ArrayRef<Edit> Edits) {
  // Lines of Old: [Start[i], End[i]) without the newline, 0-based.
  std::vector<size_t> Start{0};
  for (size_t I = 0; I < Old.size(); ++I)
    if (Old[I] == '\n' && I + 1 < Old.size())
      Start.push_back(I + 1);
  auto LineOf = [&](size_t Off) {
    return static_cast<size_t>(
        std::upper_bound(Start.begin(), Start.end(), Off) - Start.begin() - 1);
  };
  auto LineText = [&](size_t L) {
    size_t E = Old.find('\n', Start[L]);
    return Old.slice(Start[L], E == llvm::StringRef::npos ? Old.size() : E);
  };
  // Group edits whose lines touch; each group replaces lines [First, Last].
  struct Group {
    size_t First, Last;
    std::vector<std::string> NewLines;
  };
  std::vector<Group> Groups;
  std::vector<Edit> Sorted = normalizeEdits(
      std::vector<Edit>(Edits.begin(), Edits.end()));
  std::vector<std::vector<Edit>> Members;
  for (const Edit &E : Sorted) {
    if (E.Offset + E.Length > Old.size())
      continue;
    size_t F = LineOf(E.Offset), L = LineOf(E.Offset + E.Length);
    if (!Groups.empty() && F <= Groups.back().Last) {
      Groups.back().Last = std::max(Groups.back().Last, L);
      Members.back().push_back(E);
    } else {
      Groups.push_back({F, L, {}});
      Members.push_back({E});
    }
  }
  for (size_t G = 0; G < Groups.size(); ++G) {
    size_t Begin = Start[Groups[G].First];
    llvm::StringRef Slice =
        Old.slice(Begin, LineText(Groups[G].Last).end() - Old.begin());
    std::vector<Edit> Local;
    for (const Edit &E : Members[G])
      Local.push_back({static_cast<uint32_t>(E.Offset - Begin), E.Length,
                       E.Text});
    std::string New = applyEdits(Slice, Local);
    llvm::SmallVector<llvm::StringRef, 4> Lines;
    llvm::StringRef(New).split(Lines, '\n');
    for (llvm::StringRef L : Lines)
      Groups[G].NewLines.push_back(L.str());
  }
  // Hunks: groups with three lines of context, merged when contexts meet.
  std::string Out = ("--- a/" + Path + "\n+++ b/" + Path + "\n").str();
  const size_t Ctx = 3;
  long Delta = 0; // new line number - old line number so far
  for (size_t G = 0; G < Groups.size();) {
    size_t H = G;
    while (H + 1 < Groups.size() &&
           Groups[H + 1].First <= Groups[H].Last + 1 + (2 * Ctx))
      ++H;
    size_t From = Groups[G].First > Ctx ? Groups[G].First - Ctx : 0;
    size_t To = std::min(Start.size() - 1, Groups[H].Last + Ctx);
    std::string Body;
    size_t OldLen = 0, NewLen = 0, L = From;
    long HunkDelta = Delta;
    for (size_t K = G; K <= H; ++K) {
      for (; L < Groups[K].First; ++L, ++OldLen, ++NewLen)
        Body += (" " + LineText(L) + "\n").str();
      for (; L <= Groups[K].Last; ++L, ++OldLen)
        Body += ("-" + LineText(L) + "\n").str();
      for (const std::string &N : Groups[K].NewLines) {
        Body += "+" + N + "\n";
        ++NewLen;
      }
      Delta += static_cast<long>(Groups[K].NewLines.size()) -
               static_cast<long>(Groups[K].Last - Groups[K].First + 1);
    }
    for (; L <= To; ++L, ++OldLen, ++NewLen)
      Body += (" " + LineText(L) + "\n").str();
    Out += llvm::formatv("@@ -{0},{1} +{2},{3} @@\n", From + 1, OldLen,
                         static_cast<long>(From) + 1 + HunkDelta, NewLen)
               .str();
    Out += Body;
    G = H + 1;
  }
  return Out;
}

std::vector<Edit> shiftEdits(llvm::ArrayRef<Edit> Prior,
                             llvm::ArrayRef<Edit> Edits) {
  std::vector<Edit> Out;
  for (const Edit &E : Edits) {
    int64_t Delta = 0;
    for (const Edit &P : Prior)
      if (P.Offset + P.Length <= E.Offset)
        Delta += static_cast<int64_t>(P.Text.size()) -
                 static_cast<int64_t>(P.Length);
    Edit S = E;
    S.Offset = static_cast<uint32_t>(E.Offset + Delta);
    Out.push_back(std::move(S));
  }
  return Out;
}

std::vector<Patch>
makePatches(llvm::ArrayRef<Finding> Findings, SourceCache &Sources,
            const std::function<std::string(llvm::StringRef)> &Prefix) {
  // (prefix, field) -> findings, in a stable order.
  std::map<std::pair<std::string, std::string>, std::vector<const Finding *>>
      Groups;
  for (const Finding &F : Findings)
    if (!F.Fix.empty() || llvm::StringRef(F.NoFixWhy).starts_with("fixed with"))
      Groups[{Prefix(F.Site->File), F.Site->Field.str()}].push_back(&F);
  std::vector<Patch> Out;
  std::map<std::string, std::vector<Edit>> Applied; // by earlier patches
  for (auto &[Key, Group] : Groups) {
    Patch P;
    P.Field = Key.second;
    P.Findings = Group;
    // Which functions, which text.
    std::vector<std::string> Fns, Racers, Proof;
    // Name the access by its most common spelling in the group.
    std::map<std::string, unsigned> Spellings;
    for (const Finding *F : Group)
      ++Spellings[F->Site->Text.str()];
    std::string Text = Group.front()->Site->Text.str();
    for (auto &[T, N] : Spellings)
      if (N > Spellings[Text])
        Text = T;
    bool Stores = false, Loads = false;
    for (const Finding *F : Group) {
      std::string Fn = F->Site->Function.split('@').first.str();
      if (!llvm::is_contained(Fns, Fn))
        Fns.push_back(Fn);
      std::string R = F->RacingFunction.split('@').first.str();
      if (!R.empty() && !llvm::is_contained(Racers, R) &&
          !llvm::is_contained(Fns, R))
        Racers.push_back(R);
      (F->Check == CheckKind::MissingWriteOnce ? Stores : Loads) = true;
      for (const Evidence &E : F->Notes) {
        std::string Line =
            llvm::formatv("  {0}:{1}: {2}", E.File, E.Line, E.Note).str();
        if (!llvm::is_contained(Proof, Line))
          Proof.push_back(Line);
      }
    }
    bool Many = Group.size() > 1;
    P.Subject = llvm::formatv("{0}: annotate data-race{1} around {2}",
                              Key.first, Many ? "s" : "", Text)
                    .str();
    if (Fns.size() == 1)
      P.Subject += " in " + Fns.front() + "()";
    std::string What;
    auto List = [](const std::vector<std::string> &V) {
      std::string S;
      for (size_t I = 0; I < V.size(); ++I) {
        if (I)
          S += I + 1 == V.size() ? " and " : ", ";
        S += V[I] + "()";
      }
      return S;
    };
    llvm::StringRef Verb = "access";
    if (!(Stores && Loads))
      Verb = Stores ? "write" : "read";
    std::string Does = Fns.size() > 1 ? Verb.str() : Verb.str() + "s";
    std::string Others = Racers.empty() ? "other code" : List(Racers);
    What = llvm::formatv("{0} {1} {2} without marking, while {3} {4} it "
                         "concurrently.",
                         List(Fns), Does, Text, Others,
                         Racers.size() > 1 ? "access" : "accesses")
               .str();
    std::string Marks = "Use READ_ONCE()";
    if (Stores)
      Marks = Loads ? "Use WRITE_ONCE() and READ_ONCE()" : "Use WRITE_ONCE()";
    P.Body = wrapText(What, 72) + "\n" +
             wrapText(Marks + " to annotate the race, as "
                          "tools/memory-model/Documentation/"
                          "access-marking.txt describes, so that the "
                          "compiler cannot tear, fuse or refetch the "
                          "access and KCSAN does not report it.",
                  72) +
             "\nEvidence (found by kmark):\n";
    for (const std::string &E : Proof)
      P.Body += E + "\n";

    // The diff, against the tree as the earlier patches leave it, so that
    // the series applies in order.
    std::map<std::string, std::vector<Edit>> ByFile;
    for (const Finding *F : Group)
      for (const Edit &E : F->Fix)
        ByFile[F->Site->File.str()].push_back(E);
    for (auto &[File, Edits] : ByFile) {
      const std::string *Original = Sources.contents(File);
      if (!Original)
        continue;
      std::vector<Edit> &Before = Applied[File];
      std::string Old = applyEdits(*Original, normalizeEdits(Before));
      P.Diff += "diff --git a/";
      P.Diff += File;
      P.Diff += " b/";
      P.Diff += File;
      P.Diff += "\n";
      P.Diff += unifiedDiff(File, Old, shiftEdits(Before, Edits));
      Before.insert(Before.end(), Edits.begin(), Edits.end());
    }
    Out.push_back(std::move(P));
  }
  return Out;
}

void writeMail(llvm::raw_ostream &OS, const Patch &P, unsigned Number,
               unsigned Total, llvm::StringRef From, llvm::StringRef Date) {
  OS << "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 "
        "2001\n";
  OS << "From: " << From << "\n";
  OS << "Date: " << Date << "\n";
  if (Total > 1)
    OS << "Subject: [PATCH " << Number << "/" << Total << "] " << P.Subject
       << "\n";
  else
    OS << "Subject: [PATCH] " << P.Subject << "\n";
  OS << "\n" << P.Body;
  OS << "---\n\n" << P.Diff << "-- \nkmark\n\n";
}

} // namespace kmark
