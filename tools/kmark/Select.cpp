//===- Select.cpp - What a command looks at and reports -------------------===//
//
// The files below the given paths, the lines a patch changes, the findings
// worth reporting: the selections kmark's commands make, which read no
// option (in kmarkDriverLib, for the unit tests).
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "kmark/Report.h"
#include "kmark/Rules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <tuple>

namespace kmark::driver {

bool underAny(llvm::StringRef File, const std::vector<std::string> &Prefixes) {
  if (Prefixes.empty())
    return true;
  for (const std::string &P : Prefixes) {
    llvm::StringRef Rest = File;
    if (Rest.consume_front(P) &&
        (Rest.empty() || Rest.starts_with("/") || llvm::StringRef(P).ends_with("/")))
      return true;
  }
  return false;
}

std::map<std::string, std::vector<std::pair<unsigned, unsigned>>>
parsePatch(llvm::StringRef Text, unsigned StripN) {
  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Out;
  std::string Current;
  for (llvm::StringRef Line : llvm::split(Text, "\n")) {
    if (Line.starts_with("+++ ")) {
      llvm::StringRef P = Line.drop_front(4).split('\t').first.trim();
      if (P == "/dev/null") {
        Current.clear();
        continue;
      }
      for (unsigned I = 0; I < StripN && P.contains('/'); ++I)
        P = P.split('/').second;
      Current = P.str();
      continue;
    }
    if (Line.starts_with("@@ ") && !Current.empty()) {
      // @@ -a,b +c,d @@
      llvm::StringRef Plus = Line.split('+').second.split(' ').first;
      auto [StartS, LenS] = Plus.split(',');
      unsigned Start = 0, Len = 1;
      if (StartS.getAsInteger(10, Start))
        continue;
      if (!LenS.empty() && LenS.getAsInteger(10, Len))
        continue;
      if (Len)
        Out[Current].emplace_back(Start, Start + Len - 1);
    }
  }
  return Out;
}

std::vector<Finding> selectFindings(std::vector<Finding> All,
                                    unsigned Threshold, SourceCache &Sources) {
  std::vector<Finding> Out;
  for (Finding &F : All)
    if (F.Confidence >= Threshold &&
        !isSuppressed(Sources, F.Site->File, F.Site->Line, F.Site->Col,
                      checkName(F.Check)))
      Out.push_back(std::move(F));
  // Grouped by field, then by place.
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    return std::tie(A.Site->Field, A.Site->File, A.Site->Begin, A.Check) <
           std::tie(B.Site->Field, B.Site->File, B.Site->Begin, B.Check);
  });
  return Out;
}

} // namespace kmark::driver
