//===- Kcsan.cpp - kmark kcsan: resolve KCSAN reports ---------------------===//
//
// kmark kcsan -p BUILD [REPORT...]: resolves each KCSAN report against the
// tree's index (the field, both sites, the verdict) and writes the fix-its
// as text, export-fixes YAML, SARIF and patches with the report's
// trailers.
//
//===----------------------------------------------------------------------===//

#include "Common.h"
#include "Options.h"

#include "kmark/Index.h"
#include "kmark/Kcsan.h"
#include "kmark/KcsanMatch.h"
#include "kmark/Report.h"
#include "kmark/Rules.h"
#include "kmark/Serialization.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

namespace {

/// One report's resolution as text: the field, both sites with their
/// marking and locks, the field elsewhere, the verdict, other candidates.
void printResolution(llvm::raw_ostream &OS, const KcsanResolution &Res,
                     llvm::StringRef Input) {
  const KcsanReport &R = *Res.Report;
  OS << R.Title << " (" << Input << ":" << R.Line << ")\n";
  if (Res.Candidates.empty()) {
    OS << "  verdict: not found: " << Res.Problem << "\n";
    return;
  }
  auto Site = [&](const KcsanSite &S, const KcsanAccess &A) {
    if (!S.A)
      return;
    const Access &X = *S.A;
    OS << llvm::formatv("  {0,-10} {1}(): {2}:{3}:{4} '{5}' {6}, {7}  [{8}]\n",
                        kcsanAccessKindName(A.Kind), X.Function.split('@').first,
                        X.File, X.Line, X.Col, X.Text,
                        isMarked(X.Mark) ? markingName(X.Mark) : "plain",
                        anyHeld(X.Locks) ? "holds " + lockListText(X.Locks)
                                         : std::string("no lock held"),
                        llvm::join(S.Why, "; "));
  };
  auto Sides = [&](const KcsanCandidate &C) {
    for (size_t S = 0; S < 2 && S < R.Accesses.size(); ++S)
      Site(C.Sides[S], R.Accesses[S]);
  };
  if (Res.Verdict == KcsanVerdict::Ambiguous) {
    OS << "  candidates, ranked:\n";
    for (const KcsanCandidate &C : Res.Candidates) {
      OS << "  field: " << C.Field << " (score " << C.Score << ")\n";
      Sides(C);
    }
  } else {
    const KcsanCandidate &C = Res.Candidates.front();
    OS << "  field: " << C.Field << " (score " << C.Score << ")\n";
    Sides(C);
    if (!C.SharedWord) {
      OS << llvm::formatv("  elsewhere: {0} access{1} of {2}, {3} marked",
                          Res.FieldAccesses, Res.FieldAccesses == 1 ? "" : "es",
                          C.Field, Res.FieldMarked);
      for (const Access *P : Res.Precedent)
        OS << llvm::formatv("\n    {0}:{1}: {2}() {3} {4}", P->File, P->Line,
                            P->Function.split('@').first, markingName(P->Mark),
                            P->Text);
      OS << "\n";
    }
    if (Res.Candidates.size() > 1) {
      OS << "  other candidates, ranked:";
      for (size_t I = 1; I < Res.Candidates.size(); ++I)
        OS << llvm::formatv(" {0} (score {1})", Res.Candidates[I].Field,
                            Res.Candidates[I].Score);
      OS << "\n";
    }
  }
  OS << "  verdict: " << kcsanVerdictName(Res.Verdict) << "\n";
  if (!Res.NoFix.empty())
    OS << "  no fix-it: " << Res.NoFix << "\n";
}

} // namespace

