//===- ExportFixes.cpp - clang-tidy's export-fixes YAML for kmark's findings //

#include "ExportFixes.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/YAMLTraits.h"

namespace kmark::driver {

void writeExportFixes(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                      SourceCache &Sources, llvm::StringRef MainSourceFile) {
  namespace tooling = clang::tooling;
  tooling::TranslationUnitDiagnostics TU;
  TU.MainSourceFile = MainSourceFile.str();
  for (const Finding &F : Findings) {
    std::string Path = Sources.absolute(F.Site->File);
    tooling::DiagnosticMessage Message;
    Message.Message = F.Message;
    Message.FilePath = Path;
    Message.FileOffset = F.Site->Begin;
    // A finding's edits never overlap (Edits.cpp builds them in order); if
    // some did, the finding keeps no fix-it rather than half of one.
    tooling::Replacements Fix;
    for (const Edit &E : F.Fix)
      if (llvm::Error Err = Fix.add(
              tooling::Replacement(Path, E.Offset, E.Length, E.Text))) {
        llvm::consumeError(std::move(Err));
        Fix = tooling::Replacements();
        break;
      }
    if (!Fix.empty())
      Message.Fix.try_emplace(Path, std::move(Fix));
    llvm::SmallVector<tooling::DiagnosticMessage, 1> Notes;
    for (const Evidence &E : F.Notes) {
      tooling::DiagnosticMessage N;
      N.Message = E.Note;
      N.FilePath = Sources.absolute(E.File);
      N.FileOffset = offsetOf(Sources, E.File, E.Line, E.Col);
      Notes.push_back(std::move(N));
    }
    TU.Diagnostics.emplace_back(checkName(F.Check), Message, Notes,
                                tooling::Diagnostic::Warning, Sources.root());
  }
  llvm::yaml::Output YAML(OS);
  YAML << TU;
}

} // namespace kmark::driver
