//===- Report.h - Findings as text, export-fixes YAML, SARIF and patches --===//
//
// The driver's outputs, computed from findings alone (no AST): clang-tidy's
// text format, the YAML that clang-apply-replacements reads, SARIF 2.1.0 for
// code-scanning UIs, and one `git format-patch` mail per field.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_REPORT_H
#define KMARK_REPORT_H

#include "kmark/Rules.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace kmark {

/// Source files read from disk, relative to a root, cached.
class SourceCache {
public:
  explicit SourceCache(std::string Root) : Root(std::move(Root)) {}

  /// Absolute path of a recorded path.
  std::string absolute(llvm::StringRef Path) const;
  /// Contents, or nullptr when the file cannot be read.
  const std::string *contents(llvm::StringRef Path);
  /// The text of 1-based line Line, without its newline ("" if none).
  llvm::StringRef line(llvm::StringRef Path, unsigned Line);
  const std::string &root() const { return Root; }

private:
  std::string Root;
  llvm::StringMap<std::unique_ptr<std::string>> Files;
};

/// Whether a NOLINT comment in Text covers Check at Offset, exactly as
/// clang-tidy decides it: NOLINT on the line, its NEXTLINE form on the line
/// before, or a matched BEGIN/END pair of its block forms around it, each with no
/// check list or a list of globs that matches the check.
bool nolintCovers(llvm::StringRef Text, size_t Offset, llvm::StringRef Check);

/// nolintCovers for the finding at Line:Col of Path.
bool isSuppressed(SourceCache &Sources, llvm::StringRef Path, unsigned Line,
                  unsigned Col, llvm::StringRef Check);

/// Writes a finding as clang-tidy would: location, message, check name, the
/// source line with a caret, the line as the fix-it leaves it, then notes.
void renderText(llvm::raw_ostream &OS, const Finding &F, SourceCache &Sources);

/// Offset of 1-based Line:Col in Path, or 0 when the file cannot be read.
unsigned offsetOf(SourceCache &Sources, llvm::StringRef Path, unsigned Line,
                  unsigned Col);

class Baseline;

/// SARIF 2.1.0, with the evidence as related locations.  With a baseline,
/// Findings are all of the run's (baselined ones too): each result is
/// marked new or unchanged, and the baseline's entries the run no longer
/// finds are added as absent.
void writeSarif(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                SourceCache &Sources, llvm::StringRef ToolVersion,
                const Baseline *Base = nullptr);

/// One patch: a commit message and the diff of the files it touches.
struct Patch {
  std::string Field;
  std::string Subject; ///< "tcp: annotate data-race around tp->tsoffset ..."
  std::string Body;
  std::string Diff; ///< unified diff, a/ b/ prefixes
  std::vector<const Finding *> Findings;
};

/// Groups fixable findings into patches: one per field and subsystem.
/// Prefix maps a path to the subsystem's subject prefix ("tcp", "net/smc").
std::vector<Patch>
makePatches(llvm::ArrayRef<Finding> Findings, SourceCache &Sources,
            const std::function<std::string(llvm::StringRef)> &Prefix);

/// The subject prefix for a path, from the tree's MAINTAINERS file and the
/// kernel's conventions ("net/ipv4/tcp*.c" -> "tcp").
std::string subjectPrefix(llvm::StringRef Path);

/// Text broken into lines of at most Width columns (a longer word stays
/// whole); each input line is a paragraph, ended by a newline.
std::string wrapText(llvm::StringRef Text, unsigned Width);

/// Writes a patch as a `git format-patch` mail.
void writeMail(llvm::raw_ostream &OS, const Patch &P, unsigned Number,
               unsigned Total, llvm::StringRef From, llvm::StringRef Date);

/// Edits given in a file's original offsets, moved to where they fall once
/// Prior (other, non-overlapping edits) have been applied.
std::vector<Edit> shiftEdits(llvm::ArrayRef<Edit> Prior,
                             llvm::ArrayRef<Edit> Edits);

/// The unified diff, three lines of context, of applying Edits to Old.
std::string unifiedDiff(llvm::StringRef Path, llvm::StringRef Old,
                        llvm::ArrayRef<Edit> Edits);

} // namespace kmark

#endif // KMARK_REPORT_H
