//===- Baseline.h - Findings a maintainer has already looked at -----------===//
//
// A baseline lists findings by a fingerprint that survives unrelated edits:
// the field, the function, the access's text without its whitespace and the
// check, not the line.  A run given a baseline reports only what is not in
// it; SARIF marks each result new, unchanged or absent.  The file is JSON,
// with a format version, and an optional reason per entry.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_BASELINE_H
#define KMARK_BASELINE_H

#include "kmark/Rules.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kmark {

/// The version of the baseline file format this kmark reads and writes.
constexpr unsigned BaselineVersion = 1;

/// A finding's identity across commits ("kmarkSite/v2" in SARIF).
std::string fingerprint(const Finding &F);

struct BaselineEntry {
  std::string Fingerprint;
  std::string Check, Field, Function, File; ///< for people reading the file
  unsigned Line = 0; ///< where it was when written; not part of the key
  std::string Reason;
};

class Baseline {
public:
  /// Parses a baseline; a file that is not one, or of another version, is
  /// an error that says so.
  static llvm::Expected<Baseline> parse(llvm::StringRef Text,
                                        llvm::StringRef Name);
  /// The baseline of Findings, keeping the reasons Old gives for those it
  /// has and giving Reason to the others.
  static Baseline of(llvm::ArrayRef<Finding> Findings, const Baseline *Old,
                     llvm::StringRef Reason);

  bool contains(const Finding &F) const;
  const BaselineEntry *find(llvm::StringRef Fingerprint) const;
  llvm::ArrayRef<BaselineEntry> entries() const { return Entries; }
  /// The JSON text, entries sorted by file and line.
  std::string text() const;

private:
  void add(BaselineEntry E);
  std::vector<BaselineEntry> Entries;
  llvm::StringMap<size_t> ByPrint;
};

} // namespace kmark

#endif // KMARK_BASELINE_H