/// kmark kcsan: every report of every input, resolved against the index;
/// 0 when all resolve, 1 when some do not, 2 when none does.
int kcsanMain(const char *Argv0) {
  const KernelModel *Model = loadDriverModel(Argv0);
  if (!Model)
    return 2;
  std::string Root = absolutePath(BuildPath);
  std::string Dir = IndexDir.empty() ? Root + "/.kmark" : absolutePath(IndexDir);
  std::string IndexPath = Dir + "/index.kmi";
  FactSet Set;
  if (llvm::Error E = readFactsFile(IndexPath, FactsKind::Index, Set))
    return fail(llvm::toString(std::move(E)) +
                " (build the index first: kmark run -p " + BuildPath + ")");
  Index Idx({&Set});
  KcsanResolver Resolver(Idx);
  SourceCache Sources(Root);
  std::vector<std::string> Inputs(KcsanInputs.begin(), KcsanInputs.end());
  if (Inputs.empty())
    Inputs.emplace_back("-");
  std::vector<std::string> Trailers;
  for (const std::string &F : FixesTag)
    Trailers.push_back("Fixes: " + F);
  for (const std::string &R : ReportedBy)
    Trailers.push_back("Reported-by: " + R);
  for (const std::string &C : Closes)
    Trailers.push_back("Closes: " + C);

  unsigned Reports = 0, Resolved = 0;
  llvm::StringSet<> Seen;
  std::vector<Finding> All;
  std::vector<Patch> Patches;
  for (const std::string &Input : Inputs) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
        Input == "-" ? llvm::MemoryBuffer::getSTDIN()
                     : llvm::MemoryBuffer::getFile(Input);
    if (!Buf) {
      fail("cannot read " + Input + ": " + Buf.getError().message());
      continue;
    }
    std::string Name = Input == "-" ? "<stdin>" : Input;
    KcsanParse Parsed = parseKcsan((*Buf)->getBuffer());
    for (const std::string &P : Parsed.Problems)
      llvm::errs() << "kmark: " << Name << ": " << P << "\n";
    if (Parsed.Reports.empty()) {
      llvm::errs() << "kmark: " << Name
                   << ": no KCSAN report (a 'BUG: KCSAN: ...' title followed "
                      "by its access headers and stacks)\n";
      continue;
    }
    for (const KcsanReport &R : Parsed.Reports) {
      // A page or a mail often quotes one report twice.
      std::string Key = R.Title;
      for (const KcsanAccess &A : R.Accesses) {
        Key += llvm::formatv("|{0}:{1}:{2}", kcsanAccessKindName(A.Kind),
                             A.Size, A.Address);
        for (const KcsanFrame &F : A.Frames)
          Key += "|" + F.RawFunction + "@" + F.File + ":" +
                 std::to_string(F.Line);
      }
      if (!Seen.insert(Key).second) {
        if (!Quiet)
          llvm::errs() << "kmark: " << Name << ":" << R.Line
                       << ": the same report again; skipped\n";
        continue;
      }
      ++Reports;
      KcsanResolution Res = Resolver.resolve(R);
      printResolution(llvm::outs(), Res, Name);
      if (Res.Verdict != KcsanVerdict::NotFound &&
          Res.Verdict != KcsanVerdict::Ambiguous)
        ++Resolved;
      std::vector<Finding> Fs = KcsanResolver::findings(Res);
      for (const Finding &F : Fs)
        renderText(llvm::outs(), F, Sources);
      if (!PatchDir.empty() && !Fs.empty()) {
        std::string Prefix = subjectPrefix(Fs.front().Site->File);
        std::vector<Patch> One = makePatches(
            Fs, Sources, [&](llvm::StringRef) { return Prefix; });
        if (!One.empty()) {
          KcsanMailText M = kcsanMail(Res, Prefix, Trailers);
          One.front().Subject = M.Subject;
          One.front().Body = M.Body;
          One.front().Findings.clear();
          Patches.push_back(std::move(One.front()));
        }
      }
      All.insert(All.end(), std::make_move_iterator(Fs.begin()),
                 std::make_move_iterator(Fs.end()));
    }
  }
  if (int Status = writeFixesAndSarif(All, Sources, Root))
    return Status;
  if (!Patches.empty())
    if (int Status = writePatches(Patches))
      return Status;
  if (!Quiet)
    llvm::errs() << llvm::formatv("kmark: {0} report{1}, {2} resolved, {3} "
                                  "fix-it{4}\n",
                                  Reports, Reports == 1 ? "" : "s", Resolved,
                                  All.size(), All.size() == 1 ? "" : "s");
  if (Reports == 0)
    return fail("no KCSAN report in the input");
  if (Resolved == 0)
    return 2;
  return Resolved == Reports ? 0 : 1;
}

} // namespace kmark::driver
