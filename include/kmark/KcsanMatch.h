//===- KcsanMatch.h - A KCSAN report, resolved against the index ---------===//
//
// From a parsed report (Kcsan.h) to the field it is about and the accesses
// that raced: each side's top frame names a function, the report gives the
// access's kind, size and marking, and the frame a line; the index has
// every access of every function with the same facts.  The two sides meet
// on a field.  Line numbers drift between the kernel that reported and the
// tree that is indexed, so a line only ranks candidates, it never excludes
// one; every field both sides fit is kept, ranked, with the reasons.
//
//===----------------------------------------------------------------------===//

#ifndef KMARK_KCSANMATCH_H
#define KMARK_KCSANMATCH_H

#include "kmark/Index.h"
#include "kmark/Kcsan.h"
#include "kmark/Rules.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace kmark {

/// One access of the index that fits one side of a report.
struct KcsanSite {
  const Access *A = nullptr;
  unsigned Score = 0; ///< higher fits better
  /// Why it fits, and where it does not quite: "write", "4 bytes",
  /// "line 1606 -> 1563 (drift -43)", "reached through the inline frame".
  std::vector<std::string> Why;
};

/// A field both sides of the report fit, with the best access of each side.
struct KcsanCandidate {
  std::string Field;
  /// One per access of the report, in the report's order; the second is
  /// empty (A == nullptr) for a race of unknown origin.
  KcsanSite Sides[2];
  unsigned Score = 0;
  /// Two bitfields of one record: one word in memory, two fields here
  /// (Field names both).
  bool SharedWord = false;
};

enum class KcsanVerdict {
  PlainPlain,  ///< neither side is marked here: mark both
  PlainMarked, ///< one side is marked: mark the plain side
  BothMarked,  ///< both are marked here: fixed, or a race of another kind
  Bitfield,    ///< bitfields, one or two of one word: no marking compiles
  Ambiguous,   ///< more than one field fits about as well: no fix
  NotFound,    ///< no field fits both sides
};
llvm::StringRef kcsanVerdictName(KcsanVerdict V);

struct KcsanResolution {
  const KcsanReport *Report = nullptr;
  /// Best first.  The first is the answer unless the verdict is Ambiguous.
  std::vector<KcsanCandidate> Candidates;
  KcsanVerdict Verdict = KcsanVerdict::NotFound;
  /// Why nothing fits, for NotFound ("no access of smc_poll() in the index").
  std::string Problem;
  /// The accesses to mark: the plain racing sites and the other plain
  /// accesses of the field in the two racing functions that race with the
  /// other side (lockless, or a store the other side's reader can see).
  std::vector<const Access *> ToMark;
  /// Marked accesses of the field elsewhere in the tree, the precedent the
  /// fix follows; those in functions of the racing functions' slots first.
  std::vector<const Access *> Precedent;
  /// How many accesses of the field the index has, and how many are marked.
  unsigned FieldAccesses = 0, FieldMarked = 0;
  /// Why a plain racing store gets no fix-it, where the reason is the
  /// field's and not the site's (atomic operations change it).
  std::string NoFix;
};

/// Resolves reports against one index; keeps a function-name table so that
/// many reports resolve without a pass over the index each.
class KcsanResolver {
public:
  explicit KcsanResolver(const Index &Idx);

  KcsanResolution resolve(const KcsanReport &R) const;

  /// The findings that carry the resolution's fix-its (one per access to
  /// mark, innermost first in each file so that nested edits nest), with
  /// the report's evidence as their notes.
  static std::vector<Finding> findings(const KcsanResolution &Res);

private:
  const Index &Idx;
  /// Function name (as the kernel symbolizes it) -> its accesses.
  llvm::StringMap<std::vector<const Access *>> ByFunction;

  std::vector<KcsanSite> sitesFor(const KcsanAccess &Side,
                                  std::string &Problem) const;
};

/// A git-am mail's subject and body for a resolved report: the kernel's
/// subject ("net/smc: annotate data-races around sk->sk_err"), a body that
/// quotes the report's headers and top frames as upstream commits do, the
/// evidence, and the trailers given (Reported-by, Closes: never invented).
struct KcsanMailText {
  std::string Subject, Body;
};
KcsanMailText kcsanMail(const KcsanResolution &Res, llvm::StringRef Prefix,
                        llvm::ArrayRef<std::string> Trailers);

} // namespace kmark

#endif // KMARK_KCSANMATCH_H
