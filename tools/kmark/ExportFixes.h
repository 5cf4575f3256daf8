//===- ExportFixes.h - clang-tidy's export-fixes YAML for kmark's findings ===//

#ifndef KMARK_TOOLS_EXPORTFIXES_H
#define KMARK_TOOLS_EXPORTFIXES_H

#include "kmark/Report.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace kmark::driver {

/// Writes the findings as one clang::tooling::TranslationUnitDiagnostics
/// document through clang's own YAML mapping (clang/Tooling/
/// DiagnosticsYaml.h), the format clang-tidy --export-fixes writes and
/// clang-apply-replacements reads: each finding a warning with its fix-it
/// and its evidence as notes.
void writeExportFixes(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                      SourceCache &Sources, llvm::StringRef MainSourceFile);

} // namespace kmark::driver

#endif // KMARK_TOOLS_EXPORTFIXES_H
